package dev.llmgateway.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Deployment;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.testing.FakeProvider;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A regression guard on what the gateway's full chain allocates per call, run by {@code mvn
 * verify}. Each run measures, on the test thread with {@link
 * ThreadMXBean#getThreadAllocatedBytes(long)}:
 *
 * <ul>
 *   <li>the <b>raw call</b>: {@code fake.chat(request, attempt)} on the {@link FakeProvider}
 *       directly, as {@link ChainOverheadBenchmark}'s {@code direct} arm does;
 *   <li>the <b>full chain</b>: the same requests through a gateway configured by {@link
 *       FullChain}, as the {@code gateway-full} arm does, every call a cache miss (checked).
 * </ul>
 *
 * <p>Each is {@value #WARM_UP} warm-up calls, then the least of {@value #ROUNDS} rounds of {@value
 * #MEASURED} calls.
 *
 * <p>The guard ({@link #checkAddedBytes}) fails when the full chain adds more than {@value
 * #MAX_ADDED_BYTES} B per call over the raw call measured in the same run. Measured on
 * 2026-12-07 (Java 17.0.15, issue 25's changes, four fresh JVMs): the raw call 1,230–1,260
 * B/call, the full chain 4,000–4,190 B/call, so the chain adds 2,740–2,960 B/call; the bound is
 * the highest, 2,960 B, plus a 15 % margin (3,404 B), rounded to 100 B. (Before issue 25 the
 * chain added 3,130–3,280 B/call and the bound was 3,800 B.) Issue 27's API keys (10,000 in the
 * full chain's store) add 128 B per call, the key's bytes and its digest (one run: 3,172 B added).
 * Issue 27's access step (four rules
 * looked up, the request's features checked, the candidates filtered) adds about 140 B/call: on
 * 2026-12-08, on two shared cores, the chain without it added 2,980–3,140 B/call (three runs), with
 * it 3,070–3,370 B/call (five runs); the bound went from 3,400 to 3,600 B, the old bound plus the
 * step's cost rounded up, so the guard still catches a planted 2 KB. Issue 25's allocation cuts
 * (built-in steps sharing one chain, {@code Call}'s atomics and slots, listeners without lambdas,
 * the cache key without an array, attempt headers in one array, the pattern rule's literal
 * pre-check, the request's needs once, the decision's path shared) brought it to 1,920–2,064 B/call
 * (three runs, 2026-12-08, two shared cores); the bound is the highest plus 15 %, rounded up to 100
 * B: 2,400 B. Issue 30's policies and issue 31's listener raised it to 38,600 B, issue 25's third
 * round lowered it to 22,000 B, its fifth to 18,000 B, its seventh to 10,800 B, its eighth to
 * 9,000 B (see {@link #MAX_ADDED_BYTES}). With the planted {@code byte[8192]} the chain adds
 * about 8 KB more, well over the bound. The raw call is
 * measured in the same run so that what the request and the provider's reply cost cancels out;
 * what is left is the chain's own cost, which is what the guard is about.
 *
 * <p>The second test plants a real extra allocation in the measured path, an around-attempt
 * interceptor holding a {@code byte[}{@value #PLANTED_BYTES}{@code ]} until the call returns, and
 * shows the very same check failing on it: it fails if the check were disabled. It never asserts
 * on time.
 *
 * <p>The guard only notices a call getting heavier: when the gateway gets leaner, measure again
 * and lower {@link #MAX_ADDED_BYTES}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS) // 55–71 s seen at load 13 on two cores
class AllocationGuardTest {
  /**
   * The most the full chain may allocate per call beyond the raw call. With issue 30's policies in
   * it — each request a 1 KB prompt with five PII values, redacted, scanned for injection and
   * content, its answer scanned and restored — and issue 31's telemetry listener (no-op API), it
   * added 36,391 and 36,551 B (two runs, 2026-12-07): the PII scan's libphonenumber about 12 KB,
   * the rest the redacted and restored copies of the 1 KB texts; a third run added about 1 KB less
   * (the JIT's escape analysis differs from JVM to JVM on this longer path). The bound is the
   * highest plus about 2 KB; the planted allocation is 8 KB, so the planted test still fails by
   * far. Issue 25's third round (the PII, injection and content engines and the policy step cut
   * their copies and buffers) brought it to 19,769 and 19,969 B (two runs, 2026-12-07, with 100,000
   * warm-up calls: 20,000 left the policies' path partly uncompiled), so the bound was 22,000 B.
   * Issue 25's fifth round (costs in long arithmetic, the governance steps' memos of their last
   * counters, no list copies, iterators or per-call index entries in the in-memory stores) brought
   * it to 15,904 and 15,984 B (two runs, 2026-12-07), so the bound was 18,000 B. Issue 25's seventh
   * round (phone numbers in plain international form validated on digit automata of the
   * metadata, without libphonenumber's parse and regex matchers) brought it to 8,456–8,712 B (three
   * runs, 2026-12-08), so the bound was 10,800 B. Its eighth round (the PII detectors' shared bit
   * sets and working memory, requests and answers rewritten without builders, shared placeholders)
   * brought it to 6,896–6,976 B (three runs, 2026-12-08), so the bound is 9,000 B, the highest plus
   * about 2 KB. Before the policies:
   * 5,775 B with issue 28's rate limits and budget (bound 6,200), 1,920–2,064 B after issue 25's
   * cuts without them (bound 2,400); see the class's javadoc.
   */
  static final long MAX_ADDED_BYTES = 9_000;

  /** What the planted interceptor allocates per call; well over the margin above. */
  static final int PLANTED_BYTES = 8_192;

  static final int WARM_UP = 100_000;
  static final int MEASURED = 10_000;
  static final int ROUNDS = 3;

  private static final ThreadMXBean THREADS =
      (ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Keeps the planted arrays from being optimised away. */
  static volatile byte[] sink = new byte[0];

  @Test
  void fullChainAddsAtMostTheStatedBytesPerCallOverTheRawCall() {
    checkAddedBytes(0);
  }

  @Test
  void guardFailsOnAPlantedAllocationInTheMeasuredPath() {
    assertThatThrownBy(() -> checkAddedBytes(PLANTED_BYTES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the full chain adds");
  }

  /**
   * The guard: measures the raw call and the full chain (with an interceptor allocating a {@code
   * byte[plantedBytes]} per call when {@code plantedBytes} > 0) and fails when the chain adds more
   * than {@link #MAX_ADDED_BYTES} per call.
   */
  static void checkAddedBytes(int plantedBytes) {
    assertThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
    double raw = measureRaw();
    double full = measureFullChain(plantedBytes);
    double added = full - raw;
    assertThat(added)
        .as("the full chain adds %.0f B/call over the raw call (full %.0f, raw %.0f B/call); the"
            + " guard allows %d B", added, full, raw, MAX_ADDED_BYTES)
        .isLessThanOrEqualTo(MAX_ADDED_BYTES);
  }

  /** Bytes the test thread allocates per raw call to the fake provider. */
  static double measureRaw() {
    FakeProvider fake = fake();
    ChatRequest[] requests = FullChain.requests(FullChain.ALIAS);
    Deployment deployment = new Deployment("fake", "gpt-4.1-mini");
    return measure(i -> rawCall(fake, FullChain.next(requests, i), deployment));
  }

  /**
   * Bytes the test thread allocates per call of {@code call} (given the call's index): {@value
   * #WARM_UP} calls to warm up, then the least of {@value #ROUNDS} rounds of {@value #MEASURED}
   * calls (the JIT compiling late only ever adds to a round).
   */
  static double measure(IntConsumer call) {
    int next = 0;
    for (int i = 0; i < WARM_UP; i++) {
      call.accept(next++);
    }
    long id = Thread.currentThread().getId();
    double least = Double.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      long before = THREADS.getThreadAllocatedBytes(id);
      for (int i = 0; i < MEASURED; i++) {
        call.accept(next++);
      }
      long after = THREADS.getThreadAllocatedBytes(id);
      least = Math.min(least, (double) (after - before) / MEASURED);
    }
    return least;
  }

  private static void rawCall(FakeProvider fake, ChatRequest request, Deployment deployment) {
    fake.chat(request.withModel(deployment.model()),
        new AttemptContext("bench", deployment, 1, AttemptContext.NO_DEADLINE));
  }

  /**
   * Bytes the test thread allocates per full-chain chat; with {@code plantedBytes} > 0 an extra
   * around-attempt interceptor allocates a {@code byte[plantedBytes]} per call.
   */
  static double measureFullChain(int plantedBytes) {
    FullChain.Tally tally = new FullChain.Tally();
    try (FullChain.UsageFiles files = FullChain.UsageFiles.create();
        Gateway gateway = gatewayFull(plantedBytes, tally, files)) {
      ChatRequest[] requests = FullChain.requests(FullChain.ALIAS);
      Caller caller = FullChain.caller();
      double perCall = measure(i -> gateway.chat(FullChain.next(requests, i), caller));
      tally.checkEveryCallMissedAndWasPriced("gateway-full");
      return perCall;
    }
  }

  private static FakeProvider fake() {
    FakeProvider fake = FakeProvider.builder().name("fake").recordCalls(false).build();
    fake.onAnyModel().alwaysReply(r -> "Hello! How can I help you today?");
    return fake;
  }

  private static Gateway gatewayFull(int plantedBytes, FullChain.Tally tally,
      FullChain.UsageFiles files) {
    GatewayBuilder builder = FullChain.configure(Gateway.builder().provider(fake()),
        "fake/gpt-4.1-mini", "fake/gpt-4.1", tally, files);
    if (plantedBytes > 0) {
      builder.interceptor(InterceptorPosition.AROUND_ATTEMPT, chain -> {
        byte[] held = new byte[plantedBytes];
        try {
          return chain.proceed(chain.request());
        } finally {
          sink = held;
        }
      });
    }
    return builder.build();
  }
}
