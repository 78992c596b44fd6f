package dev.llmgateway.core.internal.cache;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.core.internal.call.ForwardingStream;
import java.util.function.Consumer;

/**
 * The cache step's decorator of a streamed miss: events, demand and cancellation pass straight
 * through; when the stream ends with {@link ChatEvent.Completed} (and was not cancelled before),
 * its answer is handed to the cache just before the event goes on, so a caller who saw the end of
 * the stream finds the entry. A stream that ends with {@link ChatEvent.Failed}, an error, or no
 * terminal event at all stores nothing.
 *
 * <p>The answer is taken from the terminal event, which carries the whole answer as a unary call
 * would have returned it; the content events are not accumulated a second time.
 */
final class CachingStream extends ForwardingStream {
  private final Consumer<ChatResponse> store;
  private volatile boolean cancelled;

  public CachingStream(ChatStream upstream, Consumer<ChatResponse> store) {
    super(upstream);
    this.store = store;
  }

  @Override
  public void cancel() {
    cancelled = true;
    cancelUpstream();
  }

  @Override
  public void onNext(ChatEvent event) {
    if (event instanceof ChatEvent.Completed c && !cancelled) {
      store.accept(c.response());
    }
    downstream().onNext(event);
  }
}
