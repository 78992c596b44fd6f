package dev.llmgateway.core.internal.meter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.AllCandidatesFailedException;
import dev.llmgateway.Attempt;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.ManualScheduler;
import dev.llmgateway.core.Race;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.Interceptor;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Close versus first request (issue 22.2), thousands of seeded rounds: {@code gateway.close()}
 * races a call's first request — a subscribed stream's first {@code request}, a made stream's
 * subscription, a unary call — or the making of a stream nobody subscribes to. Each round puts the
 * close before the caller's step, inside it (an interceptor holds the caller's chain until the
 * close has returned), after it, or lets them race freely; the gateway closes its provider, which
 * then refuses in a seeded way (a typed error, a failed stream, a publisher that throws from
 * {@code subscribe}, its wire executor shut down), and runs its tasks on its own pool or the
 * calling thread. Every round: a call the closed gateway refused outright ({@code
 * IllegalStateException}) leaves no record; any other leaves exactly one, whose outcome, tokens,
 * attempts and cost are what the caller received — and a stream never subscribed is metered
 * {@code NOT_STARTED} by the close itself (no timer fires here), its late subscriber refused with a
 * failed stream.
 */
@Timeout(300)
class CloseRacesFirstRequestTest {
  private static final long SEED = 0x22_2_0002L;
  private static final int ROUNDS = 4_000;
  private static final Price PRICE = Price.perMillion("3", "15");

  /** The caller's step that races the close. */
  private enum Step { FIRST_REQUEST, SUBSCRIBE, MAKE_NEVER_SUBSCRIBED, UNARY }

  /** Where the close goes. */
  private enum Order { BEFORE, DURING, AFTER, FREE }

  /** How the closed provider refuses a stream. */
  private enum Refusal { THROWS, FAILED_STREAM, SUBSCRIBE_THROWS }

  @Test
  void closeRacingACallsFirstRequestLeavesOneRecordThatMatchesWhatTheCallerReceived()
      throws Exception {
    try (Race race = new Race(2)) {
      race.run(SEED, ROUNDS, r -> round(r, new SplittableRandom(SEED + r)));
    }
  }

  private Race.Round round(int r, SplittableRandom seeded) {
    Step step = Step.values()[r % Step.values().length];
    Order order = Order.values()[(r / Step.values().length) % Order.values().length];
    Refusal refusal = Refusal.values()[seeded.nextInt(Refusal.values().length)];
    boolean ownPool = seeded.nextBoolean();
    boolean oneAtATime = seeded.nextBoolean();
    String where = "round " + r + " (" + step + ", close " + order + ", " + refusal + ", "
        + (ownPool ? "the gateway's own pool" : "the calling thread") + ", "
        + (oneAtATime ? "one event at a time" : "all at once") + ")";
    Closing provider = new Closing(refusal);
    InMemoryUsageSink usage = new InMemoryUsageSink();
    Hold hold = new Hold();
    GatewayBuilder builder = Gateway.builder().provider(provider).usageSink(usage)
        .price("p/m", PRICE).scheduler(new ManualScheduler()).closeProviders(true)
        .retry(RetryPolicy.none()) // no backoff on the manual timers: one attempt per call
        .interceptor(step == Step.FIRST_REQUEST || step == Step.SUBSCRIBE
            ? InterceptorPosition.AROUND_ATTEMPT : InterceptorPosition.FIRST, hold);
    if (!ownPool) {
      builder.executor(Runnable::run);
    }
    Gateway gateway = builder.build();
    CallerView caller = new CallerView(oneAtATime);
    AtomicReference<@Nullable ChatStream> made = new AtomicReference<>();
    AtomicReference<@Nullable Object> unary = new AtomicReference<>();
    AtomicReference<@Nullable IllegalStateException> refused = new AtomicReference<>();
    if (step == Step.FIRST_REQUEST || step == Step.SUBSCRIBE) {
      made.set(gateway.stream(ChatRequest.of("m", "Hi")));
    }
    if (step == Step.FIRST_REQUEST) {
      made.get().subscribe(caller);
    }
    CountDownLatch closed = new CountDownLatch(1);
    CountDownLatch acted = new CountDownLatch(1);
    if (order == Order.DURING) {
      hold.until(closed);
    }
    Runnable act = () -> {
      switch (step) {
        case FIRST_REQUEST -> caller.start();
        case SUBSCRIBE -> {
          made.get().subscribe(caller);
          caller.start();
        }
        case MAKE_NEVER_SUBSCRIBED -> {
          try {
            made.set(gateway.stream(ChatRequest.of("m", "Hi")));
          } catch (IllegalStateException closedAlready) {
            refused.set(closedAlready);
          }
        }
        default -> {
          try {
            unary.set(gateway.chat(ChatRequest.of("m", "Hi")));
          } catch (GatewayException e) {
            unary.set(e);
          } catch (IllegalStateException closedAlready) {
            refused.set(closedAlready);
          }
        }
      }
    };
    return new Race.Round() {
      @Override
      public List<Runnable> racers() {
        return List.of(
            () -> {
              if (order == Order.BEFORE) {
                await(closed);
              }
              act.run();
              acted.countDown();
            },
            () -> {
              if (order == Order.AFTER) {
                await(acted);
              } else if (order == Order.DURING) {
                await(hold.entered);
              }
              gateway.close();
              closed.countDown();
            });
      }

      @Override
      public void check() {
        try {
          checkRound();
        } finally {
          provider.stopWire();
        }
      }

      private void checkRound() {
        if (refused.get() != null) {
          assertThat(refused.get()).as(where).hasMessage("gateway is closed");
          assertThat(order).as(where + ": refused though not closed first")
              .isIn(Order.BEFORE, Order.FREE);
          assertThat(usage.records()).as(where + ": a refused call is no call").isEmpty();
          return;
        }
        if (step == Step.UNARY) {
          List<UsageRecord> records = usage.records();
          assertThat(records).as(where + ": usage records").hasSize(1);
          assertUnaryMatches(records.get(0), unary.get(), where);
          return;
        }
        if (step == Step.MAKE_NEVER_SUBSCRIBED) {
          assertThat(usage.records()).as(where + ": metered by the close").singleElement()
              .satisfies(rec -> {
                assertThat(rec.outcome()).isEqualTo(UsageRecord.Outcome.NOT_STARTED);
                assertThat(rec.attempts()).isEmpty();
              });
          made.get().subscribe(caller); // too late
          caller.start();
          assertThat(provider.streams).as(where + ": nothing was sent").hasValue(0);
        }
        await(caller.done);
        caller.assertMatches(usage.records(), PRICE, where);
      }
    };
  }

  private static void assertUnaryMatches(UsageRecord record, @Nullable Object outcome,
      String where) {
    if (outcome instanceof ChatResponse answer) {
      assertThat(record.outcome()).as(where).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
      assertThat(record.usage()).as(where + ": tokens").isEqualTo(answer.usage());
      assertThat(record.attempts()).as(where + ": attempts").isEqualTo(answer.attempts());
      assertThat(record.cost()).as(where + ": cost").isEqualTo(answer.cost());
    } else {
      assertThat(outcome).as(where).isInstanceOf(GatewayException.class);
      assertThat(record.outcome()).as(where).isEqualTo(UsageRecord.Outcome.FAILED);
      assertThat(record.errorType()).as(where)
          .isEqualTo(outcome.getClass().getSimpleName());
      if (outcome instanceof AllCandidatesFailedException all) {
        assertThat(record.attempts()).as(where + ": attempts").isEqualTo(all.attempts());
      } else { // one attempt, whose error the caller got
        assertThat(record.attempts()).as(where + ": attempts").singleElement()
            .extracting(Attempt::errorType).isEqualTo(outcome.getClass().getSimpleName());
      }
      assertThat(record.cost()).as(where + ": cost")
          .isEqualByComparingTo(CallerView.cost(record.attempts(), PRICE));
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("never got there (a call that did not end, or a lost wake-up)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** An interceptor that, when told to, holds the chain passing it until a latch opens. */
  private static final class Hold implements Interceptor {
    final CountDownLatch entered = new CountDownLatch(1);
    private volatile @Nullable CountDownLatch until;

    void until(CountDownLatch latch) {
      this.until = latch;
    }

    @Override
    public CallResult intercept(Chain chain) {
      CountDownLatch u = until;
      if (u != null) {
        entered.countDown();
        await(u);
      }
      return chain.proceed(chain.request());
    }
  }

  /**
   * Answers on its own wire thread until closed; closed, it refuses as told, and its wire
   * executor refuses what a stream made before still asks of it.
   */
  private static final class Closing implements Provider {
    private final Refusal refusal;
    private final ExecutorService wire = Executors.newSingleThreadExecutor();
    final AtomicInteger streams = new AtomicInteger();
    volatile boolean closed;

    Closing(Refusal refusal) {
      this.refusal = refusal;
    }

    @Override
    public String name() {
      return "p";
    }

    @Override
    public ModelCapabilities capabilities(String model) {
      return ModelCapabilities.CHAT_ALL;
    }

    private static ChatResponse answer(String model) {
      return ChatResponse.builder().text("Hello").usage(Usage.of(1_000, 500))
          .deployment(new Deployment("p", model)).build();
    }

    @Override
    public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
      if (closed) {
        throw new ProviderUnavailableException("the provider is closed");
      }
      return answer(request.model());
    }

    @Override
    public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
      streams.incrementAndGet();
      if (closed) {
        switch (refusal) {
          case THROWS -> throw new ProviderUnavailableException("the provider is closed");
          case FAILED_STREAM -> {
            return ChatStream.failed(new ProviderUnavailableException("the provider is closed"),
                Runnable::run);
          }
          default -> {
            return subscriber -> {
              throw new IllegalStateException("the provider is closed");
            };
          }
        }
      }
      return PullPublisher.fromList(ChatStream.eventsOf(answer(request.model())), wire);
    }

    @Override
    public void close() {
      closed = true;
      wire.shutdown();
    }

    void stopWire() {
      wire.shutdownNow();
    }
  }
}
