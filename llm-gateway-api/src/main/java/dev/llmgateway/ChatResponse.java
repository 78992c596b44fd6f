package dev.llmgateway;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A chat answer, with its story: which deployment served it, each attempt made, tokens, cost,
 * latency and time to first token.
 *
 * <p>Immutable and thread-safe. Transports fill in the message, finish reason, usage and provider
 * details (among them the model that served the answer); the gateway adds the call id, attempts,
 * latency, time to first token and cost. {@link #story()} tells it on a few lines for a person to
 * read:
 *
 * <pre>{@code
 * call cd4q-2 served by openai/gpt-4.1 (model gpt-4.1-2025-04-14) in 1515.98 ms
 *   route:     alias smart → strategy ordered; plan [anthropic/claude-sonnet-4-5, openai/gpt-4.1]
 *   attempt 1: anthropic/claude-sonnet-4-5 FAILED HTTP 529 in 52.78 ms: ProviderOverloadedException: Overloaded; retries exhausted; failing over
 *   attempt 2: openai/gpt-4.1 (failover) SUCCEEDED HTTP 200 in 41.52 ms
 *   tokens:    96 in, 9 out
 *   cost:      $0.000264
 * }</pre>
 *
 * {@link #toString()} prints the same facts on one line. Neither prints the message's content, a
 * key or an end-user id, nor a provider's error text (attempt reasons are the transports' safe
 * texts).
 */
public final class ChatResponse implements CallResult {
  private final String callId;
  private final Message message;
  private final FinishReason finishReason;
  private final @Nullable String rawFinishReason;
  private final Usage usage;
  private final @Nullable Deployment deployment;
  private final @Nullable String servedModel;
  private final List<Attempt> attempts;
  private final @Nullable BigDecimal cost;
  private final Duration latency;
  private final @Nullable Duration timeToFirstToken;
  private final boolean cacheHit;
  private final @Nullable String providerResponseId;
  private final @Nullable String providerRequestId;
  /** The raw body: a String, or its UTF-8 bytes decoded when read; null when none. */
  private final @Nullable Object rawBody;
  private final Map<String, String> rateLimits;
  private final @Nullable RoutingDecision routing;
  private final List<PolicyVerdict> policies;

  private ChatResponse(Builder b) {
    this.callId = b.callId;
    this.message = Objects.requireNonNull(b.message, "message");
    if (message.role() != Role.ASSISTANT) {
      throw new IllegalArgumentException("a response carries an assistant message");
    }
    this.finishReason = b.finishReason;
    this.rawFinishReason = b.rawFinishReason;
    this.usage = b.usage;
    this.deployment = b.deployment;
    this.servedModel = b.servedModel;
    this.attempts = List.copyOf(b.attempts);
    this.cost = b.cost;
    this.latency = b.latency;
    this.timeToFirstToken = b.timeToFirstToken;
    this.cacheHit = b.cacheHit;
    this.providerResponseId = b.providerResponseId;
    this.providerRequestId = b.providerRequestId;
    this.rawBody = b.rawBody;
    this.rateLimits = b.rateLimits;
    this.routing = b.routing;
    this.policies = List.copyOf(b.policies);
  }

  private ChatResponse(ChatResponse r, String callId, List<Attempt> attempts, Usage usage,
      @Nullable Deployment deployment, Duration latency, @Nullable Duration timeToFirstToken,
      @Nullable BigDecimal cost, boolean cacheHit, @Nullable RoutingDecision routing,
      List<PolicyVerdict> policies) {
    this(r, r.message, callId, attempts, usage, deployment, latency, timeToFirstToken, cost,
        cacheHit, routing, policies);
  }

  private ChatResponse(ChatResponse r, Message message, String callId, List<Attempt> attempts,
      Usage usage, @Nullable Deployment deployment, Duration latency,
      @Nullable Duration timeToFirstToken, @Nullable BigDecimal cost, boolean cacheHit,
      @Nullable RoutingDecision routing, List<PolicyVerdict> policies) {
    this.callId = Objects.requireNonNull(callId, "callId");
    this.message = Objects.requireNonNull(message, "message");
    this.finishReason = r.finishReason;
    this.rawFinishReason = r.rawFinishReason;
    this.usage = Objects.requireNonNull(usage, "usage");
    this.deployment = deployment;
    this.servedModel = r.servedModel;
    this.attempts = List.copyOf(attempts);
    this.cost = cost;
    this.latency = Objects.requireNonNull(latency, "latency");
    this.timeToFirstToken = timeToFirstToken;
    this.cacheHit = cacheHit;
    this.providerResponseId = r.providerResponseId;
    this.providerRequestId = r.providerRequestId;
    this.rawBody = r.rawBody;
    this.rateLimits = r.rateLimits;
    this.routing = routing;
    this.policies = List.copyOf(policies);
  }

  /**
   * This answer with the gateway's account of the call in place of what it had (the gateway's
   * metering step writes it once per call): the same as {@link #toBuilder()} with these values
   * set, without the builder.
   */
  public ChatResponse withStory(String callId, List<Attempt> attempts, Usage usage,
      @Nullable Deployment deployment, Duration latency, @Nullable Duration timeToFirstToken,
      @Nullable BigDecimal cost, boolean cacheHit, @Nullable RoutingDecision routing) {
    return new ChatResponse(this, callId, attempts, usage, deployment, latency, timeToFirstToken,
        cost, cacheHit, routing, policies);
  }

  /**
   * As {@link #withStory(String, List, Usage, Deployment, Duration, Duration, BigDecimal, boolean,
   * RoutingDecision)}, with the verdicts of the policies the call ran under.
   */
  public ChatResponse withStory(String callId, List<Attempt> attempts, Usage usage,
      @Nullable Deployment deployment, Duration latency, @Nullable Duration timeToFirstToken,
      @Nullable BigDecimal cost, boolean cacheHit, @Nullable RoutingDecision routing,
      List<PolicyVerdict> policies) {
    return new ChatResponse(this, callId, attempts, usage, deployment, latency, timeToFirstToken,
        cost, cacheHit, routing, policies);
  }

  /**
   * This answer with {@code message} in place of its own, every other value shared: what a step
   * that rewrites the answer (a policy restoring redacted values) uses instead of {@link
   * #toBuilder()}.
   *
   * @param message the assistant's message
   * @return an answer with this message
   */
  public ChatResponse withMessage(Message message) {
    return new ChatResponse(this, message, callId, attempts, usage, deployment, latency,
        timeToFirstToken, cost, cacheHit, routing, policies);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this response's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The gateway's id for the call ("" before the gateway assigned one). */
  public String callId() {
    return callId;
  }

  /** The assistant's message: text, reasoning parts and tool calls. */
  public Message message() {
    return message;
  }

  /** The message's text. */
  public String text() {
    return message.text();
  }

  /** The tools the model asks to be called. */
  public List<ToolCall> toolCalls() {
    return message.toolCalls();
  }

  /** Why the model stopped, normalised. */
  public FinishReason finishReason() {
    return finishReason;
  }

  /** The provider's own finish reason, or null. */
  public @Nullable String rawFinishReason() {
    return rawFinishReason;
  }

  /** The tokens of every attempt of the call, summed (see {@link Usage} for the meaning). */
  public Usage usage() {
    return usage;
  }

  /** The deployment that produced the answer, or null when an interceptor answered. */
  public @Nullable Deployment deployment() {
    return deployment;
  }

  /**
   * The model that served the answer as the provider names it, often a dated version of the
   * deployment's model ({@code gpt-4o-2024-08-06} for {@code gpt-4o}, {@code
   * claude-sonnet-4-5-20250929}): OpenAI's and Anthropic's {@code model}, Gemini's {@code
   * modelVersion} (OpenTelemetry's {@code gen_ai.response.model}). Null when the provider named
   * none, or named one longer than 256 characters, blank or holding a control character (dropped,
   * not cut).
   */
  public @Nullable String servedModel() {
    return servedModel;
  }

  /** Every attempt of the call, in order. */
  public List<Attempt> attempts() {
    return attempts;
  }

  /** The cost in US dollars, or null when a price is unknown. */
  public @Nullable BigDecimal cost() {
    return cost;
  }

  /** From the call entering the gateway to the answer. */
  public Duration latency() {
    return latency;
  }

  /** For streamed calls, from the call entering the gateway to the first content event. */
  public @Nullable Duration timeToFirstToken() {
    return timeToFirstToken;
  }

  /** Whether the gateway's cache answered. */
  public boolean cacheHit() {
    return cacheHit;
  }

  /** The provider's id for the response, or null. */
  public @Nullable String providerResponseId() {
    return providerResponseId;
  }

  /** The provider's request id (e.g. {@code x-request-id}), for support tickets; or null. */
  public @Nullable String providerRequestId() {
    return providerRequestId;
  }

  /**
   * The raw body the provider returned for unary calls, or null (streams, fakes, cache). The
   * built-in transports keep the bytes they parsed and decode them here, when asked.
   */
  public @Nullable String rawBody() {
    Object raw = rawBody;
    return raw instanceof byte[] utf8 ? new String(utf8, StandardCharsets.UTF_8) : (String) raw;
  }

  /**
   * The provider's rate-limit headers of this answer (e.g. {@code x-ratelimit-remaining-tokens}),
   * names in lower case; empty when it sent none. Routing reads them to steer away from a
   * deployment near its limit.
   */
  public Map<String, String> rateLimits() {
    return rateLimits;
  }

  /**
   * Why the call went where it went: the rules and strategy that chose the serving deployment,
   * its A/B variant, and why other candidates were skipped; null for an answer that did not pass
   * the gateway's routing (a transport's own response, an interceptor's answer).
   */
  public @Nullable RoutingDecision routing() {
    return routing;
  }

  /** The A/B variant the call landed in, or null when its alias is not split. */
  public @Nullable String variant() {
    return routing == null ? null : routing.variant();
  }

  /**
   * What the input and output policies found on this call (a PII redaction, a flagged prompt
   * injection, a content-filter hit, a structured-output retry), in order; empty when they found
   * nothing or none ran. Kinds and counts, never content.
   */
  public List<PolicyVerdict> policies() {
    return policies;
  }

  /**
   * The call's story on a few lines, for a person to read: who served it (and the model version
   * that answered, when it differs from the deployment's model), how long it took and the time to
   * first token; the routing decision; each attempt with its outcome, HTTP status, latency and why
   * the call moved on; the tokens; the cost in plain notation (see the class javadoc for an
   * example). It never holds the message's content, a key, an end-user id or a provider's error
   * text. The layout is for reading, not parsing: read the accessors to compute with the values.
   */
  public String story() {
    return Story.headed(Story.head(callId, deployment, servedModel, cacheHit, latency,
            timeToFirstToken))
        .route(routing)
        .attempts(attempts, routing != null)
        .tokensAndCost(usage, cost)
        .policies(policies)
        .toString();
  }

  /**
   * The story's facts on one line, e.g. {@code ChatResponse[callId=cd4q-1,
   * deployment=openai/gpt-4.1, servedModel=gpt-4.1-2025-04-14, finishReason=STOP, usage=Usage[96
   * in, 9 out], attempts=1, latency=41.52 ms, cost=$0.000264, text=41 chars, toolCalls=0]}: never
   * the content.
   */
  @Override
  public String toString() {
    return "ChatResponse[callId=" + callId + ", deployment=" + deployment
        + (servedModel == null ? "" : ", servedModel=" + servedModel)
        + (variant() == null ? "" : ", variant=" + variant()) + ", finishReason="
        + finishReason + ", usage=" + usage + ", attempts=" + attempts.size() + ", latency="
        + Story.millis(latency)
        + (timeToFirstToken == null ? "" : ", ttft=" + Story.millis(timeToFirstToken))
        + (cost == null ? "" : ", cost=" + Story.dollars(cost))
        + (cacheHit ? ", cacheHit" : "") + ", text=" + text().length() + " chars, toolCalls="
        + toolCalls().size() + "]";
  }

  /** Builds a {@link ChatResponse}. Not thread-safe. */
  public static final class Builder {
    private String callId = "";
    private @Nullable Message message;
    private FinishReason finishReason = FinishReason.STOP;
    private @Nullable String rawFinishReason;
    private Usage usage = Usage.ZERO;
    private @Nullable Deployment deployment;
    private @Nullable String servedModel;
    private List<Attempt> attempts = List.of();
    private @Nullable BigDecimal cost;
    private Duration latency = Duration.ZERO;
    private @Nullable Duration timeToFirstToken;
    private boolean cacheHit;
    private @Nullable String providerResponseId;
    private @Nullable String providerRequestId;
    private @Nullable Object rawBody;
    private Map<String, String> rateLimits = Map.of();
    private @Nullable RoutingDecision routing;
    private List<PolicyVerdict> policies = List.of();

    private Builder() {}

    private Builder(ChatResponse r) {
      callId = r.callId;
      message = r.message;
      finishReason = r.finishReason;
      rawFinishReason = r.rawFinishReason;
      usage = r.usage;
      deployment = r.deployment;
      servedModel = r.servedModel;
      attempts = r.attempts;
      cost = r.cost;
      latency = r.latency;
      timeToFirstToken = r.timeToFirstToken;
      cacheHit = r.cacheHit;
      providerResponseId = r.providerResponseId;
      providerRequestId = r.providerRequestId;
      rawBody = r.rawBody;
      rateLimits = r.rateLimits;
      routing = r.routing;
      policies = r.policies;
    }

    /** Sets the gateway's call id. */
    public Builder callId(String callId) {
      this.callId = Objects.requireNonNull(callId, "callId");
      return this;
    }

    /** Sets the assistant message. */
    public Builder message(Message message) {
      this.message = message;
      return this;
    }

    /** Sets the message to plain assistant text. */
    public Builder text(String text) {
      return message(Message.assistant(text));
    }

    /** Sets the normalised finish reason. */
    public Builder finishReason(FinishReason finishReason) {
      this.finishReason = Objects.requireNonNull(finishReason, "finishReason");
      return this;
    }

    /** Sets the provider's own finish reason. */
    public Builder rawFinishReason(@Nullable String rawFinishReason) {
      this.rawFinishReason = rawFinishReason;
      return this;
    }

    /** Sets the usage. */
    public Builder usage(Usage usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /** Sets the serving deployment. */
    public Builder deployment(@Nullable Deployment deployment) {
      this.deployment = deployment;
      return this;
    }

    /**
     * Sets the model that served the answer, as the provider named it; a name longer than 256
     * characters, blank or holding a control character is dropped (see {@link
     * ChatResponse#servedModel()}), since it comes from the provider's answer.
     */
    public Builder servedModel(@Nullable String servedModel) {
      this.servedModel = ServedModel.bounded(servedModel);
      return this;
    }

    /** Sets the attempts. */
    public Builder attempts(List<Attempt> attempts) {
      this.attempts = List.copyOf(attempts);
      return this;
    }

    /** Sets the cost in US dollars (null: unknown). */
    public Builder cost(@Nullable BigDecimal cost) {
      this.cost = cost;
      return this;
    }

    /** Sets the latency. */
    public Builder latency(Duration latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    /** Sets the time to first token. */
    public Builder timeToFirstToken(@Nullable Duration timeToFirstToken) {
      this.timeToFirstToken = timeToFirstToken;
      return this;
    }

    /** Marks a cache hit. */
    public Builder cacheHit(boolean cacheHit) {
      this.cacheHit = cacheHit;
      return this;
    }

    /** Sets the provider's response id. */
    public Builder providerResponseId(@Nullable String id) {
      this.providerResponseId = id;
      return this;
    }

    /** Sets the provider's request id. */
    public Builder providerRequestId(@Nullable String id) {
      this.providerRequestId = id;
      return this;
    }

    /** Sets the raw provider body. */
    public Builder rawBody(@Nullable String rawBody) {
      this.rawBody = rawBody;
      return this;
    }

    /**
     * Sets the raw provider body as the UTF-8 bytes it arrived in, decoded only when {@link
     * ChatResponse#rawBody()} is read. The response keeps the array: do not change it afterwards.
     */
    public Builder rawBodyUtf8(byte @Nullable [] utf8) {
      this.rawBody = utf8;
      return this;
    }

    /** Sets the provider's rate-limit headers. */
    public Builder rateLimits(Map<String, String> rateLimits) {
      this.rateLimits = Map.copyOf(rateLimits);
      return this;
    }

    /** Sets the routing decision. */
    public Builder routing(@Nullable RoutingDecision routing) {
      this.routing = routing;
      return this;
    }

    /** Sets the policies' verdicts. */
    public Builder policies(List<PolicyVerdict> policies) {
      this.policies = List.copyOf(policies);
      return this;
    }

    /** Builds the response. */
    public ChatResponse build() {
      return new ChatResponse(this);
    }
  }
}
