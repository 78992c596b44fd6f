package dev.llmgateway.core.internal.execute;

import dev.llmgateway.ChatEvent;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The caller's end of a streamed call: the demand its subscriber signalled, its events delivered in
 * order, and the one terminal event — delivered only against demand, and never lost.
 *
 * <p>One atomic word holds both the demand not yet used and whether the stream has ended, so that
 * taking a unit of demand for an event and reserving one for the terminal event cannot both use
 * the same unit: an event takes a unit by compare-and-set only while the stream is open; the call's
 * end ({@link #end}) moves the word to {@code ENDED} by compare-and-set when demand is left
 * (the terminal event is then delivered at once), else to {@code ENDING} with the terminal event
 * parked until the next {@link #request}, which delivers it. An event racing the end is delivered
 * before the terminal event (it took its unit first) or not at all. The old check-then-act (read
 * the demand under the sequencer's monitor, take it later outside) let an event slip between the
 * two and the terminal event arrive without demand; a {@link dev.llmgateway.StreamIterator} whose
 * queue was full then lost the end and hung.
 *
 * <p>Threading: {@link #request} and {@link #end} are lock-free and may run on any thread; {@link
 * #emit} and {@link #deliverTerminal} run without the execution's monitor and serialise the
 * signals to the subscriber without a lock: one atomic count says who signals, and a terminal
 * event that arrives while an event is being signalled is handed to that thread, which delivers
 * it right after (also when the subscriber's {@code onNext} requested more and so ended the
 * stream on the same thread). Taking demand and the signalling side are one compare-and-set each
 * per event; nothing here allocates.
 */
final class Outlet {
  /** Ended, the terminal event's unit of demand reserved: it is delivered, or being delivered. */
  private static final long ENDED = Long.MIN_VALUE;
  /** Ended with no demand left: the terminal event waits for the next request. */
  private static final long ENDING = Long.MIN_VALUE + 1;

  private final AtomicLong demand = new AtomicLong();
  /**
   * Who signals the subscriber: 0 nobody; an event's thread sets 1 for the time of its {@code
   * onNext}; the terminal event's delivery adds 1 and never gives it back, so once it is above 0
   * for good no event follows the terminal event.
   */
  private final AtomicInteger signalling = new AtomicInteger();
  private Flow.@Nullable Subscriber<? super ChatEvent> subscriber; // set before any signal
  private volatile @Nullable ChatEvent parked; // written before the word turns ENDING
  /** The terminal event handed to the thread signalling an event; written before the count. */
  private volatile @Nullable ChatEvent handed;
  private boolean terminated; // by whoever holds the signalling side
  /** The thread inside the subscriber's onNext for an event; read by that thread only. */
  private @Nullable Thread signaller;

  /** The one subscriber; set before any other method runs (in {@code subscribe}). */
  void subscriber(Flow.Subscriber<? super ChatEvent> s) {
    this.subscriber = s;
  }

  /** The subscriber events go to. */
  Flow.Subscriber<? super ChatEvent> subscriber() {
    Flow.Subscriber<? super ChatEvent> s = subscriber;
    if (s == null) {
      throw new IllegalStateException("not subscribed");
    }
    return s;
  }

  /**
   * Adds {@code n} (positive) to the demand, capped at {@link Long#MAX_VALUE}. Returns the terminal
   * event that was waiting for demand, which the caller must {@linkplain #deliverTerminal
   * deliver}; null otherwise (also when the stream has ended: the request is then spent).
   */
  @Nullable ChatEvent request(long n) {
    for (;;) {
      long current = demand.get();
      if (current == ENDED) {
        return null;
      }
      if (current == ENDING) {
        if (demand.compareAndSet(ENDING, ENDED)) {
          ChatEvent terminal = parked;
          parked = null;
          return terminal;
        }
        continue;
      }
      long next = current + n;
      if (next < 0 || current == Long.MAX_VALUE) {
        next = Long.MAX_VALUE; // rule 3.17: that much is unbounded
      }
      if (demand.compareAndSet(current, next)) {
        return null;
      }
    }
  }

  /** The demand not yet used; 0 once the stream has ended. */
  long outstanding() {
    return Math.max(0, demand.get());
  }

  /** Whether {@link #end} has been called. */
  boolean ended() {
    return demand.get() < 0;
  }

  /**
   * The call ended with {@code terminal}: true when a unit of demand is now reserved for it (the
   * caller must {@linkplain #deliverTerminal deliver} it), false when none is left (it is parked
   * and the next {@link #request} returns it). From now on {@link #emit} drops every event. Call
   * it once.
   */
  boolean end(ChatEvent terminal) {
    for (;;) {
      long current = demand.get();
      if (current < 0) {
        throw new IllegalStateException("a stream ends once");
      }
      if (current > 0) {
        if (demand.compareAndSet(current, ENDED)) {
          return true;
        }
        continue;
      }
      parked = terminal; // before the word says ENDING, so that request() finds it
      if (demand.compareAndSet(0, ENDING)) {
        return false;
      }
      parked = null;
    }
  }

  /**
   * Delivers a content or usage event against a unit of demand; drops it once the stream has ended
   * (its terminal event took the demand, or will). An upstream that sends more than was asked for
   * breaks the Reactive Streams rules; its surplus passes on uncounted, so that the demand keeps
   * matching the subscriber's own count. Events come from one thread at a time (the winning
   * attempt's); this claims the signalling side for the time of the subscriber's {@code onNext},
   * and an event that finds the terminal event's delivery holding it comes after that event and is
   * dropped.
   */
  void emit(ChatEvent event) {
    for (;;) {
      long current = demand.get();
      if (current < 0) {
        return; // ended: the terminal event has the demand
      }
      if (current == 0 || current == Long.MAX_VALUE
          || demand.compareAndSet(current, current - 1)) {
        break;
      }
    }
    if (!signalling.compareAndSet(0, 1)) {
      if (signaller == Thread.currentThread() && handed == null && !terminated) {
        // an upstream that answers a request made from onNext by signalling at once, on this
        // thread: the nested event goes out nested, as a reentrant lock would let it
        subscriber().onNext(event);
      }
      return; // else the terminal event is being (or was) delivered
    }
    signaller = Thread.currentThread();
    subscriber().onNext(event);
    signaller = null;
    if (signalling.decrementAndGet() != 0) {
      // the terminal event was handed over while onNext ran (on another thread, or by a request
      // made from onNext): this thread still owns the signals and delivers it
      ChatEvent terminal = handed;
      handed = null;
      signalTerminal(terminal);
    }
  }

  /**
   * Delivers the terminal event and completes; once, after {@link #end} or {@link #request} said
   * so. When an event is being signalled at that moment, its thread delivers the terminal event
   * right after it.
   */
  void deliverTerminal(ChatEvent terminal) {
    handed = terminal; // before the count: the signalling thread reads it after its decrement
    if (signalling.getAndIncrement() == 0) {
      handed = null;
      signalTerminal(terminal);
    }
  }

  private void signalTerminal(@Nullable ChatEvent terminal) {
    if (terminated || terminal == null) {
      return;
    }
    terminated = true;
    Flow.Subscriber<? super ChatEvent> s = subscriber();
    s.onNext(terminal);
    s.onComplete();
  }
}
