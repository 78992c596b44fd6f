package dev.llmgateway.core.internal.call;

import dev.llmgateway.ChatEvent;
import java.util.concurrent.Flow;

/** Small pieces shared by the gateway's stream stages. */
public final class Streams {
  private static final Flow.Subscription CANCELLED = new Flow.Subscription() {
    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  };

  private Streams() {}

  public static void rejectSecondSubscriber(Flow.Subscriber<?> subscriber) {
    subscriber.onSubscribe(CANCELLED);
    subscriber.onError(new IllegalStateException(
        "a ChatStream is one call and can be subscribed once; call Gateway.stream again"));
  }

  /** Characters of content an event carries (text, reasoning text, tool arguments). */
  public static long contentChars(ChatEvent event) {
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
