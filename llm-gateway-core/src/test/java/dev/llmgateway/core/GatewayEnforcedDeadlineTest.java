package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.Provider;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway enforces a unary call's deadlines itself, whatever the {@link Provider} does with
 * them: at the deadline the attempt fails with the timeout, its context is cancelled and the thread
 * inside the provider is interrupted; the call moves on (a failover) or ends, the caller's thread
 * never keeps the interrupt, and the one usage record says what the caller got. The deadlines fire
 * on a {@link ManualScheduler}, so nothing here waits for the clock.
 */
@Timeout(120)
class GatewayEnforcedDeadlineTest {
  private static final Duration TOTAL = Duration.ofSeconds(7);
  private static final Duration ATTEMPT = Duration.ofSeconds(3);

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void aUnaryCallToAProviderThatIgnoresItsDeadlineEndsAtTheDeadline() throws Exception {
    Ignoring slow = new Ignoring("slow", false);
    ManualScheduler timers = new ManualScheduler();
    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (Gateway gateway = Gateway.builder().retry(RetryPolicy.none())
            .provider(slow).totalTimeout(TOTAL)
        .scheduler(timers).executor(Runnable::run).usageSink(usage).build()) {
      Future<Object> call = threads.submit(() -> checked(gateway, "slow/m"));
      slow.entered.await();
      assertThat(call.isDone()).isFalse();

      timers.fire(delayNear(timers, TOTAL)); // the call's deadline

      Object outcome = call.get(30, TimeUnit.SECONDS);
      assertThat(outcome).as("the caller keeps no interrupt").isNotEqualTo("left interrupted");
      assertThat(outcome).isInstanceOf(GatewayTimeoutException.class);
      assertThat(((GatewayTimeoutException) outcome).kind())
          .isEqualTo(GatewayTimeoutException.Kind.TOTAL);
      assertThat(slow.sawCancel.get()).as("the attempt's context was cancelled").isTrue();
      assertThat(slow.sawInterrupt.get()).as("the thread inside was interrupted").isTrue();
            UsageRecord record = usage.last();
      assertThat(usage.size()).isEqualTo(1);
      assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
      assertThat(record.attempts()).singleElement().satisfies(a -> {
        assertThat(a.outcome()).isEqualTo(Attempt.Outcome.FAILED);
        assertThat(a.errorType()).isEqualTo("GatewayTimeoutException");
      });
    }
  }

  @Test
  void anAttemptThatOutlivesItsTimeoutFailsOverAndTheCallerGetsTheNextAnswer() throws Exception {
    Ignoring slow = new Ignoring("slow", false);
    StubProvider quick = new StubProvider("quick");
    quick.onAnyModel().reply("from quick", Usage.of(4, 2));
    ManualScheduler timers = new ManualScheduler();
    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (Gateway gateway = Gateway.builder().retry(RetryPolicy.none())
            .provider(slow).provider(quick)
        .alias("smart", Route.fallback("slow/m", "quick/m"))
        .attemptTimeout(ATTEMPT).totalTimeout(TOTAL)
        .scheduler(timers).executor(Runnable::run).usageSink(usage).build()) {
      Future<Object> call = threads.submit(() -> checked(gateway, "smart"));
      slow.entered.await();

      timers.fire(delayNear(timers, ATTEMPT)); // the first attempt's timeout

      Object outcome = call.get(30, TimeUnit.SECONDS);
      assertThat(outcome).isInstanceOf(ChatResponse.class);
      ChatResponse answer = (ChatResponse) outcome;
      assertThat(answer.text()).isEqualTo("from quick");
      assertThat(answer.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
      assertThat(answer.attempts().get(0).reason()).contains("attempt timeout of 3000 ms");
      assertThat(usage.last().attempts()).isEqualTo(answer.attempts());
      assertThat(usage.last().usage().inputTokens()).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void aProviderThatAlsoIgnoresInterruptsIsRecordedAsTimedOutAtTheDeadlineAndItsLateAnswerDropped()
      throws Exception {
    Ignoring stubborn = new Ignoring("stubborn", true);
    ManualScheduler timers = new ManualScheduler();
    InMemoryUsageSink usage = new InMemoryUsageSink();
    CountDownLatch attemptEnded = new CountDownLatch(1);
    try (Gateway gateway = Gateway.builder().retry(RetryPolicy.none())
            .provider(stubborn).totalTimeout(TOTAL)
        .scheduler(timers).executor(Runnable::run).usageSink(usage)
        .listener(new dev.llmgateway.spi.GatewayListener() {
          @Override
          public void onAttemptEnd(dev.llmgateway.spi.CallContext call, Attempt attempt) {
            attemptEnded.countDown();
          }
        }).build()) {
      Future<Object> call = threads.submit(() -> checked(gateway, "stubborn/m"));
      stubborn.entered.await();

      timers.fire(delayNear(timers, TOTAL));
      // recorded at the deadline, while the provider still holds the caller's thread
      assertThat(attemptEnded.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(call.isDone()).isFalse();
      stubborn.release.countDown(); // it answers, late

      Object outcome = call.get(30, TimeUnit.SECONDS);
      assertThat(outcome).isInstanceOf(GatewayTimeoutException.class);
      assertThat(usage.size()).isEqualTo(1);
      assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
    }
  }

  @Test
  void chatAndEmbeddingCallsHaveADefaultTotalDeadlineAndStreamsADefaultIdleLimit()
      throws Exception {
    AtomicInteger seen = new AtomicInteger();
    long[] deadline = new long[1];
    StubProvider stub = new StubProvider("stub");
    stub.onAnyModel().reply("hi");
    dev.llmgateway.spi.GatewayListener deadlines = new dev.llmgateway.spi.GatewayListener() {
      @Override
      public void onAttemptStart(dev.llmgateway.spi.CallContext call, AttemptContext attempt) {
        deadline[0] = attempt.deadlineNanos();
        seen.incrementAndGet();
      }
    };
    try (Gateway gateway = Gateway.builder().retry(RetryPolicy.none())
            .provider(stub).listener(deadlines).build()) {
      long before = System.nanoTime();
      gateway.chat(ChatRequest.of("stub/m", "Hi"));
      long after = System.nanoTime();
      assertThat(seen.get()).isEqualTo(1);
      assertThat(deadline[0] - before)
          .isLessThanOrEqualTo(GatewayBuilder.DEFAULT_TOTAL_TIMEOUT.toNanos() + (after - before));
      assertThat(deadline[0] - after)
          .isGreaterThan(GatewayBuilder.DEFAULT_TOTAL_TIMEOUT.toNanos() - (after - before)
              - TimeUnit.SECONDS.toNanos(1));
    }
    assertThat(GatewayBuilder.DEFAULT_TOTAL_TIMEOUT).isEqualTo(Duration.ofMinutes(10));
    assertThat(GatewayBuilder.DEFAULT_IDLE_TIMEOUT).isEqualTo(Duration.ofMinutes(10));

    StubProvider streaming = new StubProvider("s");
    streaming.onAnyModel().reply("hello there");
    ManualScheduler timers = new ManualScheduler();
    try (Gateway gateway = Gateway.builder().retry(RetryPolicy.none())
            .provider(streaming).scheduler(timers)
        .executor(Runnable::run).build()) {
      Flow.Publisher<ChatEvent> stream = gateway.stream(ChatRequest.of("s/m", "Hi"));
      CountDownLatch first = new CountDownLatch(1);
      stream.subscribe(new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription s) {
          s.request(1);
        }

        @Override
        public void onNext(ChatEvent item) {
          first.countDown();
        }

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
      });
      assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(timers.delays()).as("no total limit on a stream by default; an idle one")
          .contains(GatewayBuilder.DEFAULT_IDLE_TIMEOUT)
          .noneMatch(d -> d.compareTo(GatewayBuilder.DEFAULT_IDLE_TIMEOUT) > 0);
    }
  }

  /**
   * The deadline's watch against the provider's own end, thousands of times (seeded: the provider
   * answers or fails, and spins before it returns while the watch fires): the caller's view and the
   * one record always agree, the caller's thread never keeps the watch's interrupt, and the
   * provider is called once.
   */
  @Test
  void theWatchRacingTheProvidersOwnEndLeavesOneRecordThatMatchesTheCaller() throws Exception {
    Random seeds = new Random(0xDEAD11L);
    for (int run = 0; run < 2_000; run++) {
      boolean answers = seeds.nextBoolean();
      int providerSpins = seeds.nextInt(200);
      int watchSpins = seeds.nextInt(200);
      String where = "run " + run + " (answers " + answers + ")";
      Racing racing = new Racing(answers, providerSpins);
      ManualScheduler timers = new ManualScheduler();
      InMemoryUsageSink usage = new InMemoryUsageSink();
      try (Gateway gateway = Gateway.builder().retry(RetryPolicy.none())
              .provider(racing).totalTimeout(TOTAL)
          .scheduler(timers).executor(Runnable::run).usageSink(usage).build()) {
        Future<Object> call = threads.submit(() -> checked(gateway, "racing/m"));
        racing.entered.await();
        CyclicBarrier together = new CyclicBarrier(2);
        racing.together = together;
        Future<?> watch = threads.submit(() -> {
          together.await();
          spin(watchSpins);
          timers.fireAll();
          return null;
        });
        racing.go.countDown();
        Object outcome = call.get(30, TimeUnit.SECONDS);
        watch.get(30, TimeUnit.SECONDS);

        assertThat(outcome).as(where).isNotEqualTo("left interrupted");
        assertThat(racing.calls.get()).as(where).isEqualTo(1);
        assertThat(usage.size()).as(where).isEqualTo(1);
        UsageRecord record = usage.last();
        assertThat(record.attempts()).as(where).hasSize(1);
        if (outcome instanceof ChatResponse answer) {
          assertThat(answers).as(where).isTrue();
          assertThat(record.outcome()).as(where).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
          assertThat(record.usage()).as(where).isEqualTo(answer.usage());
          assertThat(record.attempts()).as(where).isEqualTo(answer.attempts());
        } else {
          assertThat(outcome).as(where).isInstanceOf(GatewayException.class);
          assertThat(record.outcome()).as(where).isEqualTo(UsageRecord.Outcome.FAILED);
          assertThat(record.errorType()).as(where)
              .isEqualTo(outcome.getClass().getSimpleName());
          assertThat(record.attempts().get(0).outcome()).as(where)
              .isEqualTo(Attempt.Outcome.FAILED);
        }
      }
    }
  }

  /** The delay asked of the scheduler closest to {@code d} (a deadline armed a moment later). */
  private static Duration delayNear(ManualScheduler timers, Duration d) {
    return timers.delays().stream()
        .filter(x -> x.compareTo(d) <= 0 && x.compareTo(d.minusSeconds(1)) > 0)
        .findFirst().orElseThrow(() -> new AssertionError("no timer near " + d + ": "
            + timers.delays()));
  }

  /** The call's outcome; "left interrupted" when the caller's thread kept an interrupt. */
  private static Object checked(Gateway gateway, String model) {
    Object outcome = outcome(gateway, model);
    return Thread.interrupted() ? "left interrupted" : outcome;
  }

  private static Object outcome(Gateway gateway, String model) {
    try {
      return gateway.chat(ChatRequest.of(model, "Hi"));
    } catch (GatewayException e) {
      return e;
    }
  }

  private static void spin(int n) {
    for (int i = 0; i < n; i++) {
      Thread.onSpinWait();
    }
  }

  /** A provider that never looks at its deadline: it waits to be released. */
  private static final class Ignoring extends UnaryOnlyProvider {
    final boolean ignoresInterrupts;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean sawCancel = new AtomicBoolean();
    final AtomicBoolean sawInterrupt = new AtomicBoolean();

    Ignoring(String name, boolean ignoresInterrupts) {
      super(name);
      this.ignoresInterrupts = ignoresInterrupts;
    }

    @Override
    public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
      attempt.onCancel(() -> sawCancel.set(true));
      entered.countDown();
      for (;;) {
        try {
          release.await();
          break;
        } catch (InterruptedException e) {
          sawInterrupt.set(true);
          if (!ignoresInterrupts) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException("interrupted");
          }
        }
      }
      return answer(request, "late", Usage.of(3, 2));
    }
  }

  /** A provider that returns (an answer or a failure) at the moment the watch fires. */
  private static final class Racing extends UnaryOnlyProvider {
    final boolean answers;
    final int spins;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch go = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    volatile CyclicBarrier together;

    Racing(boolean answers, int spins) {
      super("racing");
      this.answers = answers;
      this.spins = spins;
    }

    @Override
    public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
      calls.incrementAndGet();
      entered.countDown();
      try {
        go.await();
        together.await();
      } catch (Exception e) {
        // the watch may interrupt the barrier: the provider ends now, as a real one would
      }
      spin(spins);
      if (!answers) {
        throw new ProviderUnavailableException("down");
      }
      return answer(request, "answer", Usage.of(5, 3));
    }
  }
}
