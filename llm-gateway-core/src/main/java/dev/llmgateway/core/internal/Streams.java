package dev.llmgateway.core.internal;

import dev.llmgateway.ChatEvent;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/** Small pieces shared by the gateway's stream stages. */
final class Streams {
  private static final Flow.Subscription CANCELLED = new Flow.Subscription() {
    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  };

  private Streams() {}

  /** Adds demand, capping at {@link Long#MAX_VALUE} (Reactive Streams rule 3.17). */
  static void addDemand(AtomicLong demand, long n) {
    long current;
    long next;
    do {
      current = demand.get();
      if (current == Long.MAX_VALUE) {
        return;
      }
      next = current + n;
      if (next < 0) {
        next = Long.MAX_VALUE;
      }
    } while (!demand.compareAndSet(current, next));
  }

  static void rejectSecondSubscriber(Flow.Subscriber<?> subscriber) {
    subscriber.onSubscribe(CANCELLED);
    subscriber.onError(new IllegalStateException(
        "a ChatStream is one call and can be subscribed once; call Gateway.stream again"));
  }

  /** Characters of content an event carries (text, reasoning text, tool arguments). */
  static long contentChars(ChatEvent event) {
    if (event instanceof ChatEvent.TextDelta t) {
      return t.text().length();
    }
    if (event instanceof ChatEvent.ReasoningDelta r) {
      return r.text() == null ? 0 : r.text().length();
    }
    if (event instanceof ChatEvent.ToolCallDelta d) {
      return d.argumentsFragment().length() + (d.name() == null ? 0 : d.name().length());
    }
    return 0;
  }
}
