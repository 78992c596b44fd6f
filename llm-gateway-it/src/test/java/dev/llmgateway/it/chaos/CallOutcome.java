package dev.llmgateway.it.chaos;

import dev.llmgateway.AllCandidatesFailedException;
import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.GatewayException;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.core.Gateway;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * What one call of a chaos run came to, as its caller saw it.
 *
 * @param stream whether it was a streamed call
 * @param alias the alias it was sent to
 * @param took from the call to its answer, failure or terminal event
 * @param response the answer (unary) or the completed stream's answer, or null
 * @param failure what the call threw (unary) or the error of the stream's failed terminal event
 * @param failed the stream's failed terminal event, or null
 * @param text the text deltas the caller received, joined (streams)
 * @param contentEvents how many content events the caller received (streams)
 * @param terminalEvents how many terminal events the caller received (streams; exactly 1 is right)
 * @param eventsAfterTerminal events received after the first terminal one (streams; 0 is right)
 */
record CallOutcome(
    boolean stream,
    String alias,
    Duration took,
    @Nullable ChatResponse response,
    @Nullable GatewayException failure,
    ChatEvent.@Nullable Failed failed,
    String text,
    int contentEvents,
    int terminalEvents,
    int eventsAfterTerminal) {

  /** Sends a unary call and records how it ended. */
  static CallOutcome chat(Gateway gateway, String alias, ChatRequest request) {
    long start = System.nanoTime();
    try {
      ChatResponse response = gateway.chat(request);
      return new CallOutcome(false, alias, since(start), response, null, null, "", 0, 0, 0);
    } catch (GatewayException e) {
      return new CallOutcome(false, alias, since(start), null, e, null, "", 0, 0, 0);
    }
  }

  /** Streams a call to its end and records every event the caller received. */
  static CallOutcome stream(Gateway gateway, String alias, ChatRequest request) {
    long start = System.nanoTime();
    Seen seen = new Seen();
    try (StreamIterator<ChatEvent> events = gateway.stream(request).iterator()) {
      while (events.hasNext()) {
        seen.add(events.next());
      }
    }
    return seen.outcome(alias, since(start));
  }

  /**
   * Streams a call to its end through a subscriber that is slow to ask: one event at a time, each
   * asked for {@code pause} after the one before arrived, from the caller's thread (the pause is
   * the slowness under test); records every event as {@link #stream} does, and counts the events
   * that arrived on a gateway timer thread into {@code onTimerThread} (0 is right).
   */
  static CallOutcome slowStream(Gateway gateway, String alias, ChatRequest request,
      Duration pause, AtomicInteger onTimerThread) {
    long start = System.nanoTime();
    BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    AtomicReference<Flow.@Nullable Subscription> subscription = new AtomicReference<>();
    gateway.stream(request).subscribe(new Flow.Subscriber<ChatEvent>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription.set(s);
      }

      @Override
      public void onNext(ChatEvent event) {
        if (SlowSink.TIMER_THREAD.equals(Thread.currentThread().getName())) {
          onTimerThread.incrementAndGet();
        }
        arrived.add(event);
      }

      @Override
      public void onError(Throwable t) {
        arrived.add(t);
      }

      @Override
      public void onComplete() {
        arrived.add(COMPLETE);
      }
    });
    Seen seen = new Seen();
    Flow.Subscription s = Objects.requireNonNull(subscription.get(), "subscribed");
    s.request(1);
    for (;;) {
      Object next;
      try {
        next = arrived.poll(LIMIT.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        s.cancel();
        break;
      }
      if (next == null || next == COMPLETE || next instanceof Throwable) {
        break; // no terminal event within the limit shows as terminalEvents() == 0
      }
      seen.add((ChatEvent) next);
      LockSupport.parkNanos(pause.toNanos());
      s.request(1);
    }
    return seen.outcome(alias, since(start));
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** The longest a slow subscriber waits for its next event before it gives up. */
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final Object COMPLETE = new Object();

  /** What a stream's caller has received so far. Not thread-safe: the caller's thread only. */
  private static final class Seen {
    private final StringBuilder text = new StringBuilder();
    private int content;
    private int terminals;
    private int after;
    private @Nullable ChatEvent terminal;

    void add(ChatEvent event) {
      if (terminal != null) {
        after++;
      }
      if (event instanceof ChatEvent.TextDelta d) {
        text.append(d.text());
      }
      if (event.isContent()) {
        content++;
      }
      if (event.isTerminal()) {
        terminals++;
        if (terminal == null) {
          terminal = event;
        }
      }
    }

    CallOutcome outcome(String alias, Duration took) {
      ChatResponse response = terminal instanceof ChatEvent.Completed c ? c.response() : null;
      ChatEvent.Failed failed = terminal instanceof ChatEvent.Failed f ? f : null;
      return new CallOutcome(true, alias, took, response, failed == null ? null : failed.error(),
          failed, text.toString(), content, terminals, after);
    }
  }

  /** Whether the caller got an answer: a unary response, or a stream that completed. */
  boolean succeeded() {
    return response != null && failure == null;
  }

  /** Whether a stream ended in a failure after content had reached the caller. */
  boolean failedAfterCommit() {
    return failed != null && failed.committed() && contentEvents > 0;
  }

  /** Every attempt of the call, as its answer or its failure tells them; empty if neither does. */
  List<Attempt> attempts() {
    if (response != null) {
      return response.attempts();
    }
    if (failed != null) {
      return failed.attempts();
    }
    if (failure instanceof AllCandidatesFailedException all) {
      return all.attempts();
    }
    return List.of();
  }

  @Override
  public String toString() {
    String how = response != null ? "answered by " + response.deployment()
        : failure != null ? "failed with " + failure.getClass().getSimpleName() + ": "
            + failure.getMessage()
        : "ended without a terminal event";
    StringBuilder story = new StringBuilder();
    for (Attempt a : attempts()) {
      story.append(story.length() == 0 ? "" : ", ").append('#').append(a.number()).append(' ')
          .append(a.kind()).append(' ').append(a.deployment()).append(' ').append(a.outcome())
          .append(' ').append(a.latency().toMillis()).append(" ms")
          .append(a.errorType() == null ? "" : " " + a.errorType());
    }
    return (stream ? "stream" : "unary") + " to " + alias + " " + how + " after "
        + took.toMillis() + " ms (" + contentEvents + " content events, text '" + text
        + "'; attempts: " + story + ")";
  }
}
