package dev.llmgateway.testing;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.GatewayException;
import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.testing.internal.Step;
import dev.llmgateway.testing.internal.Tokens;
import dev.llmgateway.testing.internal.Waiter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The pull source of one subscription to a fake stream: hands out the step's events, waiting
 * first for its delay and at its gates. {@link #close()} may come from another thread while it
 * waits and releases it; a close before the terminal event counts as a cancellation.
 *
 * <p>{@link #next()} runs on one thread at a time (the publisher's drain loop); {@link #close()}
 * may run on any thread.
 */
final class FakeSource implements PullPublisher.Source<ChatEvent> {
  private final FakeProvider fake;
  private final RecordedCall call;
  private final ChatRequest request;
  private final List<ChatEvent> events;
  private final long delayNanos;
  private final Map<Integer, Step.Gate> gates;
  private final long deadlineNanos;
  private final FakeProvider.Timeouts timeouts;
  private final Waiter waiter = new Waiter();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean terminated;
  private int position; // touched by next() only
  private boolean delayed; // touched by next() only

  FakeSource(FakeProvider fake, RecordedCall call, ChatRequest request, List<ChatEvent> events,
      @Nullable Step step, long deadlineNanos, FakeProvider.Timeouts timeouts) {
    this.fake = fake;
    this.call = call;
    this.request = request;
    this.events = events;
    this.delayNanos = step == null ? 0 : step.delay().toNanos();
    this.gates = step == null ? Map.of() : step.gates();
    this.deadlineNanos = deadlineNanos;
    this.timeouts = timeouts;
    fake.register(waiter);
  }

  @Override
  public @Nullable ChatEvent next() {
    if (terminated || closed.get() || position >= events.size()) {
      return null;
    }
    if (!delayed) {
      delayed = true;
      if (delayNanos > 0) {
        Waiter.Outcome outcome = waiter.delay(delayNanos, deadlineNanos);
        if (outcome != Waiter.Outcome.DONE) {
          return stopped(outcome);
        }
      }
    }
    Step.Gate gate = gates.get(position);
    if (gate != null) {
      CountDownLatch arrived = gate.arrived();
      if (arrived != null) {
        arrived.countDown();
      }
      // like the real transports, the attempt's deadline bounds the wait for the first token only
      Waiter.Outcome outcome = waiter.gate(gate.open(),
          sentContent() ? AttemptContext.NO_DEADLINE : deadlineNanos);
      if (outcome != Waiter.Outcome.DONE) {
        return stopped(outcome);
      }
    }
    return emit(events.get(position++));
  }

  private boolean sentContent() {
    for (int i = 0; i < position; i++) {
      if (events.get(i).isContent()) {
        return true;
      }
    }
    return false;
  }

  /** A wait ended early: nothing more if the consumer closed, else a terminal failure. */
  private @Nullable ChatEvent stopped(Waiter.Outcome outcome) {
    if (closed.get()) {
      return null;
    }
    GatewayException error = outcome == Waiter.Outcome.TIMED_OUT
        ? timeouts.firstTokenTimeout()
        : timeouts.interrupted(outcome == Waiter.Outcome.CANCELLED);
    List<ChatEvent> sent = List.copyOf(events.subList(0, position));
    position = events.size();
    return emit(Tokens.failedAfter(sent, error, request));
  }

  private ChatEvent emit(ChatEvent event) {
    if (event.isTerminal()) {
      terminated = true;
    }
    call.eventEmitted();
    fake.eventEmitted();
    return event;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    waiter.cancel();
    fake.unregister(waiter);
    if (!terminated) {
      call.markCancelled();
      fake.streamCancelled();
    }
  }
}
