package dev.llmgateway.core;

import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.core.resilience.DeploymentHealth;
import dev.llmgateway.core.route.VariantStats;
import dev.llmgateway.core.usage.UsageDeliveryStats;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One API over many LLM providers. Every call runs through one chain of interceptors inside your
 * JVM: metering → your {@link InterceptorPosition#FIRST first} interceptors → authenticate → your
 * {@link InterceptorPosition#BEFORE_ROUTING before-routing} interceptors → select a route → cache
 * (when configured) → plan → execute, where each attempt runs your {@link
 * InterceptorPosition#AROUND_ATTEMPT around-attempt} interceptors and then the provider's
 * transport. Calls without a caller use the gateway's default caller.
 *
 * <p>Every call ends in a {@link ChatResponse} (or stream, or embeddings) that tells its story, or
 * in a {@link dev.llmgateway.GatewayException} subclass; and every call produces exactly one
 * {@link dev.llmgateway.UsageRecord} for the configured sinks.
 *
 * <p>A request's model is an alias, a deployment {@code provider/model} or a model of the default
 * provider. A model that is not an alias may have at most 256 characters, none of them a control
 * character; another fails the call with an {@link dev.llmgateway.InvalidRequestException} that
 * states the limit, before the gateway keeps anything for it.
 *
 * <p>Implementations are thread-safe: share one gateway across the application. Build one with
 * {@link #builder()}; it is a small interface so that callers can fake or decorate it.
 */
public interface Gateway extends AutoCloseable {

  /** A builder for a gateway. */
  static GatewayBuilder builder() {
    return new GatewayBuilder();
  }

  /**
   * A builder holding this gateway's settings, to build a variant (another timeout, an extra
   * listener, a replaced alias) that shares this gateway's providers and executor. Closing the
   * variant does not shut down an executor this gateway owns; closing this gateway does.
   *
   * @throws UnsupportedOperationException for an implementation that cannot derive a builder (a
   *     fake or a decorator); the built-in gateway always can
   */
  default GatewayBuilder newBuilder() {
    return GatewayBuilder.derivedFrom(this);
  }

  /** Sends a chat request as the default caller and waits for the answer. */
  ChatResponse chat(ChatRequest request);

  /** Sends a chat request as the given caller (a credential or a principal). */
  ChatResponse chat(ChatRequest request, Caller caller);

  /** {@link #chat(ChatRequest)} on the gateway's executor. */
  CompletableFuture<ChatResponse> chatAsync(ChatRequest request);

  /** {@link #chat(ChatRequest, Caller)} on the gateway's executor. */
  CompletableFuture<ChatResponse> chatAsync(ChatRequest request, Caller caller);

  /**
   * Streams the answer as the default caller. The chain's request steps (authentication, routing)
   * run before this method returns; nothing is sent to a provider until the stream is subscribed
   * and demand is signalled. Failures, including those of the request steps, end the stream with a
   * {@link dev.llmgateway.ChatEvent.Failed} event; this method does not throw them.
   *
   * <p>Read with {@link ChatStream#iterator()} or {@link ChatStream#collect()}, the stream is read
   * on the calling thread, one event at a time (no hand-off between threads). A {@link
   * java.util.concurrent.Flow.Subscriber} gets events on the provider's reading thread (for the
   * built-in transports and the {@code FakeProvider}, a thread of the executor they were given);
   * events of an answer that an interceptor gave, and failures before any attempt, on the
   * gateway's executor. Retries after a backoff and hedges start on the gateway's executor when
   * the gateway's timer fires.
   *
   * <p>Subscribe within ten minutes: a stream nobody subscribes to by then (or before the gateway
   * closes) is metered as {@link dev.llmgateway.UsageRecord.Outcome#NOT_STARTED}, nothing having
   * been sent, and a later subscriber gets a {@link dev.llmgateway.ChatEvent.Failed}.
   */
  ChatStream stream(ChatRequest request);

  /** Streams the answer as the given caller; see {@link #stream(ChatRequest)}. */
  ChatStream stream(ChatRequest request, Caller caller);

  /** Embeds the inputs as the default caller. */
  EmbeddingResponse embed(EmbeddingRequest request);

  /** Embeds the inputs as the given caller. */
  EmbeddingResponse embed(EmbeddingRequest request, Caller caller);

  /**
   * A snapshot of the deployments whose state the gateway holds: circuit state, cooldown, failure
   * rate, in-flight attempts and latency percentiles, ordered by deployment name. It lists every
   * deployment the configuration names (route candidates, content-filter fallbacks, deployments
   * with {@link GatewayBuilder#deployment settings}), called or not, plus the other deployments
   * called recently and still held: at most {@link GatewayBuilder#maxAdHocDeployments(int)} of
   * them, each dropped after {@link GatewayBuilder#adHocDeploymentExpiry(java.time.Duration)}
   * unused. Taking the snapshot does not count as using them.
   */
  Map<Deployment, DeploymentHealth> health();

  /**
   * Attaches a quality score (a user's thumbs-up as 1 or 0, an eval's result) to a past call of an
   * A/B split, by its {@link dev.llmgateway.ChatResponse#callId() call id}; the variant's {@link
   * VariantStats#meanScore()} includes it. A second score for the same call replaces the first.
   * The gateway remembers the most recent 100,000 split calls for up to 24 hours. Whether or not
   * the call was part of a split, a score for a call this gateway made is also handed to the usage
   * sinks as a {@link dev.llmgateway.FeedbackRecord} ({@link
   * dev.llmgateway.spi.UsageSink#acceptFeedback}), joined to the call's usage record by its id;
   * an id this gateway never issued is ignored.
   *
   * @return whether the call was found (false: unknown, too old, or not part of a split)
   * @throws IllegalArgumentException when the score is NaN or infinite
   */
  boolean feedback(String callId, double score);

  /**
   * The running figures of each variant of the splits defined in the alias's route (a split
   * reached through another alias counts under that alias), in the order first seen: calls,
   * errors, cache hits, latency percentiles, tokens, cost, mean feedback score. Empty when the
   * alias has seen no split call.
   */
  List<VariantStats> variants(String alias);

  /**
   * How each usage sink's records have fared, in the order the sinks were added: delivered,
   * retried, spilled to the dead-letter file, dropped, queued now (see {@link
   * dev.llmgateway.core.usage.UsageDelivery}). Snapshots; taking them costs a few reads per sink.
   * The default, for fakes and decorators, is empty.
   */
  default List<UsageDeliveryStats> usageDelivery() {
    return List.of();
  }

  /**
   * Closes the gateway: later calls are refused ({@code IllegalStateException}), the executor the
   * gateway created is shut down (not one you supplied), and the providers are closed when the
   * builder said {@link GatewayBuilder#closeProviders(boolean) closeProviders(true)}. Every stream
   * made and not yet subscribed — also one whose making raced the close — is metered {@link
   * dev.llmgateway.UsageRecord.Outcome#NOT_STARTED} now, and its late subscriber gets a {@link
   * dev.llmgateway.ChatEvent.Failed}. Then each asynchronous usage sink's queue drains, all in
   * parallel, for at most its {@link dev.llmgateway.core.usage.UsageDelivery#drainTimeout() drain
   * timeout} (5 s by default); what is left is written to its dead-letter file (or counted as
   * dropped when it has none), so close returns within the longest drain timeout plus those
   * writes. Calls in flight run on and are metered as they end; their records go to the
   * dead-letter files (or are counted as dropped) of asynchronous sinks, and to inline sinks as
   * before.
   */
  @Override
  void close();
}
