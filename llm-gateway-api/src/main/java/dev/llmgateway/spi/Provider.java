package dev.llmgateway.spi;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.UnsupportedCapabilityException;
import java.util.concurrent.Flow;

/**
 * A configured transport with a unique name ({@code openai}, {@code azure-eu}, {@code
 * local-ollama}): it turns the canonical request into its provider's wire format and back.
 *
 * <p>The gateway calls a provider with the request's model already resolved to the provider's own
 * model name ({@link AttemptContext#deployment()}). Failures are reported as {@link
 * dev.llmgateway.GatewayException} subclasses, never as raw I/O exceptions or provider JSON.
 * Implementations must be thread-safe.
 */
public interface Provider extends AutoCloseable {

  /** The provider's unique name, the first half of a {@code provider/model} deployment. */
  String name();

  /** What the given model can do at this provider. */
  default ModelCapabilities capabilities(String model) {
    return ModelCapabilities.CHAT_ALL;
  }

  /**
   * Sends a chat request and waits for the whole answer, honouring the attempt's deadline. The
   * gateway enforces the deadline itself as well: when it passes, the gateway records the attempt
   * as timed out, {@linkplain AttemptContext#cancel() cancels} the attempt's context and interrupts
   * the thread running this method. An implementation must return promptly on one of the two (the
   * built-in transports cancel their HTTP call); one that ignores both keeps the caller's thread
   * until it returns, though the call's outcome is already the timeout.
   *
   * @throws dev.llmgateway.GatewayException on any failure
   */
  ChatResponse chat(ChatRequest request, AttemptContext attempt);

  /**
   * A cold, demand-aware stream of the answer: nothing is sent before a subscriber requests, a
   * slow subscriber slows the read, and cancelling the subscription cancels the HTTP call. The
   * stream ends with exactly one terminal event ({@link ChatEvent.Completed} or {@link
   * ChatEvent.Failed}) followed by {@code onComplete}; {@code onError} is kept for bugs.
   */
  Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt);

  /**
   * Embeds the inputs.
   *
   * @throws UnsupportedCapabilityException when the provider has no embeddings
   */
  default EmbeddingResponse embed(EmbeddingRequest request, AttemptContext attempt) {
    throw new UnsupportedCapabilityException(
        "provider '" + name() + "' has no embeddings API",
        dev.llmgateway.ErrorDetails.of(attempt.deployment()), null);
  }

  /**
   * The provider's moderation service, sharing its credentials, base URL and HTTP client: a
   * capability a transport declares for the hosts that serve one (OpenAI's {@code
   * /v1/moderations}). Ask once, when configuring a content policy, not per call.
   *
   * @throws UnsupportedCapabilityException when the provider has none (the default), naming it
   */
  default ModerationProvider moderation() {
    throw new UnsupportedCapabilityException("provider '" + name() + "' has no moderation API",
        new dev.llmgateway.ErrorDetails(name(), null, null, null, null), null);
  }

  /**
   * Who this provider is to an observer: the service it speaks to (the OpenTelemetry GenAI
   * conventions' {@code gen_ai.provider.name}) and the server it calls. The built-in transports
   * tell theirs from their wire format and base URL; this default says only the provider's
   * configured {@link #name()}, which telemetry then reports as a custom vendor. Called once per
   * attempt: return a value kept, not a new one.
   */
  default ProviderIdentity identity() {
    return ProviderIdentity.of(name());
  }

  /** Releases resources the provider owns (not a user-supplied HTTP client). */
  @Override
  default void close() {}
}
