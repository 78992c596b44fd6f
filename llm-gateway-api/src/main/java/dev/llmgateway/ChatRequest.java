package dev.llmgateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A chat request in the gateway's canonical form; each transport translates it into its provider's
 * wire format.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder(String)} or {@link #of(String,
 * String)}; derive variants with {@link #toBuilder()}. {@link #toString()} prints the shape of the
 * request (model, counts, settings), never message content or header values.
 */
public final class ChatRequest implements GatewayRequest {
  private final String model;
  private final List<Message> messages;
  private final List<ToolDefinition> tools;
  private final @Nullable ToolChoice toolChoice;
  private final @Nullable ResponseFormat responseFormat;
  private final @Nullable ReasoningConfig reasoning;
  private final @Nullable Double temperature;
  private final @Nullable Double topP;
  private final @Nullable Integer maxOutputTokens;
  private final List<String> stop;
  private final @Nullable Long seed;
  private final @Nullable String promptCacheKey;
  private final Map<String, String> metadata;
  private final RequestOptions options;
  private final Map<String, String> providerExtras;
  private final Map<String, String> extraHeaders;

  private ChatRequest(Builder b) {
    this.model = b.model;
    this.messages = List.copyOf(b.messages);
    this.tools = List.copyOf(b.tools);
    this.toolChoice = b.toolChoice;
    this.responseFormat = b.responseFormat;
    this.reasoning = b.reasoning;
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.maxOutputTokens = b.maxOutputTokens;
    this.stop = List.copyOf(b.stop);
    this.seed = b.seed;
    this.promptCacheKey = b.promptCacheKey;
    this.metadata = Map.copyOf(b.metadata);
    this.options = b.options;
    this.providerExtras = Map.copyOf(b.providerExtras);
    this.extraHeaders = Map.copyOf(b.extraHeaders);
  }

  /** A request with one user message. */
  public static ChatRequest of(String model, String userText) {
    return builder(model).user(userText).build();
  }

  /** A builder for a request to the given model, alias or {@code provider/model} deployment. */
  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Copies {@code r} with another model and messages; the collections are immutable, so the others
   * are shared.
   */
  private ChatRequest(ChatRequest r, String model, List<Message> messages) {
    this.model = model;
    this.messages = messages;
    this.tools = r.tools;
    this.toolChoice = r.toolChoice;
    this.responseFormat = r.responseFormat;
    this.reasoning = r.reasoning;
    this.temperature = r.temperature;
    this.topP = r.topP;
    this.maxOutputTokens = r.maxOutputTokens;
    this.stop = r.stop;
    this.seed = r.seed;
    this.promptCacheKey = r.promptCacheKey;
    this.metadata = r.metadata;
    this.options = r.options;
    this.providerExtras = r.providerExtras;
    this.extraHeaders = r.extraHeaders;
  }

  @Override
  public ChatRequest withModel(String model) {
    Objects.requireNonNull(model, "model");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    return model.equals(this.model) ? this : new ChatRequest(this, model, messages);
  }

  /**
   * This request with {@code messages} in place of its own, every other value shared: what a step
   * that rewrites the conversation (a redacting policy) uses instead of {@link #toBuilder()}.
   *
   * @param messages the messages, at least one
   * @return a request with these messages
   * @throws IllegalArgumentException when {@code messages} is empty
   * @throws NullPointerException when {@code messages} or one of them is null
   */
  public ChatRequest withMessages(List<Message> messages) {
    List<Message> copy = List.copyOf(messages);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
    return new ChatRequest(this, model, copy);
  }

  @Override
  public String model() {
    return model;
  }

  /** The conversation, in order. */
  public List<Message> messages() {
    return messages;
  }

  /** The tools the model may call. */
  public List<ToolDefinition> tools() {
    return tools;
  }

  /** Whether and which tool the model must call; null for the provider's default. */
  public @Nullable ToolChoice toolChoice() {
    return toolChoice;
  }

  /** The shape of the answer; null for free text. */
  public @Nullable ResponseFormat responseFormat() {
    return responseFormat;
  }

  /** Reasoning settings; null for the model's default. */
  public @Nullable ReasoningConfig reasoning() {
    return reasoning;
  }

  /** Sampling temperature; null for the provider's default. */
  public @Nullable Double temperature() {
    return temperature;
  }

  /** Nucleus sampling; null for the provider's default. */
  public @Nullable Double topP() {
    return topP;
  }

  /** The most output tokens (reasoning included); null for the transport's default. */
  public @Nullable Integer maxOutputTokens() {
    return maxOutputTokens;
  }

  /** Stop sequences. */
  public List<String> stop() {
    return stop;
  }

  /** Seed for reproducible sampling where the provider supports it. */
  public @Nullable Long seed() {
    return seed;
  }

  /**
   * A key that groups requests sharing a long prompt prefix, for providers that route by it to a
   * warm prompt cache (OpenAI's {@code prompt_cache_key}); null for none.
   */
  public @Nullable String promptCacheKey() {
    return promptCacheKey;
  }

  /** Free metadata of the application, seen by routing rules and carried into usage records. */
  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public RequestOptions options() {
    return options;
  }

  @Override
  public Map<String, String> providerExtras() {
    return providerExtras;
  }

  @Override
  public Map<String, String> extraHeaders() {
    return extraHeaders;
  }

  /** The last user message's text, or "" when there is none. */
  public String lastUserText() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      Message m = messages.get(i);
      if (m.role() == Role.USER) {
        return m.text();
      }
    }
    return "";
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ChatRequest r
        && model.equals(r.model)
        && messages.equals(r.messages)
        && tools.equals(r.tools)
        && Objects.equals(toolChoice, r.toolChoice)
        && Objects.equals(responseFormat, r.responseFormat)
        && Objects.equals(reasoning, r.reasoning)
        && Objects.equals(temperature, r.temperature)
        && Objects.equals(topP, r.topP)
        && Objects.equals(maxOutputTokens, r.maxOutputTokens)
        && stop.equals(r.stop)
        && Objects.equals(seed, r.seed)
        && Objects.equals(promptCacheKey, r.promptCacheKey)
        && metadata.equals(r.metadata)
        && options.equals(r.options)
        && providerExtras.equals(r.providerExtras)
        && extraHeaders.equals(r.extraHeaders);
  }

  @Override
  public int hashCode() {
    return Objects.hash(model, messages, tools, toolChoice, responseFormat, reasoning, temperature,
        topP, maxOutputTokens, stop, seed, promptCacheKey, metadata, options, providerExtras,
        extraHeaders);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ChatRequest[model=").append(model);
    sb.append(", messages=").append(messages.size());
    if (!tools.isEmpty()) {
      sb.append(", tools=").append(tools.size());
    }
    if (responseFormat != null) {
      sb.append(", responseFormat=").append(responseFormat.type());
    }
    if (maxOutputTokens != null) {
      sb.append(", maxOutputTokens=").append(maxOutputTokens);
    }
    if (!extraHeaders.isEmpty()) {
      sb.append(", extraHeaders=").append(extraHeaders.keySet());
    }
    if (!providerExtras.isEmpty()) {
      sb.append(", providerExtras=").append(providerExtras.keySet());
    }
    return sb.append(']').toString();
  }

  /** Builds a {@link ChatRequest}. Not thread-safe; reusable. */
  public static final class Builder {
    private String model;
    private final List<Message> messages = new ArrayList<>();
    private final List<ToolDefinition> tools = new ArrayList<>();
    private @Nullable ToolChoice toolChoice;
    private @Nullable ResponseFormat responseFormat;
    private @Nullable ReasoningConfig reasoning;
    private @Nullable Double temperature;
    private @Nullable Double topP;
    private @Nullable Integer maxOutputTokens;
    private final List<String> stop = new ArrayList<>();
    private @Nullable Long seed;
    private @Nullable String promptCacheKey;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private RequestOptions options = RequestOptions.DEFAULT;
    private final Map<String, String> providerExtras = new LinkedHashMap<>();
    private final Map<String, String> extraHeaders = new LinkedHashMap<>();

    private Builder(String model) {
      this.model = requireModel(model);
    }

    private Builder(ChatRequest r) {
      this.model = r.model;
      this.messages.addAll(r.messages);
      this.tools.addAll(r.tools);
      this.toolChoice = r.toolChoice;
      this.responseFormat = r.responseFormat;
      this.reasoning = r.reasoning;
      this.temperature = r.temperature;
      this.topP = r.topP;
      this.maxOutputTokens = r.maxOutputTokens;
      this.stop.addAll(r.stop);
      this.seed = r.seed;
      this.promptCacheKey = r.promptCacheKey;
      this.metadata.putAll(r.metadata);
      this.options = r.options;
      this.providerExtras.putAll(r.providerExtras);
      this.extraHeaders.putAll(r.extraHeaders);
    }

    private static String requireModel(String model) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      return model;
    }

    /** The model, alias or {@code provider/model} deployment. */
    public Builder model(String model) {
      this.model = requireModel(model);
      return this;
    }

    /** Appends a message. */
    public Builder message(Message message) {
      messages.add(Objects.requireNonNull(message, "message"));
      return this;
    }

    /** Replaces the conversation. */
    public Builder messages(Collection<Message> messages) {
      this.messages.clear();
      messages.forEach(this::message);
      return this;
    }

    /** Appends a system message. */
    public Builder system(String text) {
      return message(Message.system(text));
    }

    /** Appends a user message. */
    public Builder user(String text) {
      return message(Message.user(text));
    }

    /** Adds a tool. */
    public Builder tool(ToolDefinition tool) {
      tools.add(Objects.requireNonNull(tool, "tool"));
      return this;
    }

    /** Replaces the tools. */
    public Builder tools(Collection<ToolDefinition> tools) {
      this.tools.clear();
      tools.forEach(this::tool);
      return this;
    }

    /** Sets the tool choice. */
    public Builder toolChoice(@Nullable ToolChoice toolChoice) {
      this.toolChoice = toolChoice;
      return this;
    }

    /** Sets the response format. */
    public Builder responseFormat(@Nullable ResponseFormat responseFormat) {
      this.responseFormat = responseFormat;
      return this;
    }

    /** Sets the reasoning settings. */
    public Builder reasoning(@Nullable ReasoningConfig reasoning) {
      this.reasoning = reasoning;
      return this;
    }

    /** Sets the temperature, 0 to 2. */
    public Builder temperature(@Nullable Double temperature) {
      if (temperature != null && (temperature < 0 || temperature > 2 || temperature.isNaN())) {
        throw new IllegalArgumentException("temperature must be within [0, 2], was " + temperature);
      }
      this.temperature = temperature;
      return this;
    }

    /** Sets top-p, within (0, 1]. */
    public Builder topP(@Nullable Double topP) {
      if (topP != null && !(topP > 0 && topP <= 1)) {
        throw new IllegalArgumentException("topP must be within (0, 1], was " + topP);
      }
      this.topP = topP;
      return this;
    }

    /** Sets the most output tokens. */
    public Builder maxOutputTokens(@Nullable Integer maxOutputTokens) {
      if (maxOutputTokens != null && maxOutputTokens <= 0) {
        throw new IllegalArgumentException("maxOutputTokens must be > 0, was " + maxOutputTokens);
      }
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    /** Replaces the stop sequences. */
    public Builder stop(String... stop) {
      this.stop.clear();
      this.stop.addAll(List.of(stop));
      return this;
    }

    /** Sets the seed. */
    public Builder seed(@Nullable Long seed) {
      this.seed = seed;
      return this;
    }

    /** Sets the prompt cache key (see {@link ChatRequest#promptCacheKey()}). */
    public Builder promptCacheKey(@Nullable String promptCacheKey) {
      this.promptCacheKey = promptCacheKey;
      return this;
    }

    /** Adds a metadata entry. */
    public Builder metadata(String key, String value) {
      metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Sets the gateway options. */
    public Builder options(RequestOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Adds raw JSON fields for one provider, merged into its request body (e.g. {@code
     * providerExtra("openai", "{\"service_tier\":\"flex\"}")}).
     */
    public Builder providerExtra(String provider, String jsonObject) {
      Objects.requireNonNull(jsonObject, "jsonObject");
      if (!jsonObject.strip().startsWith("{")) {
        throw new IllegalArgumentException(
            "provider extras for '" + provider + "' must be a JSON object");
      }
      providerExtras.put(Objects.requireNonNull(provider, "provider"), jsonObject);
      return this;
    }

    /** Adds an HTTP header sent to the provider (its value is never printed). */
    public Builder extraHeader(String name, String value) {
      Objects.requireNonNull(name, "name");
      extraHeaders.put(name, Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Builds the request. */
    public ChatRequest build() {
      if (messages.isEmpty()) {
        throw new IllegalStateException("a chat request needs at least one message");
      }
      return new ChatRequest(this);
    }
  }
}
