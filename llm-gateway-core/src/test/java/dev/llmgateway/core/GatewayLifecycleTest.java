package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.usage.UsageDelivery;
import dev.llmgateway.spi.AttemptContext;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gateway's lifecycle: {@code close()} leaves the providers you passed in open (unless told to
 * close them), every entry point of a closed gateway says so, and cancelling a {@code chatAsync}
 * future cancels the provider's call and is metered as cancelled — exactly one of the cancel and
 * the answer wins, and the record says which.
 */
@Timeout(120)
class GatewayLifecycleTest {
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void everyEntryPointOfAClosedGatewayThrowsThatItIsClosed() {
    StubProvider stub = new StubProvider("stub");
    Gateway gateway = Gateway.builder().provider(stub).build();
    gateway.close();
    gateway.close(); // idempotent

    ChatRequest chat = ChatRequest.of("stub/m", "Hi");
    for (Runnable entry : List.<Runnable>of(
        () -> gateway.chat(chat),
        () -> gateway.chatAsync(chat),
        () -> gateway.stream(chat),
        () -> gateway.embed(EmbeddingRequest.of("stub/e", "x")))) {
      assertThatThrownBy(entry::run).isInstanceOf(IllegalStateException.class)
          .hasMessage("gateway is closed");
    }
  }

  @Test
  void closingAGatewayLeavesTheProvidersItWasGivenOpenUnlessToldToCloseThem() {
    Counting shared = new Counting();
    Gateway first = Gateway.builder().provider(shared).build();
    Gateway second = Gateway.builder().provider(shared).build();
    first.close();
    assertThat(shared.closes.get()).isZero();
    assertThat(second.chat(ChatRequest.of("counting/m", "Hi")).text()).isEqualTo("ok");
    second.close();

    Counting owned = new Counting();
    Gateway owner = Gateway.builder().provider(owned).closeProviders(true).build();
    Gateway variant = owner.newBuilder().build(); // shares the providers, owns none
    variant.close();
    assertThat(owned.closes.get()).isZero();
    owner.close();
    assertThat(owned.closes.get()).isEqualTo(1);
  }

  @Test
  void cancellingAChatAsyncFutureCancelsTheProvidersCallAndIsMeteredAsCancelled()
      throws Exception {
    Blocking blocking = new Blocking(true);
    Records usage = new Records();
    try (Gateway gateway = Gateway.builder().provider(blocking)
        .usageSink(usage, UsageDelivery.inline())
        .retry(RetryPolicy.none()).build()) {
      CompletableFuture<ChatResponse> future =
          gateway.chatAsync(ChatRequest.of("blocking/m", "Hi"));
      assertThat(blocking.entered.await(30, TimeUnit.SECONDS)).isTrue();

      assertThat(future.cancel(true)).isTrue();

      assertThat(blocking.cancelled.await(30, TimeUnit.SECONDS))
          .as("the attempt's context was cancelled (a transport hangs up)").isTrue();
      assertThatThrownBy(future::join).isInstanceOf(CancellationException.class);
      UsageRecord record = awaitRecord(usage);
      assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.CANCELLED);
      assertThat(record.attempts()).singleElement()
          .extracting(Attempt::outcome).isEqualTo(Attempt.Outcome.CANCELLED);
    }
  }

  /**
   * Cancel against the answer, thousands of times (seeded spins on each side): when the cancel
   * wins the caller sees a cancelled future and the record says CANCELLED; when the answer wins
   * the future holds it and the record says SUCCEEDED with its tokens. One record, always.
   */
  @Test
  void aCancelRacingTheAnswerLeavesOneRecordThatMatchesTheFuture() throws Exception {
    Random seeds = new Random(0xCA11L);
    for (int run = 0; run < 2_000; run++) {
      String where = "run " + run;
      int cancelSpins = seeds.nextInt(300);
      int answerSpins = seeds.nextInt(300);
      Blocking provider = new Blocking(false);
      Records usage = new Records();
      try (Gateway gateway = Gateway.builder().provider(provider)
          .usageSink(usage, UsageDelivery.inline())
          .retry(RetryPolicy.none()).executor(threads).build()) {
        CompletableFuture<ChatResponse> future =
            gateway.chatAsync(ChatRequest.of("blocking/m", "Hi"));
        assertThat(provider.entered.await(30, TimeUnit.SECONDS)).as(where).isTrue();
        CyclicBarrier together = new CyclicBarrier(2);
        provider.together = together;
        provider.spins = answerSpins;
        CompletableFuture<Boolean> cancel = CompletableFuture.supplyAsync(() -> {
          try {
            together.await();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          spin(cancelSpins);
          return future.cancel(true);
        }, threads);
        provider.release.countDown();
        boolean cancelled = cancel.get(30, TimeUnit.SECONDS);

        UsageRecord record = awaitRecord(usage);
        assertThat(usage.size()).as(where).isEqualTo(1);
        if (cancelled) {
          assertThat(future.isCancelled()).as(where + ": " + future + " " + record).isTrue();
          assertThat(record.outcome()).as(where).isEqualTo(UsageRecord.Outcome.CANCELLED);
        } else {
          ChatResponse answer = future.get(30, TimeUnit.SECONDS);
          assertThat(record.outcome()).as(where).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
          assertThat(record.usage()).as(where).isEqualTo(answer.usage());
        }
      } catch (ExecutionException e) {
        throw new AssertionError(where, e);
      }
    }
  }

  /** A sink that keeps the records and counts each one down. */
  private static final class Records implements dev.llmgateway.spi.UsageSink {
    final InMemoryUsageSink records = new InMemoryUsageSink();
    final CountDownLatch first = new CountDownLatch(1);

    @Override
    public void accept(UsageRecord record) {
      records.accept(record);
      first.countDown();
    }

    int size() {
      return records.size();
    }

    UsageRecord last() {
      return records.last();
    }
  }

  /** The call's record, once it is written (a cancelled call's follows on the thread that ran it). */
  private static UsageRecord awaitRecord(Records usage) throws InterruptedException {
    assertThat(usage.first.await(30, TimeUnit.SECONDS)).as("a usage record").isTrue();
    return usage.last();
  }

  private static void spin(int n) {
    for (int i = 0; i < n; i++) {
      Thread.onSpinWait();
    }
  }

  /** Counts its closes; answers "ok". */
  private static final class Counting extends UnaryOnlyProvider {
    final AtomicInteger closes = new AtomicInteger();

    Counting() {
      super("counting");
    }

    @Override
    public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
      return answer(request, "ok", Usage.of(1, 1));
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  /**
   * Waits to be released (or, {@code untilCancelled}, for its context's cancellation, as a
   * transport hangs up), then answers.
   */
  private static final class Blocking extends UnaryOnlyProvider {
    final boolean untilCancelled;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch cancelled = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile CyclicBarrier together;
    volatile int spins;

    Blocking(boolean untilCancelled) {
      super("blocking");
      this.untilCancelled = untilCancelled;
    }

    @Override
    public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
      attempt.onCancel(() -> {
        cancelled.countDown();
        release.countDown();
      });
      entered.countDown();
      try {
        release.await();
        if (untilCancelled) {
          throw new ProviderUnavailableException("the call was cancelled");
        }
        together.await();
      } catch (Exception e) {
        throw new ProviderUnavailableException("interrupted");
      }
      spin(spins);
      return answer(request, "answer", Usage.of(4, 2));
    }
  }
}
