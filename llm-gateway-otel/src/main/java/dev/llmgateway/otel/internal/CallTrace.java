package dev.llmgateway.otel.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One call's telemetry, kept on the call itself ({@code CallContext.tag(CallTrace.class)}): its
 * span and context, the spans of its running attempts, and what each ended attempt leaves for the
 * metrics recorded when the call ends (then the team, alias and variant are known). Thread-safe:
 * attempts of one call (a hedge) start and end on different threads, so its methods synchronise on
 * it; a call has few attempts.
 */
public final class CallTrace {
  /** The call's span; invalid when tracing is off. */
  final Span span;
  /** The application's context at call start, with the call's span. */
  final Context context;
  private final List<AttemptTrace> running = new ArrayList<>(2);
  private final List<AttemptFacts> ended = new ArrayList<>(2);
  private long firstTokenNanos = -1;
  private boolean callEnded;
  private Attributes callAttributes = Attributes.empty();

  CallTrace(Span span, Context context) {
    this.span = span;
    this.context = context;
  }

  /** What the listener keeps of a running attempt. */
  record AttemptTrace(int number, Span span, long startNanos, String vendor,
      @Nullable String host, int port) {}

  /** What an ended attempt leaves for the call's metrics. */
  record AttemptFacts(String operation, String vendor, String requestModel,
      @Nullable String responseModel, @Nullable String host, int port, double seconds,
      long inputTokens, long outputTokens, @Nullable String errorType, boolean counted) {}

  synchronized void started(AttemptTrace attempt) {
    running.add(attempt);
  }

  synchronized @Nullable AttemptTrace take(int number) {
    for (int i = 0; i < running.size(); i++) {
      if (running.get(i).number() == number) {
        return running.remove(i);
      }
    }
    return null;
  }

  /**
   * Keeps an ended attempt's facts; after the call ended, returns the call's metric attributes so
   * that the caller records them now, else null.
   */
  synchronized @Nullable Attributes ended(AttemptFacts facts) {
    if (callEnded) {
      return callAttributes;
    }
    ended.add(facts);
    return null;
  }

  synchronized void firstToken(long nanos) {
    if (firstTokenNanos < 0) {
      firstTokenNanos = nanos;
    }
  }

  synchronized long firstTokenNanos() {
    return firstTokenNanos;
  }

  /** Ends the call: the facts of its ended attempts; later ones are recorded as they end. */
  synchronized List<AttemptFacts> end(Attributes callAttributes) {
    callEnded = true;
    this.callAttributes = callAttributes;
    return List.copyOf(ended);
  }
}
