package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.RequestOptions;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Identical unary calls in flight share the leader's answer, and its failure only when the failure
 * belongs to the request: a waiter whose leader ran out of its own deadline, or was interrupted,
 * makes its own attempt instead of inheriting another caller's failure.
 */
@Timeout(120)
class ResponseCacheWaiterTest {
  private static final long SEED = 0xC0A1E5CEL;
  private static final int RUNS = 3_000;
  private static final int MAX_SPINS = 4_096;
  private static final String DEFAULT_ANSWER = "Hello, world";

  private final StubProvider stub = new StubProvider("stub");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final Gateway gateway = Gateway.builder().provider(stub).usageSink(usage)
      .circuitBreaker(CircuitBreakerPolicy.disabled())
      .cache(ResponseCache.builder().maximumSize(100_000).build())
      .build();

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void aWaiterWithoutADeadlineSurvivesItsLeadersTimeout() throws Exception {
    CountDownLatch expired = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    stub.onAnyModel().stallPastDeadline(expired, release).reply("the provider's answer");
    ChatRequest request = ChatRequest.of("stub/m1", "hi");
    ChatRequest hurried = request.toBuilder()
        .options(RequestOptions.DEFAULT.withDeadline(Duration.ofMillis(100))).build();

    CallThread leader = CallThread.start("leader", () -> gateway.chat(hurried));
    assertThat(expired.await(10, TimeUnit.SECONDS)).as("the leader's deadline passed").isTrue();
    CallThread waiter = CallThread.start("waiter", () -> gateway.chat(request));
    waiter.awaitWaitingForAnIdenticalCall();
    release.countDown(); // the stalled upstream's transport now reports the leader's timeout

    assertThat(leader.outcome()).isInstanceOfSatisfying(GatewayTimeoutException.class, e -> {
      assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.TOTAL);
      assertThat(e.limit()).isEqualTo(Duration.ofMillis(100));
    });
    assertThat(waiter.outcome()).isInstanceOfSatisfying(ChatResponse.class, r -> {
      assertThat(r.text()).isEqualTo("the provider's answer");
      assertThat(r.cacheHit()).isFalse();
      assertThat(r.attempts()).hasSize(1);
    });
    assertThat(stub.calls()).hasSize(2);
    assertThat(usage.records()).extracting(UsageRecord::outcome)
        .containsExactlyInAnyOrder(UsageRecord.Outcome.FAILED, UsageRecord.Outcome.SUCCEEDED);
    ChatResponse next = gateway.chat(request);
    assertThat(next.cacheHit()).isTrue();
    assertThat(next.text()).isEqualTo("the provider's answer");
  }

  /** How the leader's call ends. */
  private enum LeaderEnd {
    /** It answers: the answer is shared. */
    SUCCEEDS,
    /** The provider refuses the request: a failure of the request, which may be shared. */
    REQUEST_REFUSED,
    /** Its own (1 ms) deadline runs out: its failure, never a waiter's. */
    OWN_DEADLINE,
    /** Its thread is interrupted while the provider holds it: its failure, never a waiter's. */
    INTERRUPTED
  }

  /** When the waiter arrives, relative to the leader's end. */
  private enum Arrival {
    /** Parked on the leader's call in flight before it ends. */
    BEFORE,
    /** Released together with the leader's end, each after a seeded number of spins. */
    RACING,
    /** After the leader's call returned. */
    AFTER
  }

  /**
   * Runs a leader's end against a waiter's arrival thousands of times (seeded: how the leader
   * ends, when the waiter arrives, and in a race how many spins each side waits). The waiter has no
   * deadline; it must end with the leader's shared answer, its own attempt's answer, or the
   * request's failure the leader shared — never the leader's timeout or interruption.
   */
  @Test
  void aWaiterEndsWithTheSharedAnswerItsOwnAttemptOrItsOwnFailureInEveryRace() throws Exception {
    Random seeds = new Random(SEED);
    LeaderEnd[] ends = LeaderEnd.values();
    Arrival[] arrivals = Arrival.values();
    for (int run = 0; run < RUNS; run++) {
      LeaderEnd end = ends[seeds.nextInt(ends.length)];
      Arrival arrival = arrivals[seeds.nextInt(arrivals.length)];
      int waiterSpins = seeds.nextInt(MAX_SPINS);
      int leaderSpins = seeds.nextInt(MAX_SPINS);
      String where = "run " + run + " (" + end + ", waiter " + arrival + ")";
      String prompt = "question " + run;
      ChatRequest request = ChatRequest.of("stub/m1", prompt);
      InvalidRequestException refusal = new InvalidRequestException("refused " + run);

      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ChatRequest leaderRequest = request;
      switch (end) {
        case SUCCEEDS -> stub.onAnyModel().holdUntil(release, held).reply("answer " + run);
        case REQUEST_REFUSED -> stub.onAnyModel().holdUntil(release, held).fail(refusal);
        case OWN_DEADLINE -> {
          stub.onAnyModel().stallPastDeadline(held, release);
          leaderRequest = request.toBuilder()
              .options(RequestOptions.DEFAULT.withDeadline(Duration.ofMillis(1))).build();
        }
        default -> stub.onAnyModel().holdUntil(release, held).reply("never");
      }
      ChatRequest leads = leaderRequest;
      CallThread leader = CallThread.start("leader", () -> gateway.chat(leads));
      if (!held.await(10, TimeUnit.SECONDS)) {
        fail(where + ": the leader never reached the provider");
      }
      Runnable endLeader = end == LeaderEnd.INTERRUPTED ? leader.thread::interrupt
          : release::countDown;

      CallThread waiter;
      switch (arrival) {
        case BEFORE -> {
          waiter = CallThread.start("waiter", () -> gateway.chat(request));
          waiter.awaitWaitingForAnIdenticalCall();
          endLeader.run();
        }
        case RACING -> {
          CountDownLatch go = new CountDownLatch(1);
          waiter = CallThread.start("waiter", () -> {
            spinUntil(go, waiterSpins);
            return gateway.chat(request);
          });
          go.countDown();
          spinUntil(go, leaderSpins);
          endLeader.run();
        }
        default -> {
          endLeader.run();
          leader.outcome();
          waiter = CallThread.start("waiter", () -> gateway.chat(request));
        }
      }
      Object led = leader.outcome();
      Object got = waiter.outcome();

      switch (end) {
        case SUCCEEDS -> assertThat(led).as(where).isInstanceOf(ChatResponse.class);
        case REQUEST_REFUSED -> assertThat(led).as(where).isSameAs(refusal);
        case OWN_DEADLINE -> assertThat(led).as(where)
            .isInstanceOfSatisfying(GatewayTimeoutException.class, e ->
                assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.TOTAL));
        default -> assertThat(led).as(where).isInstanceOf(GatewayException.class);
      }
      long providerCalls = stub.calls().stream()
          .filter(r -> r instanceof ChatRequest c && c.lastUserText().equals(prompt)).count();
      if (got instanceof ChatResponse answer) {
        if (end == LeaderEnd.SUCCEEDS) {
          assertThat(answer.text()).as(where + ": the shared answer").isEqualTo("answer " + run);
          assertThat(answer.cacheHit()).as(where).isTrue();
          assertThat(providerCalls).as(where).isEqualTo(1);
        } else {
          assertThat(answer.text()).as(where + ": its own attempt's answer")
              .isEqualTo(DEFAULT_ANSWER);
          assertThat(answer.cacheHit()).as(where).isFalse();
          assertThat(providerCalls).as(where + ": its own attempt").isEqualTo(2);
        }
      } else {
        assertThat(end).as(where + ": the waiter failed with " + got)
            .isEqualTo(LeaderEnd.REQUEST_REFUSED);
        assertThat(got).as(where + ": the request's failure, shared").isSameAs(refusal);
        assertThat(providerCalls).as(where).isEqualTo(1);
      }
    }
  }

  private static void spinUntil(CountDownLatch go, int spinsAfter) {
    for (int i = 1; go.getCount() != 0; i++) {
      if (i % 64 == 0) {
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
    for (int i = 0; i < spinsAfter; i++) {
      Thread.onSpinWait();
    }
  }

  /** One call on its own thread; its outcome is its answer or what it threw. */
  private static final class CallThread {
    final Thread thread;
    private final CompletableFuture<Object> outcome = new CompletableFuture<>();

    private CallThread(String name, Supplier<ChatResponse> call) {
      thread = new Thread(() -> {
        try {
          outcome.complete(call.get());
        } catch (Throwable e) {
          outcome.complete(e);
        }
      }, name);
      thread.setDaemon(true);
    }

    static CallThread start(String name, Supplier<ChatResponse> call) {
      CallThread t = new CallThread(name, call);
      t.thread.start();
      return t;
    }

    Object outcome() throws Exception {
      return outcome.get(10, TimeUnit.SECONDS);
    }

    /** Returns once the call is parked waiting for an identical call in flight. */
    void awaitWaitingForAnIdenticalCall() {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!waiting()) {
        if (System.nanoTime() > end || outcome.isDone()) {
          fail(thread.getName() + " never waited for the identical call in flight; it ended with "
              + outcome.getNow(null));
        }
        Thread.yield();
      }
    }

    private boolean waiting() {
      Thread.State state = thread.getState();
      return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
          && Arrays.stream(thread.getStackTrace()).anyMatch(f ->
              f.getClassName().endsWith(".CacheInterceptor") && f.getMethodName().equals("await"));
    }
  }
}
