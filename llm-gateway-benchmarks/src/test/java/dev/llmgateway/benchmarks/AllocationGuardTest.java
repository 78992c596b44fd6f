package dev.llmgateway.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.testing.FakeProvider;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A regression guard on the gateway's allocation per call, run by {@code mvn verify}: the unary
 * chat of {@link ChainOverheadBenchmark}'s {@code gateway-full} arm over the {@link FakeProvider},
 * measured with {@link ThreadMXBean#getThreadAllocatedBytes(long)} on the test thread over {@value
 * #MEASURED} calls after {@value #WARM_UP} warm-up calls, each a distinct request of {@link
 * FullChain#requests} so that every call misses the response cache (checked). It fails only when
 * a call allocates more than twice the recorded baseline; it never asserts on time.
 */
class AllocationGuardTest {
  /**
   * JMH's {@code gc.alloc.rate.norm} for {@code ChainOverheadBenchmark.chat} {@code gateway-full},
   * from {@code results/chain-overhead.json}: 4,072 B/op (2,460 before routing, prices and the
   * cache joined {@link FullChain}). For reference only: JMH counts every thread and its own
   * harness, this guard counts the test thread alone.
   */
  static final long JMH_GATEWAY_FULL_BYTES = 4_072;

  /**
   * This guard's own figure for the same call, measured by {@link #measure} on 2026-11-25 (Java
   * 17.0.15, on top of commit {@code 51d1a86}, {@link FullChain} with its rules route, A/B split,
   * prices and response cache, every call a cache miss): 4,603 B/call once warm, 5,036 B/call for
   * the first measurement in a fresh JVM; recorded rounded down to 100 B.
   *
   * <p>It was 2,000 B (2,088 measured on {@code 4b5ca07}). The earlier {@link FullChain} (one
   * fallback route, no prices, no cache) measured 2,500–2,800 B/call on {@code ec447db} and
   * 3,150–3,400 B/call on {@code 51d1a86} (the routing walk and its decision trail, the cost of
   * each call) on this machine; what {@link FullChain} now configures adds about 1,500 B: the
   * prices about 200 B, the split and the cheapest-first strategy about 350 B, the three rules
   * about 350 B, the cache miss 650–850 B (its key, the pending entry, the stored copy of the
   * answer, Caffeine's node and the eviction of another entry).
   *
   * <p>The guard only notices a call getting heavier: when the gateway gets leaner, measure again
   * and lower this figure.
   */
  static final long GUARD_BASELINE_BYTES = 4_600;

  /** A call may allocate up to this many times the baseline before the guard fails. */
  static final double FACTOR = 2.0;

  static final int WARM_UP = 20_000;
  static final int MEASURED = 20_000;

  private static final ThreadMXBean THREADS =
      (ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Keeps the deliberate regression's arrays from being optimised away. */
  static volatile byte[] sink = new byte[0];

  @Test
  void gatewayFullUnaryChatAllocatesAtMostTwiceTheRecordedBaseline() {
    double perCall = measure(0);
    assertThat(withinBudget(perCall))
        .as("gateway-full chat allocates %.0f B/call; the guard allows %.0f × %d B", perCall,
            FACTOR, GUARD_BASELINE_BYTES)
        .isTrue();
  }

  @Test
  void guardFailsWhenAllocationPerCallIsDeliberatelyDoubled() {
    // an interceptor allocating twice the baseline per call: whatever the gateway itself
    // allocates (more efficient later or not), the call is now over the guard's budget
    int extra = (int) (FACTOR * GUARD_BASELINE_BYTES);
    double perCall = measure(extra);
    assertThat(perCall).as("the measurement sees the extra allocation").isGreaterThan(extra);
    assertThat(withinBudget(perCall))
        .as("with an extra byte[%d] per call: %.0f B/call", extra, perCall)
        .isFalse();
  }

  /** The guard's check. */
  static boolean withinBudget(double bytesPerCall) {
    return bytesPerCall <= FACTOR * GUARD_BASELINE_BYTES;
  }

  /**
   * Bytes the test thread allocates per gateway-full chat; with {@code extraBytes} > 0 an extra
   * around-attempt interceptor allocates a {@code byte[extraBytes]} per call.
   */
  static double measure(int extraBytes) {
    FullChain.Tally tally = new FullChain.Tally();
    try (Gateway gateway = gatewayFull(extraBytes, tally)) {
      ChatRequest[] requests = FullChain.requests(FullChain.ALIAS);
      Caller caller = FullChain.caller();
      int next = 0;
      for (int i = 0; i < WARM_UP; i++) {
        gateway.chat(FullChain.next(requests, next++), caller);
      }
      long id = Thread.currentThread().getId();
      long before = THREADS.getThreadAllocatedBytes(id);
      for (int i = 0; i < MEASURED; i++) {
        gateway.chat(FullChain.next(requests, next++), caller);
      }
      long after = THREADS.getThreadAllocatedBytes(id);
      tally.checkEveryCallMissedAndWasPriced("gateway-full");
      return (double) (after - before) / MEASURED;
    }
  }

  private static Gateway gatewayFull(int extraBytes, FullChain.Tally tally) {
    FakeProvider fake = FakeProvider.builder().name("fake").recordCalls(false).build();
    fake.onAnyModel().alwaysReply(r -> "Hello! How can I help you today?");
    GatewayBuilder builder = FullChain.configure(Gateway.builder().provider(fake),
        "fake/gpt-4.1-mini", "fake/gpt-4.1", tally);
    if (extraBytes > 0) {
      builder.interceptor(InterceptorPosition.AROUND_ATTEMPT, chain -> {
        sink = new byte[extraBytes];
        return chain.proceed(chain.request());
      });
    }
    return builder.build();
  }
}
