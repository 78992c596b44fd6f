package dev.llmgateway.core.internal.meter;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatStream;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.ForwardingStream;
import java.time.Duration;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * The outermost stage of a streamed call, between the chain's stream and the caller: it marks the
 * commit point (time to first token), counts what reached the caller, completes the terminal
 * event's story (call id, attempts, latency, usage) and meters the call exactly once: on the
 * terminal event, or on cancellation. Demand and cancellation pass straight through.
 */
final class MeteredStream extends ForwardingStream {
  private final MeterInterceptor meter;
  private final Call call;
  private volatile @Nullable Duration timeToFirstToken;
  private int deliveredEvents;
  private long deliveredTextChars;

  public MeteredStream(MeterInterceptor meter, Call call, ChatStream upstream) {
    super(upstream);
    this.meter = meter;
    this.call = call;
  }

  @Override
  public void cancel() {
    cancelUpstream();
    meter.cancelled(call, timeToFirstToken);
  }

  @Override
  public void onNext(ChatEvent event) {
    Flow.Subscriber<? super ChatEvent> d = downstream();
    if (event.isContent()) {
      if (deliveredEvents++ == 0) {
        Duration ttft = Duration.ofNanos(System.nanoTime() - call.startNanos());
        timeToFirstToken = ttft;
        meter.listener().onFirstToken(call, ttft);
      }
      if (event instanceof ChatEvent.TextDelta t) {
        deliveredTextChars += t.text().length();
      }
      d.onNext(event);
    } else if (event instanceof ChatEvent.Completed c) {
      d.onNext(new ChatEvent.Completed(meter.complete(call, c.response(), timeToFirstToken)));
    } else if (event instanceof ChatEvent.Failed f) {
      ChatEvent.Failed failed = new ChatEvent.Failed(f.error(), deliveredEvents,
          deliveredTextChars, call.attemptUsage(), call.attempts());
      meter.failed(call, f.error(), timeToFirstToken);
      d.onNext(failed);
    } else {
      d.onNext(event);
    }
  }

  @Override
  public void onError(Throwable t) {
    GatewayException error = t instanceof GatewayException g ? g
        : new GatewayInternalException("the stream failed: " + t.getClass().getName(),
            dev.llmgateway.ErrorDetails.NONE, t);
    meter.failed(call, error, timeToFirstToken);
    downstream().onError(t);
  }

  @Override
  public void onComplete() {
    if (!call.hasEnded()) {
      meter.failed(call, new ProviderUnavailableException(
          "the stream ended without a terminal event"), timeToFirstToken);
    }
    downstream().onComplete();
  }
}
