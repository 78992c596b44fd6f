package dev.llmgateway.core.budget;

import static dev.llmgateway.core.budget.BudgetFixture.BIG_IN;
import static dev.llmgateway.core.budget.BudgetFixture.BIG_OUT;
import static dev.llmgateway.core.budget.BudgetFixture.DOLLAR;
import static dev.llmgateway.core.budget.BudgetFixture.SALES;
import static dev.llmgateway.core.budget.BudgetFixture.SMALL_IN;
import static dev.llmgateway.core.budget.BudgetFixture.SUPPORT;
import static dev.llmgateway.core.budget.BudgetFixture.ask;
import static dev.llmgateway.core.budget.BudgetFixture.critical;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Attempt;
import dev.llmgateway.BudgetExceededException;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RequestOptions;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.ManualScheduler;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.resilience.HedgePolicy;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a call is charged and when: the reservation before it, growth before a further attempt
 * (failover to a dearer candidate, a hedge), and the settlement from its usage record whatever
 * ended it — an answer, a failure (released), a partial stream or a cancel (what was used), a cache
 * hit (nothing), an embedding — once, even when the store's reply is lost; leases; the month a
 * call belongs to; unpriced deployments; a failing store.
 */
@Timeout(60)
class BudgetSettlementTest {
  private static final Budget TEAM = Budget.perId("team-monthly", Scope.TEAM, "10.00");

  private final BudgetFixture f = new BudgetFixture();

  @AfterEach
  void close() {
    f.close();
  }

  /** The one budget's counter is back to zero reserved and holds what the records cost. */
  private void settledAsRecorded() {
    BudgetBalance balance = f.balance(TEAM, SUPPORT);
    assertThat(balance.reservedNanos()).isZero();
    assertThat(balance.spentNanos()).isEqualTo(f.recordedNanos());
  }

  @Test
  void anAnsweredCallReservesItsMostAndIsChargedItsRecordsCost() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    f.stub.onAnyModel().reply("ok", Usage.of(700, 300));

    ChatResponse answer = gateway.chat(ask("smart", "hi", 1_000), SUPPORT);

    // "hi": 4 tokens of framing + 1; 1,000 output tokens at the big model's rates
    assertThat(f.recording.reservedFor(answer.callId()))
        .containsExactly(5 * BIG_IN + 1_000 * BIG_OUT);
    assertThat(answer.cost()).isEqualByComparingTo("0.016"); // 700 x $10 + 300 x $30 per million
    assertThat(f.balance(TEAM, SUPPORT).spentNanos()).isEqualTo(16_000_000);
    settledAsRecorded();
  }

  /**
   * The admission reuses the last counter it made for a budget when the next caller has the same
   * one: callers that take turns must still each be charged on their own, by team and by tenant
   * (the same team id in another org).
   */
  @Test
  void callersTakingTurnsAreEachChargedOnTheirOwnCounter() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    f.stub.onAnyModel().reply("ok", Usage.of(700, 300));
    Principal otherOrg = Principal.builder().org("globex").team("support").keyId("k-3").build();
    Principal[] turns = {SUPPORT, SALES, otherOrg, SUPPORT, SUPPORT, otherOrg, SALES, SUPPORT};

    java.util.Map<Principal, Long> charged = new java.util.HashMap<>();
    for (int i = 0; i < turns.length; i++) {
      ChatResponse answer = gateway.chat(ask("smart", "turn " + i, 1_000), turns[i]);
      charged.merge(turns[i], Budget.toNanos(answer.cost()), Long::sum);
    }

    assertThat(charged.get(SUPPORT)).isPositive();
    for (Principal p : List.of(SUPPORT, SALES, otherOrg)) {
      assertThat(f.balance(TEAM, p).spentNanos()).as("%s", p).isEqualTo(charged.get(p));
    }
    assertThat(f.store.list(f.clock.instant())).hasSize(3);
  }

  @Test
  void aFailedCallReleasesItsReservation() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build(), b -> b.retry(RetryPolicy.none()));
    f.stub.onAnyModel().fail(new ProviderUnavailableException("down"));

    assertThatThrownBy(() -> gateway.chat(ask("smart", "hi", 1_000), SUPPORT))
        .isInstanceOf(ProviderUnavailableException.class);

    assertThat(f.records.last().outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
    assertThat(f.balance(TEAM, SUPPORT)).isEqualTo(new BudgetBalance(
        f.balance(TEAM, SUPPORT).counter(), 0, 0, 0));
  }

  @Test
  void aStreamThatFailsAfterItsFirstContentIsChargedWhatItUsed() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    f.stub.onAnyModel().events(List.of(new ChatEvent.TextDelta("Part of an answer"),
        ChatEvent.Failed.of(new ProviderUnavailableException("connection reset"))));

    List<ChatEvent> events = new ArrayList<>();
    try (StreamIterator<ChatEvent> it =
        gateway.stream(ask("smart", "tell me", 1_000), SUPPORT).iterator()) {
      it.forEachRemaining(events::add);
    }

    UsageRecord record = f.records.last();
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.STREAM_FAILED);
    assertThat(record.cost()).isPositive();
    settledAsRecorded();
  }

  @Test
  void aCancelledStreamIsChargedWhatItUsed() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    f.stub.onAnyModel().events(Collections.nCopies(500, new ChatEvent.TextDelta("word ")));

    StreamIterator<ChatEvent> it = gateway.stream(ask("smart", "tell me", 1_000), SUPPORT)
        .iterator();
    assertThat(it.next()).isInstanceOf(ChatEvent.TextDelta.class);
    it.close();

    UsageRecord record = f.records.last();
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.CANCELLED);
    assertThat(record.usage().estimated()).isTrue();
    assertThat(record.cost()).isPositive();
    settledAsRecorded();
  }

  @Test
  void failoverToADearerCandidateAfterAnAttemptThatCostSomethingGrowsTheReservation()
      throws Exception {
    ManualScheduler timers = new ManualScheduler();
    Gateway gateway = f.gateway(f.budgets(TEAM).build(), b -> b.scheduler(timers)
        .retry(RetryPolicy.none()).attemptTimeout(Duration.ofSeconds(5))
        .alias("chain", Route.fallback("stub/small", "stub/big")));
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    f.stub.on("small").holdUntil(never, arrived).reply("slow");
    f.stub.on("big").reply("from big", Usage.of(5, 10));

    CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(
        () -> gateway.chat(ask("chain", "hi", 1_000), SUPPORT));
    assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();
    timers.fireAll(); // the small model's attempt timeout: its estimated input is billed
    ChatResponse answer = call.get(30, TimeUnit.SECONDS);
    never.countDown();

    assertThat(answer.deployment()).isEqualTo(Deployment.parse("stub/big"));
    assertThat(answer.attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
    long timedOut = answer.attempts().get(0).usage().inputTokens() * SMALL_IN;
    assertThat(timedOut).isPositive();
    assertThat(f.recording.reservedFor(answer.callId()))
        .as("the dearest candidate first, then what the timed-out attempt cost")
        .containsExactly(5 * BIG_IN + 1_000 * BIG_OUT, timedOut);
    settledAsRecorded();
  }

  @Test
  void aHedgeBesideTheFirstAttemptGrowsTheReservationByTheFirstAttemptsMost() throws Exception {
    ManualScheduler timers = new ManualScheduler();
    Gateway gateway = f.gateway(f.budgets(TEAM).build(), b -> b.scheduler(timers)
        .alias("hedged", Route.fallback("stub/small", "stub/big")
            .hedge(HedgePolicy.after(Duration.ofSeconds(2)))));
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    f.stub.on("small").holdUntil(held, arrived).reply("slow");
    f.stub.on("big").reply("fast", Usage.of(5, 10));

    CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(
        () -> gateway.chat(ask("hedged", "hi", 1_000), SUPPORT));
    assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();
    while (!timers.delays().contains(Duration.ofSeconds(2))) {
      Thread.onSpinWait();
    }
    timers.fire(Duration.ofSeconds(2));
    while (f.stub.calls("big").isEmpty()) {
      Thread.onSpinWait();
    }
    held.countDown();
    ChatResponse answer = call.get(30, TimeUnit.SECONDS);

    long small = 5 * SMALL_IN + 1_000 * BudgetFixture.SMALL_OUT;
    long big = 5 * BIG_IN + 1_000 * BIG_OUT;
    assertThat(f.recording.reservedFor(answer.callId()))
        .as("the dearest candidate first, then the running first attempt's most")
        .containsExactly(big, small);
    assertThat(answer.attempts()).hasSize(2);
    settledAsRecorded();
  }

  @Test
  void aContentFilterFallbackOutsideThePlanIsReservedBeforeItRuns() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build(), b -> b
        .alias("filtered", Route.to("stub/small").onContentFiltered("stub/big")));
    f.stub.on("small").fail(new dev.llmgateway.ContentFilteredException("filtered"));
    f.stub.on("big").reply("from big", Usage.of(5, 10));

    ChatResponse answer = gateway.chat(ask("filtered", "hi", 1_000), SUPPORT);

    long small = 5 * SMALL_IN + 1_000 * BudgetFixture.SMALL_OUT;
    long big = 5 * BIG_IN + 1_000 * BIG_OUT;
    assertThat(answer.deployment()).isEqualTo(Deployment.parse("stub/big"));
    assertThat(f.recording.reservedFor(answer.callId())).containsExactly(small, big - small);
    settledAsRecorded();
  }

  @Test
  void aBudgetWithoutRoomForAnotherAttemptSkipsItWithTheReason() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build(), b -> b
        .alias("filtered", Route.to("stub/small").onContentFiltered("stub/big")));
    f.spend(TEAM, SUPPORT, 10 * DOLLAR - 10_000_000); // $0.01 left
    f.stub.on("small").fail(new dev.llmgateway.ContentFilteredException("filtered"));

    assertThatThrownBy(() -> gateway.chat(ask("filtered", "hi", 1_000), SUPPORT))
        .isInstanceOf(dev.llmgateway.AllCandidatesFailedException.class);

    UsageRecord record = f.records.last();
    assertThat(record.routing().skipped()).singleElement().satisfies(s -> assertThat(s.reason())
        .startsWith("team budget 'team-monthly' has no room for another attempt at stub/big"));
    assertThat(f.stub.calls("big")).isEmpty();
    assertThat(f.balance(TEAM, SUPPORT).reservedNanos()).isZero();
  }

  @Test
  void aSettleWhoseReplyIsLostIsRetriedAndChargedOnce() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    f.recording.loseSettleReplies.set(1);
    f.stub.onAnyModel().reply("ok", Usage.of(700, 300));

    ChatResponse answer = gateway.chat(ask("smart", "hi", 1_000), SUPPORT);

    assertThat(f.recording.settles).hasSize(2)
        .allSatisfy(s -> assertThat(s.callId()).isEqualTo(answer.callId()));
    assertThat(f.balance(TEAM, SUPPORT).spentNanos()).isEqualTo(16_000_000);
    settledAsRecorded();
  }

  @Test
  void aStoreThatNeverTakesTheSettleIsToldThriceThenTheReservationIsLeftToItsLease() {
    ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger)
        org.slf4j.LoggerFactory.getLogger("dev.llmgateway.core.budget");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    log.addAppender(lines);
    try {
      Gateway gateway = f.gateway(f.budgets(TEAM).build());
      f.recording.settlesFail = true;
      f.stub.onAnyModel().reply("ok", Usage.of(700, 300));

      ChatResponse answer = gateway.chat(ask("smart", "hi", 1_000), SUPPORT);

      assertThat(answer.text()).isEqualTo("ok");
      assertThat(f.recording.settles).hasSize(3);
      assertThat(lines.list).singleElement().satisfies(line -> {
        assertThat(line.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
        assertThat(line.getFormattedMessage()).isEqualTo("call " + answer.callId()
            + ": the budget store failed to settle 16000000 nano-dollars 3 times"
            + " (IllegalStateException); its reservation is left to its lease");
      });
      assertThat(f.balance(TEAM, SUPPORT).reservedNanos()).isPositive();
      f.clock.advance(Duration.ofMinutes(12)); // the 10-minute deadline and the 1-minute margin
      assertThat(f.balance(TEAM, SUPPORT).reservedNanos()).isZero();
    } finally {
      log.detachAppender(lines);
    }
  }

  @Test
  void aLeaseThatEndsFreesWhatADeadProcessHeld() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    Instant now = f.clock.instant();
    BudgetCounter counter = TEAM.counter("acme", "support", now);
    assertThat(f.store.reserve("call-of-a-crashed-process",
        List.of(new BudgetStore.Cap(counter, TEAM.limitNanos())), 10 * DOLLAR,
        now.plus(Duration.ofMinutes(11)), now)).isNull();

    assertThatThrownBy(() -> gateway.chat(critical(ask("smart", "hi", 100)), SUPPORT))
        .isInstanceOf(BudgetExceededException.class).hasMessageContaining("reserved");
    f.clock.advance(Duration.ofMinutes(11));

    assertThat(gateway.chat(critical(ask("smart", "hi", 100)), SUPPORT).text()).isNotEmpty();
    assertThat(f.balance(TEAM, SUPPORT).reservedNanos()).isZero();
  }

  @Test
  void aLeaseEndsAMarginAfterTheCallsDeadlineOrAfterTheMaximumLeaseWithout() {
    Gateway gateway = f.gateway(f.budgets(TEAM).leaseMargin(Duration.ofSeconds(30))
        .maxLease(Duration.ofMinutes(20)).build());
    Instant now = f.clock.instant();

    ChatResponse unary = gateway.chat(BudgetFixture.withOptions(ask("smart", "hi", 100),
        RequestOptions.DEFAULT.withDeadline(Duration.ofSeconds(90))), SUPPORT);
    StreamIterator<ChatEvent> stream = gateway.stream(ask("smart", "hi", 100), SUPPORT)
        .iterator();
    stream.forEachRemaining(e -> { });

    List<RecordingStore.Reserve> reserves = f.recording.reserves;
    assertThat(reserves.get(0).callId()).isEqualTo(unary.callId());
    assertThat(reserves.get(0).leaseUntil())
        .isAfter(now.plusSeconds(30 + 60)).isBeforeOrEqualTo(now.plusSeconds(30 + 90));
    assertThat(reserves.get(1).leaseUntil())
        .as("a stream without a total timeout: its start, the maximum lease, the margin")
        .isEqualTo(now.plus(Duration.ofMinutes(20)).plusSeconds(30));
  }

  @Test
  void aCallAcrossTheEndOfAMonthIsChargedToTheMonthItStartedInAndTheNewMonthStartsAtZero()
      throws Exception {
    Budget team = Budget.perId("team-monthly", Scope.TEAM, "1.00");
    f.clock.advance(Duration.between(f.clock.instant(), Instant.parse("2026-12-31T23:59:30Z")));
    Gateway gateway = f.gateway(f.budgets(team).build());
    f.spend(team, SUPPORT, 900_000_000L); // 90 % of December
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    f.stub.on("big").holdUntil(gate, arrived).reply("late", Usage.of(1_000, 1_000));

    CompletableFuture<ChatResponse> straddling = CompletableFuture.supplyAsync(
        () -> gateway.chat(critical(ask("smart", "hi", 2_000)), SUPPORT));
    assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();
    f.clock.advance(Duration.ofMinutes(1)); // 1 January 2027, 00:00:30
    gate.countDown();
    straddling.get(30, TimeUnit.SECONDS);

    BudgetCounter december = team.counter("acme", "support", Instant.parse("2026-12-31T00:00:00Z"));
    assertThat(f.store.balances(List.of(december), f.clock.instant()).get(0).spentNanos())
        .isEqualTo(900_000_000L + 40_000_000L);
    assertThat(f.balance(team, SUPPORT).spentNanos()).as("January starts at zero").isZero();
    ChatResponse january = gateway.chat(ask("smart", "hi", 100), SUPPORT);
    assertThat(january.routing().downgraded()).as("90 % was December's").isFalse();
    assertThat(f.balance(team, SUPPORT).spentNanos()).isPositive();
  }

  @Test
  void aDeploymentWithoutAPriceIsSkippedAndACallWithOnlySuchIsRefused() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build(), b -> b
        .alias("mixed", Route.fallback("stub/unpriced", "stub/big"))
        .alias("unpriced", Route.to("stub/unpriced")));

    ChatResponse answer = gateway.chat(ask("mixed", "hi", 100), SUPPORT);
    assertThat(answer.deployment()).isEqualTo(Deployment.parse("stub/big"));
    assertThat(answer.routing().skipped()).singleElement().satisfies(s ->
        assertThat(s.reason()).isEqualTo("no price for stub/unpriced: a call under a budget needs"
            + " one (GatewayBuilder.price(...), or Budgets.builder().unknownCost(...))"));

    assertThatThrownBy(() -> gateway.chat(ask("unpriced", "hi", 100), SUPPORT))
        .isInstanceOf(BudgetExceededException.class).hasMessageContaining("no price for");
    assertThat(f.records.last().refusal()).isEqualTo(UsageRecord.Refusal.BUDGET);
    assertThat(f.stub.calls("unpriced")).isEmpty();
  }

  @Test
  void chargeNothingLetsUnpricedCallsThroughUncounted() {
    Gateway gateway = f.gateway(f.budgets(TEAM).unknownCost(UnknownCost.CHARGE_NOTHING).build(),
        b -> b.alias("unpriced", Route.to("stub/unpriced")));

    ChatResponse answer = gateway.chat(ask("unpriced", "hi", 100), SUPPORT);

    assertThat(answer.cost()).isNull();
    assertThat(f.balance(TEAM, SUPPORT).spentNanos()).isZero();
    assertThat(f.balance(TEAM, SUPPORT).reservedNanos()).isZero();
  }

  @Test
  void chargeReservationChargesAnUnknownCostAllItReserved() {
    Gateway gateway = f.gateway(f.budgets(TEAM).unknownCost(UnknownCost.CHARGE_RESERVATION,
        Price.perMillion("100", "100")).build(), b -> b.alias("unpriced",
        Route.to("stub/unpriced")));

    ChatResponse answer = gateway.chat(ask("unpriced", "hi", 100), SUPPORT);

    assertThat(answer.cost()).isNull();
    assertThat(f.balance(TEAM, SUPPORT).spentNanos()).isEqualTo(105 * 100_000L);
    assertThat(f.balance(TEAM, SUPPORT).reservedNanos()).isZero();
  }

  @Test
  void aFailingStoreRefusesTheCallWithoutItsText() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build());
    f.recording.down = true;

    assertThatThrownBy(() -> gateway.chat(ask("smart", "hi", 100), SUPPORT))
        .isInstanceOf(BudgetStoreException.class)
        .hasMessageContaining("the budget store failed to read the call's budgets"
            + " (IllegalStateException)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"))
        .hasNoCause();
    assertThat(f.records.last().refusal()).isEqualTo(UsageRecord.Refusal.BUDGET);
    assertThat(f.stub.calls()).isEmpty();
  }

  @Test
  void embeddingsAreCountedAtTheirInputPrice() {
    Gateway gateway = f.gateway(f.budgets(TEAM).build(),
        b -> b.price("stub/embed", Price.perMillion("2", "0")));

    gateway.embed(EmbeddingRequest.of("stub/embed", "some text to embed"), SUPPORT);

    assertThat(f.records.last().cost()).isPositive();
    settledAsRecorded();
  }
}
