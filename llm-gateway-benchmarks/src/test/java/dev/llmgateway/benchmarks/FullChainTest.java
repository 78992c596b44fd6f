package dev.llmgateway.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.testing.FakeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link FullChain} promises the benchmarks: its calls walk the rules to the sticky A/B
 * split, pass the access check (which is on: it refuses what the arm's caller may not do), are
 * priced, and — cycling through {@link FullChain#requests} — never hit the response
 * cache, while a repeated request does.
 */
class FullChainTest {
  private final FakeProvider fake =
      FakeProvider.builder().name("fake").recordCalls(false).build();
  private final FullChain.Tally tally = new FullChain.Tally();
  private final Caller caller = FullChain.caller();
  private Gateway gateway;

  @BeforeEach
  void setUp() {
    fake.onAnyModel().alwaysReply(r -> "Hello! How can I help you today?");
    gateway = FullChain.configure(Gateway.builder().provider(fake), "fake/gpt-4.1-mini",
        "fake/gpt-4.1", tally).build();
  }

  @AfterEach
  void tearDown() {
    gateway.close();
    fake.close();
  }

  @Test
  void callsPassEveryRuleToTheCheapestVariantAndArePriced() {
    ChatResponse answer = gateway.chat(FullChain.requests(FullChain.ALIAS)[0], caller);

    assertThat(answer.cacheHit()).isFalse();
    assertThat(answer.variant()).isEqualTo(FullChain.CHEAPEST);
    assertThat(answer.routing().path()).contains("otherwise (no rule matched)");
    assertThat(answer.deployment()).hasToString("fake/gpt-4.1-mini");
    assertThat(answer.cost()).isPositive();
    assertThat(answer.routing().skipped()).as("the access filter denies no candidate").isEmpty();
  }

  @Test
  void theAccessCheckRunsAndRefusesWhatTheArmsCallerMayNotDo() {
    assertThatThrownBy(() -> gateway.chat(ChatRequest.builder(FullChain.ALIAS).user("hi")
        .maxOutputTokens(4_096).build(), caller))
        .isInstanceOfSatisfying(AccessDeniedException.class,
            e -> assertThat(e.rule()).isEqualTo("arm-key"));
    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("fake/o1-pro", "hi"), caller))
        .isInstanceOfSatisfying(AccessDeniedException.class,
            e -> assertThat(e.rule()).isEqualTo("gateway-deny"));
  }

  @Test
  void threeCyclesOfUnaryCallsAllMissTheCache() {
    ChatRequest[] requests = FullChain.requests(FullChain.ALIAS);
    int calls = 3 * FullChain.REQUESTS;
    for (int i = 0; i < calls; i++) {
      gateway.chat(FullChain.next(requests, i), caller);
    }

    assertThat(tally.records()).isEqualTo(calls);
    assertThat(tally.cacheHits()).isZero();
    assertThat(tally.priced()).isEqualTo(calls);
    tally.checkEveryCallMissedAndWasPriced("chat");
  }

  @Test
  void twoCyclesOfStreamedCallsAllMissTheCache() {
    ChatRequest[] requests = FullChain.requests(FullChain.ALIAS);
    int calls = 2 * FullChain.REQUESTS;
    for (int i = 0; i < calls; i++) {
      gateway.stream(FullChain.next(requests, i), caller).collect();
    }

    assertThat(tally.records()).isEqualTo(calls);
    assertThat(tally.cacheHits()).isZero();
    tally.checkEveryCallMissedAndWasPriced("streamCollect");
  }

  @Test
  void aRepeatedRequestHitsTheCacheAndTheCheckSaysSo() {
    ChatRequest request = FullChain.requests(FullChain.ALIAS)[0];
    gateway.chat(request, caller);
    ChatResponse again = gateway.chat(request, caller);

    assertThat(again.cacheHit()).isTrue();
    assertThat(tally.cacheHits()).isEqualTo(1);
    assertThatIllegalStateException()
        .isThrownBy(() -> tally.checkEveryCallMissedAndWasPriced("repeat"))
        .withMessageContaining("1 hit the cache");
  }
}
