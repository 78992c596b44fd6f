package dev.llmgateway.core.internal.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.llmgateway.AllCandidatesFailedException;
import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.ManualScheduler;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.HedgePolicy;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races in the one attempt sequencer, run thousands of times with a seed: a hedged unary call whose
 * two attempts end at the same moment (each succeeding or failing by the seed), and a first attempt
 * failing at the moment its hedge timer fires. Every run asserts the guarantees: the caller gets
 * one answer from an attempt that succeeded (or the failure when none did), every started attempt
 * is in the story exactly once with one winner at most, a late loser's answer is dropped, the one
 * usage record tells the same story, and no attempt is started twice for one candidate.
 */
@Timeout(120)
class AttemptSequencerRaceTest {
  private static final long SEED = 0x5EEDL;
  private static final int RUNS = 2_000;
  private static final Duration HEDGE_AFTER = Duration.ofMillis(50);

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void twoHedgedAttemptsEndingTogetherLeaveOneWinnerAndOneStory() throws Exception {
    Random seeds = new Random(SEED);
    for (int run = 0; run < RUNS; run++) {
      boolean aSucceeds = seeds.nextBoolean();
      boolean bSucceeds = seeds.nextBoolean();
      Held a = new Held("a", aSucceeds);
      Held b = new Held("b", bSucceeds);
      ManualScheduler timers = new ManualScheduler();
      InMemoryUsageSink usage = new InMemoryUsageSink();
      try (Gateway gateway = gateway(a, b, timers, usage)) {
        Future<Object> call = threads.submit(() -> outcome(gateway));
        a.entered.await();
        Future<Void> hedge = threads.submit(() -> fireHedge(timers)); // B runs on this thread
        b.entered.await();
        CyclicBarrier together = new CyclicBarrier(2);
        threads.submit(releasing(a, together));
        threads.submit(releasing(b, together));
        Object outcome = call.get(30, TimeUnit.SECONDS);
        hedge.get(30, TimeUnit.SECONDS);

        String where = "run " + run + " (a " + aSucceeds + ", b " + bSucceeds + ")";
        List<UsageRecord> records = usage.records();
        assertThat(records).as(where).hasSize(1);
        List<Attempt> attempts = records.get(0).attempts();
        assertThat(attempts).as(where).hasSize(2);
        assertThat(attempts).extracting(Attempt::number).as(where)
            .containsExactlyInAnyOrder(1, 2);
        long winners = attempts.stream()
            .filter(x -> x.outcome() == Attempt.Outcome.SUCCEEDED).count();
        assertThat(a.calls.get() + b.calls.get()).as(where).isEqualTo(2);
        if (outcome instanceof ChatResponse answer) {
          assertThat(aSucceeds || bSucceeds).as(where).isTrue();
          assertThat(winners).as(where).isEqualTo(1);
          Attempt won = attempts.stream()
              .filter(x -> x.outcome() == Attempt.Outcome.SUCCEEDED).findFirst().orElseThrow();
          assertThat(answer.text()).as(where).isEqualTo("from " + won.deployment().provider());
          assertThat(answer.attempts()).as(where).isEqualTo(attempts);
          Attempt other = attempts.stream().filter(x -> x != won).findFirst().orElseThrow();
          assertThat(other.outcome()).as(where)
              .isIn(Attempt.Outcome.CANCELLED, Attempt.Outcome.FAILED);
        } else {
          assertThat(aSucceeds || bSucceeds).as(where + ": " + outcome).isFalse();
          assertThat(outcome).as(where).isInstanceOf(AllCandidatesFailedException.class);
          assertThat(winners).as(where).isZero();
          assertThat(records.get(0).outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
        }
      }
    }
  }

  @Test
  void aFirstAttemptFailingAsItsHedgeFiresStartsTheSecondCandidateOnce() throws Exception {
    Random seeds = new Random(SEED + 1);
    for (int run = 0; run < RUNS; run++) {
      Held a = new Held("a", false);
      Held b = new Held("b", true);
      b.release.countDown(); // b answers at once
      ManualScheduler timers = new ManualScheduler();
      InMemoryUsageSink usage = new InMemoryUsageSink();
      try (Gateway gateway = gateway(a, b, timers, usage)) {
        Future<Object> call = threads.submit(() -> outcome(gateway));
        a.entered.await();
        CyclicBarrier together = new CyclicBarrier(2);
        int lag = seeds.nextInt(64); // spins before the timer fires
        Future<?> fail = threads.submit(releasing(a, together));
        Future<?> fire = threads.submit(() -> {
          together.await();
          for (int i = 0; i < lag; i++) {
            Thread.onSpinWait();
          }
          return fireHedge(timers);
        });
        Object outcome = call.get(30, TimeUnit.SECONDS);
        fail.get(30, TimeUnit.SECONDS);
        fire.get(30, TimeUnit.SECONDS);

        String where = "run " + run;
        assertThat(outcome).as(where).isInstanceOf(ChatResponse.class);
        assertThat(((ChatResponse) outcome).text()).as(where).isEqualTo("from b");
        assertThat(b.calls.get()).as(where + ": b started once").isEqualTo(1);
        assertThat(usage.records()).as(where).hasSize(1);
        List<Attempt> attempts = usage.records().get(0).attempts();
        assertThat(attempts).as(where).hasSize(2);
        Attempt first = attempts.stream().filter(x -> x.number() == 1).findFirst().orElseThrow();
        Attempt second = attempts.stream().filter(x -> x.number() == 2).findFirst().orElseThrow();
        assertThat(first.deployment().provider()).as(where).isEqualTo("a");
        // failed, or cancelled when the hedge won before a's failure arrived
        assertThat(first.outcome()).as(where)
            .isIn(Attempt.Outcome.FAILED, Attempt.Outcome.CANCELLED);
        assertThat(second.deployment().provider()).as(where).isEqualTo("b");
        assertThat(second.outcome()).as(where).isEqualTo(Attempt.Outcome.SUCCEEDED);
        assertThat(second.kind()).as(where).isIn(Attempt.Kind.HEDGE, Attempt.Kind.FAILOVER);
        assertThat(((ChatResponse) outcome).attempts()).as(where).isEqualTo(attempts);
      }
    }
  }

  /** Fires the hedge's timer only (the call's deadline has a timer too). */
  private static Void fireHedge(ManualScheduler timers) {
    timers.fire(HEDGE_AFTER);
    return null;
  }

  private static Gateway gateway(Held a, Held b, ManualScheduler timers,
      InMemoryUsageSink usage) {
    return Gateway.builder().retry(RetryPolicy.none())
        .provider(a).provider(b)
        .alias("smart", Route.fallback("a/m", "b/m")
            .hedge(HedgePolicy.after(HEDGE_AFTER)))
        .circuitBreaker(CircuitBreakerPolicy.disabled())
        .scheduler(timers)
        .executor(Runnable::run)
        .usageSink(usage)
        .build();
  }

  /** The call's answer, or the exception it ended with. */
  private static Object outcome(Gateway gateway) {
    try {
      return gateway.chat(ChatRequest.of("smart", "Hi"));
    } catch (GatewayException e) {
      return e;
    }
  }

  private static Callable<Void> releasing(Held provider, CyclicBarrier together) {
    return () -> {
      together.await();
      provider.release.countDown();
      return null;
    };
  }

  /** A provider whose unary call waits to be released, then answers or fails as told. */
  private static final class Held implements Provider {
    final String name;
    final boolean succeeds;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();

    Held(String name, boolean succeeds) {
      this.name = name;
      this.succeeds = succeeds;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public ModelCapabilities capabilities(String model) {
      return ModelCapabilities.CHAT_ALL;
    }

    @Override
    public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
      calls.incrementAndGet();
      entered.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          fail("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (!succeeds) {
        throw new ProviderUnavailableException(name + " is down");
      }
      return ChatResponse.builder().text("from " + name).usage(Usage.of(3, 2))
          .deployment(new Deployment(name, request.model())).build();
    }

    @Override
    public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
      throw new UnsupportedOperationException("unary only");
    }
  }
}
