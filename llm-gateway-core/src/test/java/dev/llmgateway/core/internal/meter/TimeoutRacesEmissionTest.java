package dev.llmgateway.core.internal.meter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.ManualScheduler;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.spi.AttemptContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Timeout versus emission (issue 22.2), thousands of seeded runs: a stream's first-token, idle or
 * total timeout fires on the gateway's timers (a {@link ManualScheduler}, fired by the test) at
 * the moment the provider emits the event that decides the race — its first content event for the
 * first-token timeout, its last event (the answer, or the provider's own failure) for the idle
 * and total timeouts. A barrier lines the two up; each then spins a seeded number of times. The
 * caller asks for everything at once or for one event at a time. Every run: the caller never
 * receives more than it asked for, receives exactly one terminal event, and the one usage record
 * has that event's outcome, tokens, attempts and cost.
 */
@Timeout(180)
class TimeoutRacesEmissionTest {
  private static final int RUNS = 3_000;
  private static final long SEED = 0x22_2_0001L;
  private static final Price PRICE = Price.perMillion("3", "15");
  private static final Duration FIRST_TOKEN = Duration.ofMillis(700);
  private static final Duration IDLE = Duration.ofNanos(1); // always idle when it fires
  private static final Duration TOTAL = Duration.ofHours(1);

  /** Which timeout races which event. */
  private enum Race { FIRST_TOKEN, IDLE, TOTAL }

  @Test
  void aTimeoutFiringAsTheProviderEmitsLeavesOneRecordThatMatchesWhatTheCallerReceived()
      throws Exception {
    Random seeds = new Random(SEED);
    int[][] won = new int[Race.values().length][2]; // [race][0: the timeout, 1: the provider]
    for (int run = 0; run < RUNS; run++) {
      Race race = Race.values()[run % Race.values().length];
      boolean completes = seeds.nextBoolean();
      boolean oneAtATime = seeds.nextBoolean();
      int wireSpins = seeds.nextInt(1_000);
      int timerSpins = seeds.nextInt(1_000);
      String where = "run " + run + " (" + race + ", provider " + (completes ? "completes"
          : "fails") + ", " + (oneAtATime ? "one event at a time" : "all at once") + ", spins "
          + wireSpins + "/" + timerSpins + ")";
      ExecutorService wire = Executors.newSingleThreadExecutor();
      ManualScheduler timers = new ManualScheduler();
      InMemoryUsageSink usage = new InMemoryUsageSink();
      CyclicBarrier together = new CyclicBarrier(2);
      Emitting provider = new Emitting(wire, completes, race == Race.FIRST_TOKEN, together,
          wireSpins);
      GatewayBuilder builder = Gateway.builder().provider(provider).usageSink(usage)
          .scheduler(timers).executor(Runnable::run).price("p/m", PRICE)
          .retry(RetryPolicy.none()); // one attempt: the race is the stream's end
      switch (race) {
        case FIRST_TOKEN -> builder.firstTokenTimeout(FIRST_TOKEN);
        case IDLE -> builder.idleTimeout(IDLE);
        default -> builder.totalTimeout(TOTAL);
      }
      try (Gateway gateway = builder.build()) {
        CallerView caller = new CallerView(oneAtATime);
        gateway.stream(ChatRequest.of("m", "Hi")).subscribe(caller);
        assertThat(caller.subscribed.await(10, TimeUnit.SECONDS)).isTrue();
        Thread timer = new Thread(() -> {
          try {
            together.await(10, TimeUnit.SECONDS);
            spin(timerSpins);
            // the timer hands its task to the executor, here this very thread
            timers.fire(race == Race.FIRST_TOKEN ? FIRST_TOKEN : race == Race.IDLE ? IDLE : null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, "timer");
        timer.start();
        caller.start();
        timer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(timer.isAlive()).as(where + ": the timer thread ended").isFalse();
        wire.shutdown();
        assertThat(wire.awaitTermination(10, TimeUnit.SECONDS)).as(where).isTrue();
        if (!caller.ended()) {
          caller.request(1); // a terminal event that waited for demand comes now
        }

        caller.assertMatches(usage.records(), PRICE, where);
        ChatEvent terminal = caller.terminals().get(0);
        boolean timedOut = terminal instanceof ChatEvent.Failed f && f.attempts().stream()
            .anyMatch(a -> GatewayTimeoutException.class.getSimpleName().equals(a.errorType()));
        won[race.ordinal()][timedOut ? 0 : 1]++;
      } finally {
        wire.shutdownNow();
      }
    }
    for (Race race : Race.values()) {
      System.out.println(race + ": the timeout won " + won[race.ordinal()][0]
          + " runs, the provider's event " + won[race.ordinal()][1]);
      assertThat(won[race.ordinal()]).as(race + ": both sides won some runs").doesNotContain(0);
    }
  }

  private static void spin(int spins) {
    for (int i = 0; i < spins; i++) {
      Thread.onSpinWait();
    }
  }

  /**
   * Streams two deltas, a usage report and its answer (or its own failure) on the wire thread as
   * demand comes; before the deciding event (the first, or the last) it meets the timer at the
   * barrier and spins.
   */
  private static final class Emitting extends StreamsOnlyProvider {
    private final ExecutorService wire;
    private final boolean completes;
    private final boolean racesFirst;
    private final CyclicBarrier together;
    private final int spins;

    Emitting(ExecutorService wire, boolean completes, boolean racesFirst, CyclicBarrier together,
        int spins) {
      this.wire = wire;
      this.completes = completes;
      this.racesFirst = racesFirst;
      this.together = together;
      this.spins = spins;
    }

    @Override
    public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
      Usage usage = Usage.of(1_000, 500);
      List<ChatEvent> events = new ArrayList<>(List.of(new ChatEvent.TextDelta("Hel"),
          new ChatEvent.TextDelta("lo"), new ChatEvent.UsageReport(usage)));
      events.add(completes
          ? new ChatEvent.Completed(ChatResponse.builder().text("Hello").usage(usage)
              .deployment(new Deployment("p", request.model())).build())
          : new ChatEvent.Failed(new ProviderUnavailableException("cut"), 2, 5, usage,
              List.of()));
      int deciding = racesFirst ? 0 : events.size() - 1;
      ChatStream stream = ChatStream.of(PullPublisher.fromList(events, wire));
      return subscriber -> stream.subscribe(new Flow.Subscriber<>() {
        private int index;

        @Override
        public void onSubscribe(Flow.Subscription s) {
          subscriber.onSubscribe(s);
        }

        @Override
        public void onNext(ChatEvent e) {
          if (index++ == deciding) {
            try {
              together.await(10, TimeUnit.SECONDS);
            } catch (Exception ex) {
              throw new IllegalStateException(ex);
            }
            spin(spins);
          }
          subscriber.onNext(e);
        }

        @Override
        public void onError(Throwable t) {
          subscriber.onError(t);
        }

        @Override
        public void onComplete() {
          subscriber.onComplete();
        }
      });
    }
  }
}
