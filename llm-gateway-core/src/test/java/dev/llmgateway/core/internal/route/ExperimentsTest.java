package dev.llmgateway.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallKind;
import dev.llmgateway.Deployment;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.UsageRecord.Outcome;
import dev.llmgateway.core.route.VariantStats;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@org.junit.jupiter.api.Timeout(60)
class ExperimentsTest {
  private static final Instant START = Instant.parse("2025-01-01T12:00:00Z");
  private static final Deployment DEPLOYMENT = new Deployment("openai", "gpt-4.1-mini");
  private static final String ALIAS = "chat";

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Experiments experiments = new Experiments(nanos::get);
  private final AtomicLong ids = new AtomicLong();
  private @Nullable ExecutorService pool;

  @AfterEach
  void shutDownPool() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void countsCallsErrorsAndCacheHitsPerVariant() {
    experiments.record(call("a").build(), ALIAS);
    experiments.record(call("a").outcome(Outcome.FAILED).build(), ALIAS);
    experiments.record(call("a").cacheHit().build(), ALIAS);
    experiments.record(call("a").outcome(Outcome.CANCELLED).build(), ALIAS);
    experiments.record(call("b").outcome(Outcome.FAILED).build(), ALIAS);

    VariantStats a = stats("a");
    assertThat(a.alias()).isEqualTo(ALIAS);
    assertThat(a.calls()).isEqualTo(4);
    assertThat(a.errors()).isEqualTo(1);
    assertThat(a.cacheHits()).isEqualTo(1);
    VariantStats b = stats("b");
    assertThat(b.calls()).isEqualTo(1);
    assertThat(b.errors()).isEqualTo(1);
    assertThat(b.cacheHits()).isZero();
  }

  @Test
  void latencyCoversOnlyAnsweredCallsTheCacheDidNotAnswer() {
    experiments.record(call("a").latency(Duration.ofMillis(100)).build(), ALIAS);
    experiments.record(call("a").latency(Duration.ofMillis(1)).cacheHit().build(), ALIAS);
    experiments.record(
        call("a").latency(Duration.ofSeconds(30)).outcome(Outcome.FAILED).build(), ALIAS);
    experiments.record(
        call("a").latency(Duration.ofSeconds(20)).outcome(Outcome.CANCELLED).build(), ALIAS);

    VariantStats a = stats("a");
    assertThat(a.latencyP50()).isEqualTo(Duration.ofMillis(100));
    assertThat(a.latencyP99()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void latencyIsNullBeforeTheFirstAnsweredCall() {
    experiments.record(call("a").cacheHit().build(), ALIAS);
    experiments.record(call("a").outcome(Outcome.FAILED).build(), ALIAS);

    VariantStats a = stats("a");
    assertThat(a.latencyP50()).isNull();
    assertThat(a.latencyP95()).isNull();
    assertThat(a.latencyP99()).isNull();
  }

  @Test
  void percentilesOfAKnownDistributionAreWithinTheHistogramsError() {
    List<Integer> millis = new ArrayList<>();
    for (int i = 1; i <= 1_000; i++) {
      millis.add(i);
    }
    Collections.shuffle(millis, new Random(3));
    for (int ms : millis) {
      experiments.record(call("a").latency(Duration.ofMillis(ms)).build(), ALIAS);
    }

    VariantStats a = stats("a");
    assertWithinHistogramError(a.latencyP50(), Duration.ofMillis(500));
    assertWithinHistogramError(a.latencyP95(), Duration.ofMillis(950));
    assertWithinHistogramError(a.latencyP99(), Duration.ofMillis(990));
  }

  @Test
  void sumsInputAndOutputTokensOfAllCalls() {
    experiments.record(call("a").usage(Usage.of(100, 20)).build(), ALIAS);
    experiments.record(call("a").usage(Usage.of(7, 0)).outcome(Outcome.FAILED).build(), ALIAS);
    experiments.record(call("a").usage(Usage.of(50, 10)).cacheHit().build(), ALIAS);

    VariantStats a = stats("a");
    assertThat(a.inputTokens()).isEqualTo(157);
    assertThat(a.outputTokens()).isEqualTo(30);
  }

  @Test
  void sumsKnownCostsExactlyAndCountsUnpricedCalls() {
    experiments.record(call("a").cost(new BigDecimal("0.1")).build(), ALIAS);
    experiments.record(call("a").cost(new BigDecimal("0.2")).build(), ALIAS);
    experiments.record(call("a").cost(null).build(), ALIAS);
    experiments.record(call("a").cost(null).outcome(Outcome.FAILED).build(), ALIAS);
    experiments.record(call("a").cost(BigDecimal.ZERO).cacheHit().build(), ALIAS);
    experiments.record(call("a").cost(null).cacheHit().build(), ALIAS);

    VariantStats a = stats("a");
    assertThat(a.cost()).isEqualByComparingTo("0.3");
    assertThat(a.unpricedCalls()).isEqualTo(2);
  }

  @Test
  void costOfManySmallCallsStaysExact() {
    for (int i = 0; i < 10_000; i++) {
      experiments.record(call("a").cost(new BigDecimal("0.0000013")).build(), ALIAS);
    }

    assertThat(stats("a").cost()).isEqualByComparingTo("0.013");
  }

  @Test
  void listsVariantsInFirstSeenOrderPerAlias() {
    experiments.record(call("b").build(), ALIAS);
    experiments.record(call("a").build(), ALIAS);
    experiments.record(call("x").build(), "other");
    experiments.record(call("c").build(), ALIAS);
    experiments.record(call("a").build(), ALIAS);

    assertThat(experiments.stats(ALIAS)).extracting(VariantStats::variant)
        .containsExactly("b", "a", "c");
    assertThat(experiments.stats("other")).extracting(VariantStats::variant)
        .containsExactly("x");
  }

  @Test
  void unknownAliasHasNoStats() {
    experiments.record(call("a").build(), ALIAS);

    assertThat(experiments.stats("unknown")).isEmpty();
  }

  @Test
  void ignoresRecordsWithoutAVariant() {
    UsageRecord unrouted = call(null).build();
    experiments.record(unrouted, ALIAS);

    assertThat(experiments.stats(ALIAS)).isEmpty();
    assertThat(experiments.feedback(unrouted.callId(), 1)).isFalse();
  }

  @Test
  void feedbackScoresTheCallsVariant() {
    UsageRecord first = call("a").build();
    UsageRecord second = call("a").build();
    UsageRecord other = call("b").build();
    experiments.record(first, ALIAS);
    experiments.record(second, ALIAS);
    experiments.record(other, ALIAS);

    assertThat(experiments.feedback(first.callId(), 1.0)).isTrue();
    assertThat(experiments.feedback(second.callId(), 0.5)).isTrue();

    VariantStats a = stats("a");
    assertThat(a.scores()).isEqualTo(2);
    assertThat(a.meanScore()).isEqualTo(0.75);
    VariantStats b = stats("b");
    assertThat(b.scores()).isZero();
    assertThat(b.meanScore()).isNull();
  }

  @Test
  void feedbackForAnUnknownCallIsRefused() {
    experiments.record(call("a").build(), ALIAS);

    assertThat(experiments.feedback("no-such-call", 1)).isFalse();
    assertThat(stats("a").scores()).isZero();
  }

  @Test
  void aSecondScoreForTheSameCallReplacesTheFirst() {
    UsageRecord scored = call("a").build();
    UsageRecord other = call("a").build();
    experiments.record(scored, ALIAS);
    experiments.record(other, ALIAS);
    experiments.feedback(other.callId(), 0.5);

    experiments.feedback(scored.callId(), 0.1);
    experiments.feedback(scored.callId(), 0.7);
    experiments.feedback(scored.callId(), 0.0);

    VariantStats a = stats("a");
    assertThat(a.scores()).isEqualTo(2);
    assertThat(a.meanScore()).isEqualTo(0.25);
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void rejectsScoresThatAreNotFinite(double score) {
    UsageRecord record = call("a").build();
    experiments.record(record, ALIAS);

    assertThatThrownBy(() -> experiments.feedback(record.callId(), score))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("score must be a finite number");
    assertThat(stats("a").scores()).isZero();
  }

  @Test
  void forgetsCallsTwentyFourHoursAfterTheyWereRecorded() {
    UsageRecord early = call("a").build();
    experiments.record(early, ALIAS);
    nanos.addAndGet(Duration.ofHours(12).toNanos());
    UsageRecord late = call("a").build();
    experiments.record(late, ALIAS);

    nanos.addAndGet(Duration.ofHours(12).minusNanos(1).toNanos());
    assertThat(experiments.feedback(early.callId(), 1)).isTrue();
    nanos.addAndGet(1);
    assertThat(experiments.feedback(early.callId(), 0)).isFalse();
    assertThat(experiments.feedback(late.callId(), 0)).isTrue();

    VariantStats a = stats("a");
    assertThat(a.scores()).as("a forgotten call keeps its score").isEqualTo(2);
    assertThat(a.meanScore()).isEqualTo(0.5);
  }

  @Test
  void remembersOnlyTheMostRecentCalls() {
    Experiments bounded = new Experiments(nanos::get, 100, Duration.ofHours(24));
    List<UsageRecord> records = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      UsageRecord record = call("a").build();
      records.add(record);
      bounded.record(record, ALIAS);
    }
    bounded.cleanUp();

    assertThat(bounded.rememberedCalls()).isEqualTo(100L);
    for (UsageRecord record : records.subList(1_000 - 100, 1_000)) {
      assertThat(bounded.feedback(record.callId(), 1)).as(record.callId()).isTrue();
    }
    assertThat(bounded.feedback(records.get(0).callId(), 1)).isFalse();
    assertThat(bounded.feedback(records.get(899).callId(), 1)).isFalse();
    assertThat(bounded.stats(ALIAS).get(0).calls()).isEqualTo(1_000);
  }

  @Test
  void expiredCallsMakeRoomForNewOnes() {
    Experiments bounded = new Experiments(nanos::get, 10, Duration.ofHours(24));
    for (int i = 0; i < 10; i++) {
      bounded.record(call("a").build(), ALIAS);
    }
    nanos.addAndGet(Duration.ofHours(25).toNanos());

    List<UsageRecord> fresh = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      UsageRecord record = call("a").build();
      fresh.add(record);
      bounded.record(record, ALIAS);
    }
    bounded.cleanUp();

    assertThat(bounded.rememberedCalls()).isEqualTo(5);
    for (UsageRecord record : fresh) {
      assertThat(bounded.feedback(record.callId(), 1)).as(record.callId()).isTrue();
    }
  }

  @Test
  void aCallIdWithoutASequenceNumberIsCountedButCannotBeScored() {
    UsageRecord odd = new CallBuilder("no sequence!", "a").build();
    experiments.record(odd, ALIAS);

    assertThat(stats("a").calls()).isEqualTo(1);
    assertThat(experiments.feedback(odd.callId(), 1)).isFalse();
    assertThat(experiments.feedback("x-" + "z".repeat(13), 1)).isFalse();
  }

  @Test
  void aCallThatEndsAfterALaterOneInItsSlotDoesNotPushItOut() {
    Experiments bounded = new Experiments(nanos::get, 10, Duration.ofHours(24));
    UsageRecord later = new CallBuilder("g-" + Long.toString(15, 36), "a").build();
    UsageRecord earlier = new CallBuilder("g-" + Long.toString(5, 36), "a").build();
    bounded.record(later, ALIAS);
    bounded.record(earlier, ALIAS);

    assertThat(bounded.feedback(later.callId(), 1)).isTrue();
    assertThat(bounded.feedback(earlier.callId(), 1)).isFalse();
  }

  @Test
  void sequenceNumbersAreTheBase36DigitsAfterTheLastDash() {
    assertThat(Experiments.sequenceOf("k3x9-0")).isZero();
    assertThat(Experiments.sequenceOf("k3x9-zz")).isEqualTo(36 * 36 - 1);
    assertThat(Experiments.sequenceOf("a-b-" + Long.toString(123_456_789L, 36)))
        .isEqualTo(123_456_789L);
    assertThat(Experiments.sequenceOf("k3x9-")).isEqualTo(-1);
    assertThat(Experiments.sequenceOf("k3x9-AB")).isEqualTo(-1);
    assertThat(Experiments.sequenceOf("nodash")).isEqualTo(-1);
  }

  @Test
  void rejectsAnEmptyBoundOrLifetime() {
    assertThatThrownBy(() -> new Experiments(nanos::get, 0, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxCalls must be at least 1, was 0");
    assertThatThrownBy(() -> new Experiments(nanos::get, 10, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rememberFor must be positive");
  }

  @Test
  void concurrentRecordingKeepsExactTotals() throws Exception {
    int threads = 8;
    int perThread = 10_000;
    List<List<UsageRecord>> batches = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<UsageRecord> batch = new ArrayList<>(perThread);
      for (int i = 0; i < perThread; i++) {
        CallBuilder call = call(i % 2 == 0 ? "a" : "b").usage(Usage.of(3, 5))
            .cost(new BigDecimal("0.001")).latency(Duration.ofMillis(1 + i % 1_000));
        if (i % 10 == 1) {
          call.outcome(Outcome.FAILED);
        }
        if (i % 10 == 2) {
          call.cost(null);
        }
        batch.add(call.build());
      }
      batches.add(batch);
    }

    runConcurrently(experiments, batches);

    for (String variant : List.of("a", "b")) {
      VariantStats stats = stats(variant);
      long calls = (long) threads * perThread / 2;
      assertThat(stats.calls()).as(variant).isEqualTo(calls);
      assertThat(stats.errors()).as(variant).isEqualTo(variant.equals("b") ? calls / 5 : 0);
      assertThat(stats.unpricedCalls()).as(variant).isEqualTo(variant.equals("a") ? calls / 5 : 0);
      assertThat(stats.inputTokens()).as(variant).isEqualTo(3 * calls);
      assertThat(stats.outputTokens()).as(variant).isEqualTo(5 * calls);
      BigDecimal priced = new BigDecimal("0.001")
          .multiply(BigDecimal.valueOf(variant.equals("a") ? calls - calls / 5 : calls));
      assertThat(stats.cost()).as(variant).isEqualByComparingTo(priced);
    }
    for (List<UsageRecord> batch : batches) {
      assertThat(experiments.feedback(batch.get(0).callId(), 1)).isTrue();
    }
  }

  @Test
  void concurrentRecordingPastTheBoundKeepsItAndTheTotals() throws Exception {
    Experiments bounded = new Experiments(nanos::get, 1_000, Duration.ofHours(24));
    List<List<UsageRecord>> batches = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      List<UsageRecord> batch = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        batch.add(call("a").build());
      }
      batches.add(batch);
    }

    runConcurrently(bounded, batches);
    bounded.cleanUp();

    assertThat(bounded.rememberedCalls()).isEqualTo(1_000L);
    assertThat(bounded.stats(ALIAS).get(0).calls()).isEqualTo(80_000);
    long scorable = batches.stream().flatMap(List::stream)
        .filter(record -> bounded.feedback(record.callId(), 1))
        .count();
    assertThat(scorable).as("exactly the 1,000 latest, whatever order they ended in")
        .isEqualTo(1_000L);
    UsageRecord next = call("a").build();
    bounded.record(next, ALIAS);
    assertThat(bounded.feedback(next.callId(), 1)).isTrue();
  }

  private void runConcurrently(Experiments target, List<List<UsageRecord>> batches)
      throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(batches.size());
    pool = threads;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (List<UsageRecord> batch : batches) {
      done.add(threads.submit(() -> {
        start.await();
        for (UsageRecord record : batch) {
          target.record(record, ALIAS);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> future : done) {
      future.get(60, TimeUnit.SECONDS);
    }
  }

  private VariantStats stats(String variant) {
    return experiments.stats(ALIAS).stream()
        .filter(s -> s.variant().equals(variant))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stats for variant " + variant));
  }

  private static void assertWithinHistogramError(@Nullable Duration reported, Duration exact) {
    assertThat(reported).isNotNull();
    Duration bound = exact.plus(exact.dividedBy(64)).plusNanos(1_000);
    assertThat(reported).isBetween(exact, bound);
  }

  private CallBuilder call(@Nullable String variant) {
    return new CallBuilder("call-" + Long.toString(ids.incrementAndGet(), 36), variant);
  }

  /** Builds usage records with defaults: a priced, answered, non-cached call in a variant. */
  private static final class CallBuilder {
    private final String callId;
    private final @Nullable String variant;
    private Usage usage = Usage.of(10, 5);
    private @Nullable BigDecimal cost = new BigDecimal("0.01");
    private Duration latency = Duration.ofMillis(200);
    private Outcome outcome = Outcome.SUCCEEDED;
    private boolean cacheHit;

    CallBuilder(String callId, @Nullable String variant) {
      this.callId = callId;
      this.variant = variant;
    }

    CallBuilder usage(Usage value) {
      usage = value;
      return this;
    }

    CallBuilder cost(@Nullable BigDecimal value) {
      cost = value;
      return this;
    }

    CallBuilder latency(Duration value) {
      latency = value;
      return this;
    }

    CallBuilder outcome(Outcome value) {
      outcome = value;
      return this;
    }

    CallBuilder cacheHit() {
      cacheHit = true;
      return this;
    }

    UsageRecord build() {
      RoutingDecision routing = variant == null ? null
          : new RoutingDecision(List.of("alias " + ALIAS, "variant " + variant), variant,
              List.of(DEPLOYMENT), List.of(), false);
      return new UsageRecord(callId, START, CallKind.CHAT, null, ALIAS,
          cacheHit ? null : DEPLOYMENT, null, List.of(), usage, cost, latency, null, outcome,
          outcome == Outcome.FAILED ? "ProviderUnavailableException" : null, Set.of(),
          cacheHit, routing);
    }
  }
}
