package dev.llmgateway.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Deployment;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.Race;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.CircuitState;
import dev.llmgateway.core.resilience.DeploymentHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races through the breaker's facade, thousands of rounds each: the half-open probe limit under
 * concurrent acquires, probes and older attempts ending while others ask for permits, and the
 * closed state's lock-free success against the failure that opens the circuit.
 */
@Timeout(120)
class BreakerRaceTest {
  private static final Instant START = Instant.parse("2025-01-01T12:00:00Z");
  private static final Deployment DEPLOYMENT = new Deployment("openai", "gpt-4o");
  private static final int ROUNDS = 2_000;
  private static final int RACERS = 6;

  /** A breaker that one failure opened at START, half-open from START + 30 s on its clock. */
  private static Breaker halfOpen(MutableClock clock, int probes) {
    Breaker b = new Breaker(DEPLOYMENT, CircuitBreakerPolicy.builder().consecutiveFailures(1)
        .halfOpenProbes(probes).build(), clock);
    assertThat(b.acquire()).isSameAs(Breaker.Permit.CLOSED);
    b.onFailure(Breaker.Permit.CLOSED, new ProviderUnavailableException("HTTP 503"), 0);
    clock.advance(Duration.ofSeconds(30));
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    return b;
  }

  @Test
  void racingAcquiresInHalfOpenGrantExactlyTheProbes() throws Exception {
    try (Race race = new Race(RACERS)) {
      race.run(0x5eed_0004L, ROUNDS, r -> {
        int probes = 1 + r % 3;
        Breaker b = halfOpen(new MutableClock(START), probes);
        AtomicInteger granted = new AtomicInteger();
        return new Race.Round() {
          @Override
          public List<Runnable> racers() {
            List<Runnable> list = new ArrayList<>();
            for (int t = 0; t < RACERS; t++) {
              list.add(() -> {
                if (b.acquire() != null) {
                  granted.incrementAndGet();
                }
              });
            }
            return list;
          }

          @Override
          public void check() {
            assertThat(granted).hasValue(probes);
            assertThat(b.inFlight()).isEqualTo(probes);
            assertThat(b.unavailableReason())
                .isEqualTo("circuit half-open with " + probes + " of " + probes
                    + " probe(s) in flight");
          }
        };
      });
    }
  }

  @Test
  void probesEndingWithoutAVerdictNeverLetMoreThanTheLimitThrough() throws Exception {
    try (Race race = new Race(RACERS)) {
      race.run(0x5eed_0005L, ROUNDS, r -> {
        int probes = 1 + r % 3;
        Breaker b = halfOpen(new MutableClock(START), probes);
        AtomicInteger overLimit = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        return new Race.Round() {
          @Override
          public List<Runnable> racers() {
            List<Runnable> list = new ArrayList<>();
            for (int t = 0; t < RACERS; t++) {
              boolean cancels = t % 2 == 0;
              list.add(() -> {
                for (int i = 0; i < 50; i++) {
                  Breaker.Permit permit = b.acquire();
                  if (permit == null) {
                    continue;
                  }
                  granted.incrementAndGet();
                  // every permit is a probe, and a permit ends its count before its slot
                  if (b.inFlight() > probes) {
                    overLimit.incrementAndGet();
                  }
                  if (cancels) {
                    b.onCancelled(permit);
                  } else {
                    b.onFailure(permit, new InvalidRequestException("bad schema"), 0);
                  }
                }
              });
            }
            return list;
          }

          @Override
          public void check() {
            assertThat(overLimit).as("permits seen beyond " + probes + " probes").hasValue(0);
            assertThat(granted.get()).isGreaterThanOrEqualTo(probes);
            assertThat(b.inFlight()).isZero();
            assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
            assertThat(b.acquire()).as("every slot was freed").isNotNull();
          }
        };
      });
    }
  }

  /**
   * A success on the closed state's lock-free path races the failure that opens the circuit, the
   * open duration passing and a probe. The success counts exactly once in the window, whenever it
   * lands, and never as a probe's: it was granted by the closed circuit, so the circuit stays
   * half-open until its own probe succeeds.
   *
   * <p>To hit the narrow gap between the success's first look at the state and its count, the
   * success's first clock reading waits until the other racer has done {@code r % 4} of its three
   * steps (0: not at all, then the steps race freely).
   */
  @Test
  void aSuccessRacingTheOpeningCountsOnceInTheWindowAndNeverAsAProbe() throws Exception {
    try (Race race = new Race(2)) {
      race.run(0x5eed_0006L, ROUNDS * 2, r -> {
        int stepsFirst = r % 4;
        GatedClock clock = new GatedClock(new MutableClock(START));
        Breaker b = new Breaker(DEPLOYMENT, CircuitBreakerPolicy.builder().consecutiveFailures(1)
            .slidingWindow(Duration.ofSeconds(60)).build(), clock);
        assertThat(b.acquire()).isSameAs(Breaker.Permit.CLOSED);
        assertThat(b.acquire()).isSameAs(Breaker.Permit.CLOSED);
        AtomicReference<Breaker.@Nullable Permit> probe = new AtomicReference<>();
        return new Race.Round() {
          @Override
          public List<Runnable> racers() {
            return List.of(
                () -> {
                  clock.gate(Thread.currentThread());
                  b.onSuccess(Breaker.Permit.CLOSED, 1_000);
                },
                () -> {
                  clock.awaitGated();
                  clock.openAfterStep(0, stepsFirst);
                  b.onFailure(Breaker.Permit.CLOSED, new ProviderUnavailableException("HTTP 503"),
                      0);
                  clock.openAfterStep(1, stepsFirst);
                  clock.time.advance(Duration.ofSeconds(30));
                  clock.openAfterStep(2, stepsFirst);
                  probe.set(b.acquire());
                  clock.openAfterStep(3, stepsFirst);
                });
          }

          @Override
          public void check() {
            assertThat(probe.get()).isNotNull().isNotSameAs(Breaker.Permit.CLOSED);
            DeploymentHealth health = b.snapshot();
            assertThat(health.state()).as("an old attempt's success decides nothing")
                .isEqualTo(CircuitState.HALF_OPEN);
            assertThat(health.inFlight()).isEqualTo(1);
            assertThat(health.latencySamples()).isEqualTo(1);
            assertThat(health.callsInWindow()).as("each outcome once").isEqualTo(2);
            assertThat(health.failuresInWindow()).isEqualTo(1);
            assertThat(health.consecutiveFailures()).isBetween(0, 1);
            b.onSuccess(probe.get(), 1_000);
            assertThat(b.state()).as("the probe decides").isEqualTo(CircuitState.CLOSED);
          }
        };
      });
    }
  }

  /**
   * Many callers ask a half-open circuit for permits at once and end what they get with a seeded
   * mix of successes and endings without a verdict (cancelled, an error that counts neither way),
   * while attempts granted before the circuit opened end beside them. Every round: no more than the
   * configured probes ever hold a place at once (a place is held from the grant until an ending
   * without a verdict; a success keeps it), the circuit closes exactly when that many probes have
   * succeeded and never on fewer (older attempts' successes are no probes'), and no probe succeeds
   * beyond them.
   */
  @Test
  void racingProbesAndOlderAttemptsNeverLetMoreProbesThroughThanConfigured() throws Exception {
    try (Race race = new Race(RACERS)) {
      race.run(0x5eed_0007L, ROUNDS * 2, r -> {
        int probes = 1 + r % 3;
        MutableClock clock = new MutableClock(START);
        Breaker b = new Breaker(DEPLOYMENT, CircuitBreakerPolicy.builder().consecutiveFailures(1)
            .halfOpenProbes(probes).slidingWindow(Duration.ofSeconds(60)).build(), clock);
        int older = 2 + r % 2;
        for (int i = 0; i <= older; i++) {
          assertThat(b.acquire()).isSameAs(Breaker.Permit.CLOSED);
        }
        b.onFailure(Breaker.Permit.CLOSED, new ProviderUnavailableException("HTTP 503"), 0);
        clock.advance(Duration.ofSeconds(30));
        SplittableRandom seeded = new SplittableRandom(0x5eed_0007L + r);
        long[] choices = new long[RACERS];
        for (int t = 0; t < RACERS; t++) {
          choices[t] = seeded.nextLong();
        }
        AtomicInteger placesHeld = new AtomicInteger();
        AtomicInteger mostHeld = new AtomicInteger();
        AtomicInteger probeSuccesses = new AtomicInteger();
        return new Race.Round() {
          @Override
          public List<Runnable> racers() {
            List<Runnable> list = new ArrayList<>();
            for (int t = 0; t < RACERS - 2; t++) {
              SplittableRandom choice = new SplittableRandom(choices[t]);
              list.add(() -> {
                for (int i = 0; i < 8; i++) {
                  Breaker.Permit permit = b.acquire();
                  if (permit == null) {
                    continue;
                  }
                  boolean isProbe = permit != Breaker.Permit.CLOSED;
                  if (isProbe) {
                    mostHeld.accumulateAndGet(placesHeld.incrementAndGet(), Math::max);
                  }
                  switch (choice.nextInt(3)) {
                    case 0:
                      if (isProbe) {
                        probeSuccesses.incrementAndGet();
                      }
                      b.onSuccess(permit, 1_000); // a success keeps its place
                      break;
                    case 1:
                      if (isProbe) {
                        placesHeld.decrementAndGet(); // before the place is freed
                      }
                      b.onCancelled(permit);
                      break;
                    default:
                      if (isProbe) {
                        placesHeld.decrementAndGet();
                      }
                      b.onFailure(permit, new InvalidRequestException("bad schema"), 0);
                      break;
                  }
                }
              });
            }
            for (int t = RACERS - 2; t < RACERS; t++) {
              boolean succeeds = (choices[t] & 1) == 0;
              int ending = t == RACERS - 2 ? older / 2 : older - older / 2;
              list.add(() -> { // attempts granted before the circuit opened end now
                for (int i = 0; i < ending; i++) {
                  if (succeeds) {
                    b.onSuccess(Breaker.Permit.CLOSED, 1_000);
                  } else {
                    b.onCancelled(Breaker.Permit.CLOSED);
                  }
                }
              });
            }
            return list;
          }

          @Override
          public void check() {
            assertThat(mostHeld.get()).as("probes holding a place at once, of " + probes)
                .isLessThanOrEqualTo(probes);
            assertThat(probeSuccesses.get()).as("probe successes, of " + probes)
                .isLessThanOrEqualTo(probes);
            assertThat(b.state()).as(probeSuccesses + " of " + probes + " probes succeeded")
                .isEqualTo(probeSuccesses.get() == probes ? CircuitState.CLOSED
                    : CircuitState.HALF_OPEN);
          }
        };
      });
    }
  }

  /**
   * A clock whose first reading on one thread waits at a gate until another thread opens it. The
   * gated thread must not hold the breaker's lock when it reads first (it reads first on the
   * closed state's lock-free path, before the other thread has failed anything).
   */
  private static final class GatedClock extends Clock {
    final MutableClock time;
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);
    private volatile @Nullable Thread gated;

    GatedClock(MutableClock time) {
      this.time = time;
    }

    void gate(Thread thread) {
      gated = thread;
    }

    /** Waits until the gated thread stands at the gate. */
    void awaitGated() {
      await(arrived);
    }

    /** Opens the gate when {@code step} steps are done and the round lets that many go first. */
    void openAfterStep(int step, int stepsFirst) {
      if (step == stepsFirst) {
        open.countDown();
      }
    }

    @Override
    public long millis() {
      if (Thread.currentThread() == gated) {
        gated = null;
        arrived.countDown();
        await(open);
      }
      return time.millis();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return time.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("a test clock stays in UTC");
    }

    private static void await(CountDownLatch latch) {
      try {
        if (!latch.await(10, TimeUnit.SECONDS)) {
          throw new AssertionError("the other racer never reached the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted at the gate", e);
      }
    }
  }
}
