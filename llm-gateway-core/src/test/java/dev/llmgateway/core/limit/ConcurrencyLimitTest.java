package dev.llmgateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Principal;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.usage.UsageDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A concurrency limit holds a slot from admission to the call's end and gives it back on every
 * ending — an answer, a provider's failure, a refusal by a later step, a stream cancelled, a
 * stream never subscribed (its gateway closed), a cancelled {@code chatAsync} — and never lets
 * more calls in than the limit (a race through the gateway).
 */
@Timeout(120)
class ConcurrencyLimitTest {
  private static final Principal SUPPORT =
      Principal.builder().org("acme").team("support").keyId("k-support").build();
  private static final LimitCounter SLOT =
      new LimitCounter("key-concurrent", Scope.KEY, "acme", "k-support");

  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_700_000_000L));
  private final StubProvider stub = new StubProvider("stub");
  private final InMemoryLimitStore store = new InMemoryLimitStore();
  private final RateLimits limits = RateLimits.builder().store(store)
      .limit(RateLimit.concurrent(1).perKey()).build();
  private final LinkedBlockingQueue<UsageRecord> records = new LinkedBlockingQueue<>();
  private final List<Gateway> gateways = new ArrayList<>();

  @AfterEach
  void close() {
    gateways.forEach(Gateway::close);
  }

  private GatewayBuilder builder() {
    return Gateway.builder().provider(stub).clock(clock).retry(RetryPolicy.none())
        .alias("a", Route.to("stub/m")).rateLimits(limits)
        .usageSink(records::add, UsageDelivery.inline());
  }

  private Gateway gateway(GatewayBuilder builder) {
    Gateway g = builder.build();
    gateways.add(g);
    return g;
  }

  private long held() {
    return store.countOf(SLOT, clock.millis());
  }

  /** The next call's record (its end hooks ran before the sinks saw it). */
  private UsageRecord ended() throws InterruptedException {
    UsageRecord r = records.poll(30, TimeUnit.SECONDS);
    assertThat(r).as("the call ended").isNotNull();
    return r;
  }

  @Test
  void anAnsweredCallGivesItsSlotBack() throws Exception {
    Gateway g = gateway(builder());

    g.chat(ChatRequest.of("a", "hi"), SUPPORT);

    assertThat(ended().outcome()).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
    assertThat(held()).isZero();
  }

  @Test
  void aCallTheProviderFailsGivesItsSlotBack() throws Exception {
    stub.onAnyModel().fail(new ProviderUnavailableException("down"));
    Gateway g = gateway(builder());

    assertThatThrownBy(() -> g.chat(ChatRequest.of("a", "hi"), SUPPORT))
        .isInstanceOf(ProviderUnavailableException.class);

    assertThat(ended().outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
    assertThat(held()).isZero();
  }

  @Test
  void aCallALaterStepRefusesGivesItsSlotBack() throws Exception {
    Gateway g = gateway(builder().interceptor(InterceptorPosition.BEFORE_ROUTING, chain -> {
      throw new AccessDeniedException("refused by a later step");
    }));

    assertThatThrownBy(() -> g.chat(ChatRequest.of("a", "hi"), SUPPORT))
        .isInstanceOf(AccessDeniedException.class);

    ended();
    assertThat(held()).isZero();
  }

  @Test
  void aStreamCancelledAfterItsFirstEventGivesItsSlotBack() throws Exception {
    Gateway g = gateway(builder());
    ChatStream stream = g.stream(ChatRequest.of("a", "hi"), SUPPORT);
    assertThat(held()).as("a stream holds its slot from admission").isEqualTo(1);

    try (StreamIterator<ChatEvent> events = stream.iterator()) {
      assertThat(events.next()).isInstanceOf(ChatEvent.TextDelta.class);
    }

    assertThat(ended().outcome()).isEqualTo(UsageRecord.Outcome.CANCELLED);
    assertThat(held()).isZero();
  }

  @Test
  void aStreamNeverSubscribedGivesItsSlotBackWhenItsGatewayCloses() throws Exception {
    Gateway first = builder().build();
    Gateway second = gateway(builder());
    first.stream(ChatRequest.of("a", "never read"), SUPPORT);
    assertThatThrownBy(() -> second.chat(ChatRequest.of("a", "hi"), SUPPORT))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.limit()).isEqualTo("key-concurrent");
          assertThat(e.retryAfter()).isNull();
          assertThat(e.getMessage()).contains("retry when one of the calls in flight ends");
        });
    assertThat(ended().outcome()).isEqualTo(UsageRecord.Outcome.REFUSED);

    first.close();

    assertThat(ended().outcome()).isEqualTo(UsageRecord.Outcome.NOT_STARTED);
    assertThat(held()).isZero();
    assertThat(second.chat(ChatRequest.of("a", "now"), SUPPORT).text()).isNotEmpty();
  }

  @Test
  void aCancelledChatAsyncGivesItsSlotBack() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    stub.onAnyModel().holdUntil(release, arrived).reply("late");
    Gateway g = gateway(builder());
    CompletableFuture<ChatResponse> future = g.chatAsync(ChatRequest.of("a", "hi"), SUPPORT);
    assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(held()).isEqualTo(1);

    assertThat(future.cancel(true)).isTrue();
    release.countDown(); // the stub ignores the attempt's cancellation: let its thread go

    assertThat(ended().outcome()).isEqualTo(UsageRecord.Outcome.CANCELLED);
    assertThat(held()).isZero();
  }

  @Test
  void neverMoreCallsInFlightThanTheLimitUnderARace() throws Exception {
    RateLimits three = RateLimits.builder().store(store)
        .limit(RateLimit.concurrent(3).perKey()).build();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Gateway g = gateway(Gateway.builder().provider(stub.recordCalls(false)).clock(clock)
        .retry(RetryPolicy.none()).alias("a", Route.to("stub/m")).rateLimits(three)
        .interceptor(InterceptorPosition.AROUND_ATTEMPT, chain -> {
          most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          try {
            for (int spin = 2_000; spin > 0; spin--) {
              Thread.onSpinWait();
            }
            return chain.proceed(chain.request());
          } finally {
            inFlight.decrementAndGet();
          }
        }));
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      for (long seed = 1; seed <= 10; seed++) {
        CyclicBarrier start = new CyclicBarrier(64);
        AtomicInteger admitted = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
          Random rng = new Random(seed * 100 + t);
          done.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < 20; i++) {
              for (int spin = rng.nextInt(500); spin > 0; spin--) {
                Thread.onSpinWait();
              }
              try {
                g.chat(ChatRequest.of("a", "hi"), SUPPORT);
                admitted.incrementAndGet();
              } catch (RateLimitedException e) {
                assertThat(e.limit()).isEqualTo("key-concurrent");
              }
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
        assertThat(most.get()).as("seed %d", seed).isLessThanOrEqualTo(3);
        assertThat(admitted.get()).as("seed %d", seed).isGreaterThanOrEqualTo(3);
        assertThat(held()).as("every slot given back, seed %d", seed).isZero();
      }
      assertThat(most.get()).as("the calls met").isGreaterThanOrEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }
}
