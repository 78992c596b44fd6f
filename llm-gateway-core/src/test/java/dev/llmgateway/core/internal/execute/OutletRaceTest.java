package dev.llmgateway.core.internal.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.core.Race;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The terminal event against the caller's demand (issue 22.7), thousands of seeded rounds: the
 * stream's last content event goes out on the attempt's thread while a timer's executor thread ends
 * the call as {@code deadlinePassed()} does — decides under the execution's monitor, cancels the
 * upstream, then delivers — and, in half the rounds, the caller asks for one more event. Each round
 * places the content event by latches before the end, between the decision and the delivery, or
 * after the delivery, or lets the two race freely (chosen by the round). Every round the subscriber
 * must never receive more than it asked for, and must receive exactly one terminal event (after
 * asking once more when it was parked), last, then {@code onComplete}: a terminal event without
 * demand overflows a {@link dev.llmgateway.StreamIterator}'s queue, which then loses the end and
 * hangs.
 *
 * <p>On the code before the outlet (the terminal event's demand read under the monitor, the event's
 * taken later without it), every round that puts the content event between the decision and the
 * delivery fails.
 */
@Timeout(120)
class OutletRaceTest {
  private static final long SEED = 0x22_7_0001L;
  private static final int ROUNDS = 20_000;
  private static final ChatEvent CONTENT = new ChatEvent.TextDelta("last words");

  /** Where the content event goes, relative to the end. */
  private enum Order { BEFORE_THE_DECISION, INSIDE_THE_END, AFTER_THE_DELIVERY, FREE }

  @Test
  void theTerminalEventNeverOutrunsTheCallersDemandNorGetsLost() throws Exception {
    try (Race race = new Race(3)) {
      race.run(SEED, ROUNDS, r -> {
        Order order = Order.values()[r % Order.values().length];
        boolean asksAgain = (r / Order.values().length) % 2 == 0;
        Outlet outlet = new Outlet();
        Caller caller = new Caller();
        outlet.subscriber(caller);
        long asked = 1 + r % 3;
        caller.asked(outlet, asked);
        for (int i = 1; i < asked; i++) {
          outlet.emit(CONTENT); // all but the last unit of demand used
        }
        ChatEvent.Failed timeout = ChatEvent.Failed.of(new ProviderUnavailableException("late"));
        CountDownLatch emitted = new CountDownLatch(1);
        CountDownLatch decided = new CountDownLatch(1);
        CountDownLatch delivered = new CountDownLatch(1);
        return new Race.Round() {
          @Override
          public List<Runnable> racers() {
            List<Runnable> racers = new ArrayList<>();
            racers.add(() -> { // the attempt's thread: its last content event
              if (order == Order.INSIDE_THE_END) {
                await(decided);
              } else if (order == Order.AFTER_THE_DELIVERY) {
                await(delivered);
              }
              outlet.emit(CONTENT);
              emitted.countDown();
            });
            racers.add(() -> { // the timer's executor thread: the deadline passed
              if (order == Order.BEFORE_THE_DECISION) {
                await(emitted);
              }
              boolean now;
              synchronized (caller.monitor) {
                now = outlet.end(timeout);
              }
              decided.countDown();
              if (order == Order.INSIDE_THE_END) {
                await(emitted); // still cancelling the attempt's upstream
              }
              if (now) {
                outlet.deliverTerminal(timeout);
              }
              delivered.countDown();
            });
            if (asksAgain) {
              racers.add(() -> caller.asked(outlet, 1));
            }
            return racers;
          }

          @Override
          public void check() {
            if (caller.terminals.get() == 0) {
              caller.asked(outlet, 1); // the terminal event was parked: this request delivers it
            }
            String where = order + (asksAgain ? ", asking again" : "");
            assertThat(caller.overflows).as(where + ": events beyond the caller's demand")
                .hasValue(0);
            assertThat(caller.terminals).as(where + ": terminal events").hasValue(1);
            assertThat(caller.completions).as(where + ": onComplete").hasValue(1);
            assertThat(caller.received.get(caller.received.size() - 1)).as(where)
                .isSameAs(timeout);
          }
        };
      });
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the other racer never got there");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A subscriber that counts demand as a {@code StreamIterator} would, and every signal. */
  private static final class Caller implements Flow.Subscriber<ChatEvent> {
    /** Stands in for the execution's monitor: held while deciding, never while delivering. */
    final Object monitor = new Object();
    final AtomicLong requested = new AtomicLong();
    final List<ChatEvent> received = new CopyOnWriteArrayList<>();
    final AtomicInteger overflows = new AtomicInteger();
    final AtomicInteger terminals = new AtomicInteger();
    final AtomicInteger completions = new AtomicInteger();

    /** Asks for {@code n} more, as the execution's {@code request} does. */
    void asked(Outlet outlet, long n) {
      requested.addAndGet(n);
      ChatEvent parked;
      synchronized (monitor) {
        parked = outlet.request(n);
      }
      if (parked != null) {
        outlet.deliverTerminal(parked);
      }
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {}

    @Override
    public void onNext(ChatEvent event) {
      received.add(event);
      if (received.size() > requested.get()) {
        overflows.incrementAndGet();
      }
      if (event.isTerminal()) {
        terminals.incrementAndGet();
      }
    }

    @Override
    public void onError(Throwable t) {
      throw new AssertionError("a stream's failure is an event, not onError", t);
    }

    @Override
    public void onComplete() {
      completions.incrementAndGet();
    }
  }
}
