package dev.llmgateway.core.internal.meter;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.GatewayException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.ForwardingStream;
import dev.llmgateway.internal.TimerWheel;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The outermost stage of a streamed call, between the chain's stream and the caller: it marks the
 * commit point (time to first token), counts what reached the caller, completes the terminal
 * event's story (call id, attempts, latency, usage) and meters the call exactly once — and what
 * it meters is what the caller saw. Whoever ends the call first ({@link Call#end()}) writes the
 * record: the terminal event (the caller then gets it, with the record's usage and attempts), or
 * the caller's cancel (a terminal event racing it is then dropped, so no caller holds an answer
 * that the record calls cancelled). Demand and cancellation pass straight through.
 *
 * <p>A stream nobody subscribes to is metered as {@link UsageRecord.Outcome#NOT_STARTED} when its
 * gateway closes or {@link MeterInterceptor#UNSUBSCRIBED_EXPIRY} after it was made; nothing was
 * sent to a provider, and a later subscriber gets a {@link ChatEvent.Failed} instead of a call
 * that would go unmetered.
 */
final class MeteredStream extends ForwardingStream {
  private static final int PENDING = 0;
  private static final int SUBSCRIBED = 1;
  private static final int EXPIRED = 2;

  private final MeterInterceptor meter;
  private final Call call;
  private final AtomicInteger state = new AtomicInteger(PENDING);
  private volatile TimerWheel.@Nullable Timer expiry;
  private volatile boolean cancelRequested;
  private volatile @Nullable Duration timeToFirstToken;
  private int deliveredEvents;
  private long deliveredTextChars;

  MeteredStream(MeterInterceptor meter, Call call, ChatStream upstream) {
    super(upstream);
    this.meter = meter;
    this.call = call;
  }

  /** Arms the expiry of an unsubscribed stream. */
  void expireAfter(TimerWheel.Timer timer) {
    expiry = timer;
    if (state.get() != PENDING) {
      timer.cancel();
    }
  }

  @Override
  protected boolean starting() {
    if (state.compareAndSet(PENDING, SUBSCRIBED)) {
      TimerWheel.Timer timer = expiry;
      if (timer != null) {
        timer.cancel();
      }
      meter.subscribed(this);
      return true;
    }
    // delivered on the subscriber's own requesting thread: the gateway's executor may be shut down
    ChatStream.failed(new InvalidRequestException("stream of call " + call.callId()
        + " was not subscribed before its gateway closed or within "
        + MeterInterceptor.UNSUBSCRIBED_EXPIRY.toMinutes() + " minutes of Gateway.stream(...);"
        + " nothing was sent: call Gateway.stream again"), Runnable::run)
        .subscribe(downstream());
    return false;
  }

  /** Meters the stream as never started, unless it was subscribed (or expired) before. */
  void expire() {
    if (state.compareAndSet(PENDING, EXPIRED)) {
      meter.subscribed(this);
      meter.notStarted(call);
    }
  }

  @Override
  public void cancel() {
    cancelRequested = true; // before the record is decided: a racing terminal event is dropped
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
      ChatResponse story = meter.complete(call, c.response(), timeToFirstToken);
      if (story != null) {
        d.onNext(new ChatEvent.Completed(story));
      } else if (!cancelRequested) {
        d.onNext(c); // the call was metered before the stream began (not by this caller's cancel)
      }
    } else if (event instanceof ChatEvent.Failed f) {
      UsageRecord record = meter.failedRecord(call, f.error(), timeToFirstToken);
      if (record != null) {
        d.onNext(new ChatEvent.Failed(f.error(), deliveredEvents, deliveredTextChars,
            record.usage(), record.attempts()));
      } else if (!cancelRequested) {
        // metered when the chain failed before the stream began: the same figures
        d.onNext(new ChatEvent.Failed(f.error(), deliveredEvents, deliveredTextChars,
            call.attemptUsage(), call.attempts()));
      }
    } else {
      d.onNext(event);
    }
  }

  @Override
  public void onError(Throwable t) {
    GatewayException error = MeterInterceptor.typed(t);
    if (meter.failedRecord(call, error, timeToFirstToken) != null || !cancelRequested) {
      downstream().onError(t);
    }
  }

  @Override
  public void onComplete() {
    if (!call.hasEnded()) {
      meter.failedRecord(call, new ProviderUnavailableException(
          "the stream ended without a terminal event"), timeToFirstToken);
    }
    if (!cancelRequested) {
      downstream().onComplete();
    }
  }
}
