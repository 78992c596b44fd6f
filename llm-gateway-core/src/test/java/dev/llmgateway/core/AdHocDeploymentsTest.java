package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.cost.PriceTable;
import dev.llmgateway.core.resilience.DeploymentHealth;
import dev.llmgateway.core.route.Route;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a gateway keeps for model names callers make up: a bounded, idle-evicted set of deployment
 * states, counted in {@code health()}, and nothing at all for names past the stated limits.
 */
@Timeout(120)
class AdHocDeploymentsTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Deployment CONFIGURED = Deployment.parse("stub/configured");

  private final MutableClock clock = new MutableClock(START);
  private final StubProvider stub = new StubProvider("stub");

  private GatewayBuilder builder() {
    return Gateway.builder().provider(stub).clock(clock)
        .alias("known", Route.to(CONFIGURED.toString()));
  }

  private static Deployment adHoc(String model) {
    return new Deployment("stub", model);
  }

  @Test
  void healthListsTheConfiguredDeploymentsAndTheAdHocOnesStillHeld() {
    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (Gateway gateway = builder().maxAdHocDeployments(5).usageSink(usage).build()) {
      assertThat(gateway.health()).containsOnlyKeys(CONFIGURED);

      for (int i = 0; i < 50; i++) {
        gateway.chat(ChatRequest.of("stub/m" + i, "hi"));
        gateway.chat(ChatRequest.of("bare" + i, "hi")); // the default provider's
      }

      Map<Deployment, DeploymentHealth> health = gateway.health();
      assertThat(health).hasSize(1 + 5).containsKey(CONFIGURED);
      assertThat(usage.records()).hasSize(100)
          .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(UsageRecord.Outcome.SUCCEEDED));
    }
  }

  @Test
  void anAdHocStateIsDroppedAfterItsIdleExpiryOnTheGatewayClock() {
    try (Gateway gateway = builder().adHocDeploymentExpiry(Duration.ofMinutes(30)).build()) {
      gateway.chat(ChatRequest.of("stub/once", "hi"));
      gateway.chat(ChatRequest.of("stub/often", "hi"));
      assertThat(gateway.health()).containsOnlyKeys(CONFIGURED, adHoc("once"), adHoc("often"));

      clock.advance(Duration.ofMinutes(20));
      gateway.chat(ChatRequest.of("stub/often", "hi"));
      clock.advance(Duration.ofMinutes(10));

      assertThat(gateway.health()).containsOnlyKeys(CONFIGURED, adHoc("often"));
      assertThat(gateway.health().get(adHoc("often")).latencySamples()).as("one state, both calls")
          .isEqualTo(2);
      clock.advance(Duration.ofDays(2));
      assertThat(gateway.health()).containsOnlyKeys(CONFIGURED);
    }
  }

  @Test
  void aCallInFlightWhenItsStateIsDroppedEndsOnItAndTheNextCallGetsANewOne() throws Exception {
    try (Gateway gateway = builder().maxAdHocDeployments(1).build()) {
      Deployment held = adHoc("held");
      CountDownLatch gate = new CountDownLatch(1);
      CountDownLatch arrived = new CountDownLatch(1);
      stub.on("held").holdUntil(gate, arrived).reply("late answer");
      CompletableFuture<ChatResponse> inFlight =
          gateway.chatAsync(ChatRequest.of("stub/held", "hi"));
      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(gateway.health().get(held).inFlight()).isEqualTo(1);

      clock.advance(Duration.ofHours(2)); // past its expiry,
      gateway.chat(ChatRequest.of("stub/other", "hi")); // and displaced by another
      assertThat(gateway.health()).doesNotContainKey(held);
      gate.countDown();

      ChatResponse late = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(late.text()).isEqualTo("late answer");
      assertThat(late.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.SUCCEEDED);
      assertThat(gateway.health()).as("ending on the dropped state brings it back nowhere")
          .doesNotContainKey(held);

      gateway.chat(ChatRequest.of("stub/held", "hi"));
      DeploymentHealth fresh = gateway.health().get(held);
      assertThat(fresh.inFlight()).isZero();
      assertThat(fresh.latencySamples()).as("the new state counts only its own call")
          .isEqualTo(1);
    }
  }

  @Test
  void aModelNameOverTheLengthLimitIsRefusedBeforeAnyStateIsKept() {
    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (Gateway gateway = builder().usageSink(usage).build()) {
      String longest = "stub/" + "m".repeat(256 - 5);
      gateway.chat(ChatRequest.of(longest, "hi"));
      assertThat(gateway.health()).containsKey(Deployment.parse(longest));

      assertThatThrownBy(() -> gateway.chat(ChatRequest.of(longest + "m", "hi")))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("the model name has 257 characters; the limit is 256");
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("x".repeat(1_000_000), "hi")))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("the model name has 1000000 characters; the limit is 256");
      assertThatThrownBy(() -> gateway.embed(EmbeddingRequest.of("e".repeat(300), "a")))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("the limit is 256");
      assertThatThrownBy(() -> gateway.stream(ChatRequest.of("s".repeat(300), "hi")).collect())
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("the limit is 256");

      assertThat(gateway.health()).containsOnlyKeys(CONFIGURED, Deployment.parse(longest));
      assertThat(stub.calls()).hasSize(1);
      assertThat(usage.records()).extracting(UsageRecord::outcome).containsExactly(
          UsageRecord.Outcome.SUCCEEDED, UsageRecord.Outcome.FAILED, UsageRecord.Outcome.FAILED,
          UsageRecord.Outcome.FAILED, UsageRecord.Outcome.FAILED);
    }
  }

  @Test
  void aModelNameWithAControlCharacterIsRefusedBeforeAnyStateIsKept() {
    try (Gateway gateway = builder().build()) {
      for (String model : List.of("stub/gpt\n-4o", "gpt-4o\r", "stub/\u0000", "\u007fgpt",
          "stub/gpt\u0085")) {
        assertThatThrownBy(() -> gateway.chat(ChatRequest.of(model, "hi")))
            .as("%s", model.chars().mapToObj(Integer::toHexString).toList())
            .isInstanceOf(InvalidRequestException.class)
            .hasMessageStartingWith("the model name holds a control character (U+")
            .hasMessageEndingWith("model names have at most 256 characters, none of them a"
                + " control character");
      }
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("stub/a\tb", "hi")))
          .hasMessageStartingWith("the model name holds a control character (U+0009 at index 6)");

      assertThat(gateway.health()).containsOnlyKeys(CONFIGURED);
      assertThat(stub.calls()).isEmpty();
    }
  }

  /**
   * The probe that found the leak, as a test: 100,000 distinct model names keep the gateway's
   * retained heap within the bound that its 1,000 ad-hoc states and the price table's memo of
   * 4,096 lookups allow. Before the bound the same run retained about 286 MB.
   */
  @Test
  void aHundredThousandDistinctModelNamesKeepRetainedMemoryUnderTheBound() {
    // dated snapshot names, which the table prices at their undated model's price (no warnings)
    PriceTable prices = PriceTable.builder()
        .put("stub/snapshot", Price.perMillion("1", "10")).build();
    stub.recordCalls(false);
    try (Gateway warmUp = builder().prices(prices).build()) {
      for (int i = 0; i < 5_000; i++) {
        warmUp.chat(ChatRequest.of("stub/snapshot-" + (20_000_000 + i), "hi"));
      }
    }
    PriceTable fresh = PriceTable.builder()
        .put("stub/snapshot", Price.perMillion("1", "10")).build();
    Gateway gateway = builder().prices(fresh).build();
    long before = retainedHeap();
    for (int i = 0; i < 100_000; i++) {
      ChatResponse r = gateway.chat(ChatRequest.of("stub/snapshot-" + (10_000_000 + i), "hi"));
      assertThat(r.cost()).isNotNull();
    }
    long after = retainedHeap();
    Map<Deployment, DeploymentHealth> health = gateway.health();
    Reference.reachabilityFence(gateway);
    gateway.close();

    long retained = after - before;
    System.out.printf("retained after 100,000 distinct models: %,d B (%,d B per held state)%n",
        retained, retained / (health.size() - 1));
    assertThat(health).hasSize(1 + 1_000);
    assertThat(retained).isLessThan(RETAINED_BOUND_BYTES);
  }

  /**
   * The bound of the 100,000-model test: 1,000 ad-hoc states at 4 KB (a breaker with its ring of
   * 256 latency samples measures about 2.9 KB, Caffeine's node and sketch share included), the
   * price table's memo of 4,096 deployments at 300 B, and 4 MB for what a full GC leaves behind
   * by chance.
   */
  static final long RETAINED_BOUND_BYTES = 1_000 * 4_096L + 4_096 * 300L + 4L * 1024 * 1024;

  /** Used heap after full collections, once it stops shrinking. */
  private static long retainedHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used) {
        return used;
      }
      used = now;
    }
    return used;
  }
}
