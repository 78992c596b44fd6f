package dev.llmgateway.spi;

import dev.llmgateway.CallKind;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.UnsupportedCapabilityException;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one request needs of the model that serves it, worked out once per request: the kind of
 * call (chat, stream or embeddings), tool calling, image input, document input, JSON-schema
 * output, reasoning settings, and for the context window the request's own cap on output tokens
 * and its estimated input tokens. Checked against a model's {@link ModelCapabilities}, it is the
 * gateway's one capability rule: routing skips the candidates it rules out, and every transport
 * refuses by it before sending anything, so both give the same reason in the same words.
 *
 * <p>Two checks, kept apart on purpose:
 *
 * <ul>
 *   <li>{@link #unmetBy(ModelCapabilities)}: what the model certainly cannot do (the call kind,
 *       tools, images, documents, a JSON schema, reasoning settings). Routing skips by it and
 *       transports refuse by it ({@link #requireMetBy(ModelCapabilities, ErrorDetails)}).
 *   <li>{@link #tooLongFor(ModelCapabilities)}: whether the request likely overflows the model's
 *       context window, by {@link TokenEstimator}'s estimate (about four characters per token).
 *       Only routing skips by it, to prefer a candidate with room. Transports do not refuse by it:
 *       the estimate can be off either way, so a transport refusing by it would fail requests the
 *       provider would have served; the provider itself answers an overflow with a {@link
 *       dev.llmgateway.ContextLengthExceededException}.
 * </ul>
 *
 * <p>The message scan (images, documents) happens once, in {@link #of(GatewayRequest, CallKind)};
 * the token estimate is computed on first use only, since it matters only for models with a known
 * context window.
 *
 * <p>Immutable and thread-safe: share one instance for a whole call (every candidate, every
 * attempt). The estimate is kept once computed; racing threads compute the same value.
 */
public final class RequestNeeds {
  private static final long NOT_ESTIMATED = -1;

  private final GatewayRequest request;
  private final CallKind kind;
  private final boolean tools;
  private final boolean images;
  private final boolean documents;
  private final boolean jsonSchema;
  private final boolean reasoning;
  private final long maxOutputTokens;
  private volatile long estimatedInputTokens = NOT_ESTIMATED;

  private RequestNeeds(GatewayRequest request, CallKind kind) {
    this.request = request;
    this.kind = kind;
    if (request instanceof ChatRequest chat) {
      this.tools = !chat.tools().isEmpty();
      ResponseFormat format = chat.responseFormat();
      this.jsonSchema = format != null && format.type() == ResponseFormat.Type.JSON_SCHEMA;
      this.reasoning = chat.reasoning() != null;
      Integer max = chat.maxOutputTokens();
      this.maxOutputTokens = max == null ? 0 : max;
      boolean image = false;
      boolean document = false;
      List<Message> messages = chat.messages();
      for (int i = 0, n = messages.size(); i < n && !(image && document); i++) {
        List<ContentPart> parts = messages.get(i).content();
        for (int j = 0, m = parts.size(); j < m; j++) {
          ContentPart part = parts.get(j);
          image |= part instanceof ContentPart.Image;
          document |= part instanceof ContentPart.Document;
        }
      }
      this.images = image;
      this.documents = document;
    } else {
      this.tools = false;
      this.images = false;
      this.documents = false;
      this.jsonSchema = false;
      this.reasoning = false;
      this.maxOutputTokens = 0;
    }
  }

  /**
   * What the request needs when called as {@code kind}.
   *
   * @param request the request, as it will be sent
   * @param kind {@link CallKind#CHAT} or {@link CallKind#STREAM} for a chat request, {@link
   *     CallKind#EMBED} for an embedding request
   * @return its needs
   * @throws IllegalArgumentException when the kind does not fit the request (an embedding request
   *     called as a chat, or the other way round)
   */
  public static RequestNeeds of(GatewayRequest request, CallKind kind) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(kind, "kind");
    if ((kind == CallKind.EMBED) != (request instanceof EmbeddingRequest)) {
      throw new IllegalArgumentException("a " + request.getClass().getSimpleName()
          + " cannot be called as " + kind);
    }
    return new RequestNeeds(request, kind);
  }

  /** The kind of call. */
  public CallKind kind() {
    return kind;
  }

  /** The request these are the needs of (the very object given to {@link #of}). */
  public GatewayRequest request() {
    return request;
  }

  /** Whether the request offers the model tools to call. */
  public boolean tools() {
    return tools;
  }

  /** Whether some message carries an image. */
  public boolean images() {
    return images;
  }

  /** Whether some message carries a document. */
  public boolean documents() {
    return documents;
  }

  /** Whether the answer must follow a JSON schema. */
  public boolean jsonSchema() {
    return jsonSchema;
  }

  /** Whether the request sets reasoning (an effort or a budget, a budget of 0 included). */
  public boolean reasoning() {
    return reasoning;
  }

  /** The request's own cap on output tokens, 0 when it sets none (and for embeddings). */
  public long maxOutputTokens() {
    return maxOutputTokens;
  }

  /**
   * The request's estimated input tokens ({@link TokenEstimator#input(GatewayRequest)}), computed
   * on the first call and then kept.
   */
  public long estimatedInputTokens() {
    long n = estimatedInputTokens;
    if (n == NOT_ESTIMATED) {
      n = TokenEstimator.input(request);
      estimatedInputTokens = n;
    }
    return n;
  }

  /**
   * The first need the model certainly cannot meet, as a short reason, or null when it meets them
   * all. In this order: {@code "no embeddings"}, {@code "no streaming"} or {@code "no chat"} (by
   * the call kind; an embedding call needs nothing else), {@code "no tool calling"}, {@code "no
   * image input"}, {@code "no document input"}, {@code "no JSON schema output"}, {@code "no
   * reasoning"}. The context window is not checked here: see {@link #tooLongFor}.
   *
   * @param capabilities what the model can do
   * @return the reason, or null
   */
  public @Nullable String unmetBy(ModelCapabilities capabilities) {
    if (kind == CallKind.EMBED) {
      return capabilities.embeddings() ? null : "no embeddings";
    }
    if (kind == CallKind.STREAM ? !capabilities.streaming() : !capabilities.chat()) {
      return kind == CallKind.STREAM ? "no streaming" : "no chat";
    }
    if (tools && !capabilities.tools()) {
      return "no tool calling";
    }
    if (images && !capabilities.vision()) {
      return "no image input";
    }
    if (documents && !capabilities.documents()) {
      return "no document input";
    }
    if (jsonSchema && !capabilities.jsonSchema()) {
      return "no JSON schema output";
    }
    if (reasoning && !capabilities.reasoning()) {
      return "no reasoning";
    }
    return null;
  }

  /**
   * Why the request likely does not fit the model's context window, or null when it likely fits,
   * the window is unknown (0), or the call is for embeddings (whose limit applies to each input,
   * not to their sum). The estimate is {@link #estimatedInputTokens()} plus {@link
   * #maxOutputTokens()}; the reason reads {@code "context window 8192 < estimated 9000 input +
   * 1000 output tokens"}. Routing skips by it; transports do not refuse by it (see the class
   * doc).
   *
   * @param capabilities what the model can do
   * @return the reason, or null
   */
  public @Nullable String tooLongFor(ModelCapabilities capabilities) {
    int window = capabilities.contextWindow();
    if (window <= 0 || kind == CallKind.EMBED) {
      return null;
    }
    long input = estimatedInputTokens();
    if (input + maxOutputTokens <= window) {
      return null;
    }
    return "context window " + window + " < estimated " + input + " input + " + maxOutputTokens
        + " output tokens";
  }

  /**
   * Refuses, before anything is sent, a request the model certainly cannot serve ({@link
   * #unmetBy(ModelCapabilities)}); the context window is not checked.
   *
   * @param capabilities what the model can do
   * @param details the deployment the request is for, named in the message and carried by the
   *     exception
   * @throws UnsupportedCapabilityException naming the deployment, the unmet need and what to do,
   *     when the model cannot serve the request
   */
  public void requireMetBy(ModelCapabilities capabilities, ErrorDetails details) {
    String unmet = unmetBy(capabilities);
    if (unmet != null) {
      throw new UnsupportedCapabilityException(deployment(details)
          + " cannot serve this request: " + unmet + " (by its provider's capabilities(model));"
          + " send it to a model that can, or correct those capabilities if this one can",
          details, null);
    }
  }

  /**
   * {@code of(request, kind).requireMetBy(capabilities, details)}, without working out the needs
   * when the capabilities meet every need a call of that kind can have (chat or streaming with
   * tools, vision, documents, JSON schema and reasoning, or embeddings): what a transport checks
   * before every call.
   *
   * @throws IllegalArgumentException when the request cannot be called as {@code kind}
   * @throws UnsupportedCapabilityException as {@link #requireMetBy}
   */
  public static void require(GatewayRequest request, CallKind kind, ModelCapabilities capabilities,
      ErrorDetails details) {
    if ((kind == CallKind.EMBED) == (request instanceof EmbeddingRequest)
        && meetsEverything(capabilities, kind)) {
      return;
    }
    of(request, kind).requireMetBy(capabilities, details);
  }

  private static boolean meetsEverything(ModelCapabilities c, CallKind kind) {
    if (kind == CallKind.EMBED) {
      return c.embeddings();
    }
    return (kind == CallKind.STREAM ? c.streaming() : c.chat()) && c.tools() && c.vision()
        && c.documents() && c.jsonSchema() && c.reasoning();
  }

  private static String deployment(ErrorDetails details) {
    if (details.model() == null) {
      return "the model";
    }
    return details.provider() == null ? details.model() : details.provider() + "/"
        + details.model();
  }

  /** The needs, e.g. {@code RequestNeeds[STREAM, tools, images, maxOutputTokens=500]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("RequestNeeds[").append(kind);
    if (tools) {
      sb.append(", tools");
    }
    if (images) {
      sb.append(", images");
    }
    if (documents) {
      sb.append(", documents");
    }
    if (jsonSchema) {
      sb.append(", jsonSchema");
    }
    if (reasoning) {
      sb.append(", reasoning");
    }
    if (maxOutputTokens > 0) {
      sb.append(", maxOutputTokens=").append(maxOutputTokens);
    }
    return sb.append(']').toString();
  }
}
