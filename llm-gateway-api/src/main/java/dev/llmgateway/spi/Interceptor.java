package dev.llmgateway.spi;

import dev.llmgateway.CallResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.GatewayRequest;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One step of the gateway's chain. An interceptor gets the {@link Chain}; it may answer itself
 * (short-circuit), rewrite the request and {@link Chain#proceed proceed}, or proceed and look at or
 * replace the result. The same interceptor sees unary, streaming and embedding calls: the result of
 * {@code proceed} is a {@link dev.llmgateway.ChatResponse}, a {@link dev.llmgateway.ChatStream} or
 * an {@link dev.llmgateway.EmbeddingResponse}; interceptors that need output of a stream decorate
 * the stream rather than buffer it.
 *
 * <p>Implementations must be thread-safe: one instance serves every call. Threads: call-level
 * interceptors run on the caller's thread ({@code chatAsync}: the gateway's executor); interceptors
 * around each attempt run on the thread running that attempt (the caller's for a first attempt,
 * the gateway's executor for a hedge or a retry after a backoff), never on the gateway's timer
 * thread. An around-attempt interceptor still running at the attempt's deadline has its thread
 * interrupted; it should let the interrupt end its work.
 */
@FunctionalInterface
public interface Interceptor {

  /**
   * Handles one call.
   *
   * @throws dev.llmgateway.GatewayException to fail the call with a typed error
   */
  CallResult intercept(Chain chain);

  /**
   * An interceptor for chat calls, unary and streamed, that lets every other call (an embedding)
   * pass untouched — the safe way to write one that reads or rewrites messages:
   *
   * <pre>{@code
   * Interceptor countMessages = Interceptor.forChat((request, chain) -> {
   *   metrics.record(request.model(), request.messages().size());
   *   return chain.proceed(request);
   * });
   * }</pre>
   */
  static Interceptor forChat(ForChat interceptor) {
    Objects.requireNonNull(interceptor, "interceptor");
    return chain -> chain.request() instanceof ChatRequest chat
        ? interceptor.intercept(chat, chain) : chain.proceed(chain.request());
  }

  /** The chat half of an interceptor made with {@link #forChat(ForChat)}. */
  @FunctionalInterface
  interface ForChat {
    /**
     * Handles one chat call ({@code chain.request()} is {@code request}).
     *
     * @throws dev.llmgateway.GatewayException to fail the call with a typed error
     */
    CallResult intercept(ChatRequest request, Chain chain);
  }

  /** The rest of the chain, as one interceptor sees it. */
  interface Chain {

    /** The call. */
    CallContext call();

    /**
     * The request as it stands at this step: a {@link ChatRequest} for a chat call (unary or
     * streamed), an {@link dev.llmgateway.EmbeddingRequest} for an embedding call. Use {@link
     * #chatRequest()} rather than a cast.
     */
    GatewayRequest request();

    /** The request when this is a chat call (unary or streamed); empty for an embedding call. */
    default Optional<ChatRequest> chatRequest() {
      return request() instanceof ChatRequest chat ? Optional.of(chat) : Optional.empty();
    }

    /** For interceptors placed around each attempt, that attempt; otherwise null. */
    @Nullable AttemptContext attempt();

    /**
     * Runs the rest of the chain with the given request (the same kind as {@link #request()}).
     */
    CallResult proceed(GatewayRequest request);
  }
}
