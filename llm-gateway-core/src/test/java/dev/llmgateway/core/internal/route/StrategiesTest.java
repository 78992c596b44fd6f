package dev.llmgateway.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.llmgateway.AllCandidatesFailedException;
import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.CircuitState;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in strategies over real calls: ordered keeps the written order; weighted picks the
 * first candidate by weight (seeded, within 1.5 points over 20,000 calls); cheapest orders by the
 * price table (unpriced last, the builder's prices win); lowest latency measures the unmeasured
 * first and then prefers the faster one, or explores at random; least busy avoids a deployment
 * with a call in flight; healthiest puts an open circuit last. A custom router orders as it
 * likes, under its own name, but cannot name a foreign deployment; and whatever the strategy,
 * the plan still fails over to the next candidate.
 */
@Timeout(30)
class StrategiesTest {
  private static final Deployment A = Deployment.parse("fake/a");
  private static final Deployment B = Deployment.parse("fake/b");
  private static final Deployment C = Deployment.parse("fake/c");

  private final StubProvider fake = new StubProvider("fake");
  private final List<Gateway> gateways = new ArrayList<>();

  @AfterEach
  void close() {
    gateways.forEach(Gateway::close);
    fake.close();
  }

  private Gateway gateway(GatewayBuilder builder) {
    Gateway gateway = builder.build();
    gateways.add(gateway);
    return gateway;
  }

  private Gateway gateway(Route route) {
    return gateway(Gateway.builder().retry(RetryPolicy.none()).provider(fake).alias("auto", route));
  }

  private static ChatResponse chat(Gateway gateway) {
    return gateway.chat(ChatRequest.of("auto", "Hi"));
  }

  private void replyWithModelName() {
    fake.replyToAll(ChatRequest::model);
  }

  @Test
  void orderedKeepsTheWrittenOrder() {
    replyWithModelName();
    Gateway gateway = gateway(Route.fallback("fake/c", "fake/a", "fake/b"));

    ChatResponse answer = chat(gateway);

    assertThat(answer.routing().plan()).containsExactly(C, A, B);
    assertThat(answer.routing().path()).containsExactly("alias auto", "strategy ordered");
    assertThat(answer.deployment()).isEqualTo(C);
  }

  @Test
  void weightedPicksTheFirstCandidateByWeightOverTwentyThousandCalls() {
    replyWithModelName();
    Gateway gateway = gateway(Gateway.builder().retry(RetryPolicy.none())
            .provider(fake).random(new Random(16))
        .alias("two", Route.weighted("fake/a", 70, "fake/b", 30))
        .alias("three", Route.weighted("fake/a", 50, "fake/b", 30, "fake/c", 20)));

    Map<String, Integer> two = firstChoices(gateway, "two", 20_000);
    Map<String, Integer> three = firstChoices(gateway, "three", 20_000);

    assertThat(two.get("a") / 200.0).isCloseTo(70.0, within(1.5));
    assertThat(two.get("b") / 200.0).isCloseTo(30.0, within(1.5));
    assertThat(three.get("a") / 200.0).isCloseTo(50.0, within(1.5));
    assertThat(three.get("b") / 200.0).isCloseTo(30.0, within(1.5));
    assertThat(three.get("c") / 200.0).isCloseTo(20.0, within(1.5));
  }

  private static Map<String, Integer> firstChoices(Gateway gateway, String alias, int calls) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      ChatResponse answer = gateway.chat(ChatRequest.of(alias, "Hi"));
      counts.merge(answer.text(), 1, Integer::sum);
      assertThat(answer.routing().plan().get(0).model()).isEqualTo(answer.text());
    }
    return counts;
  }

  @Test
  void weightedKeepsTheOthersAsFallbacksInWrittenOrderAndNeverPicksAZeroWeight() {
    replyWithModelName();
    Gateway gateway = gateway(Gateway.builder().retry(RetryPolicy.none())
            .provider(fake).random(new Random(7))
        .alias("auto", Route.weighted("fake/a", 0, "fake/b", 1, "fake/c", 1)));

    List<List<Deployment>> plans = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      plans.add(chat(gateway).routing().plan());
    }

    assertThat(plans).allSatisfy(plan -> assertThat(plan).isIn(List.of(B, A, C), List.of(C, A, B)))
        .contains(List.of(B, A, C), List.of(C, A, B));
    assertThat(chat(gateway).routing().path()).containsExactly("alias auto",
        "strategy weighted [0, 1, 1]");
  }

  @Test
  void cheapestOrdersByThePriceTableWithUnpricedCandidatesLast() {
    StubProvider openai = new StubProvider("openai");
    StubProvider anthropic = new StubProvider("anthropic");
    openai.replyToAll(ChatRequest::model);
    anthropic.replyToAll(ChatRequest::model);
    replyWithModelName();
    // bundled prices per million in/out: gpt-4.1-nano $0.10/$0.40, gpt-4.1 $2/$8,
    // claude-sonnet-4-5 $3/$15; fake/house has none
    Route route = Route.cheapest("fake/house", "anthropic/claude-sonnet-4-5", "openai/gpt-4.1",
        "openai/gpt-4.1-nano");
    GatewayBuilder builder = Gateway.builder().retry(RetryPolicy.none())
            .provider(openai).provider(anthropic)
        .provider(fake).alias("auto", route);
    try {
      Gateway bundled = gateway(builder);
      Gateway custom = gateway(builder.price("fake/house", Price.perMillion("0.01", "0.01")));

      ChatResponse byTable = chat(bundled);
      ChatResponse byOwnPrice = chat(custom);

      assertThat(byTable.routing().plan()).extracting(Deployment::toString).containsExactly(
          "openai/gpt-4.1-nano", "openai/gpt-4.1", "anthropic/claude-sonnet-4-5", "fake/house");
      assertThat(byTable.text()).isEqualTo("gpt-4.1-nano");
      assertThat(byTable.routing().path()).containsExactly("alias auto", "strategy cheapest");
      assertThat(byOwnPrice.routing().plan()).extracting(Deployment::toString).containsExactly(
          "fake/house", "openai/gpt-4.1-nano", "openai/gpt-4.1", "anthropic/claude-sonnet-4-5");
      assertThat(byOwnPrice.text()).isEqualTo("house");
    } finally {
      openai.close();
      anthropic.close();
    }
  }

  @Test
  void cheapestWeighsTheRequestsOwnOutputCap() {
    replyWithModelName();
    // a: cheap input, dear output; b: the opposite
    Gateway gateway = gateway(Gateway.builder().retry(RetryPolicy.none()).provider(fake)
        .price("fake/a", Price.perMillion("1.00", "100.00"))
        .price("fake/b", Price.perMillion("100.00", "1.00"))
        .alias("auto", Route.cheapest("fake/a", "fake/b")));

    // 4 + 1 input tokens, 10 output: a costs 5 + 1000, b 500 + 10 (in millionths of a dollar)
    ChatResponse shortAnswer = gateway.chat(ChatRequest.builder("auto").user("Hi")
        .maxOutputTokens(10).build());
    // 4 + 1000 input tokens, 10 output: a costs 1004 + 1000, b 100400 + 10
    ChatResponse longPrompt = gateway.chat(ChatRequest.builder("auto").user("x".repeat(4000))
        .maxOutputTokens(10).build());

    assertThat(shortAnswer.routing().plan()).containsExactly(B, A);
    assertThat(longPrompt.routing().plan()).containsExactly(A, B);
  }

  @Test
  void lowestLatencyMeasuresTheUnmeasuredFirstThenPrefersTheFasterOne() {
    fake.on("slow").delay(Duration.ofMillis(150)).reply("slow");
    replyWithModelName();
    Gateway gateway = gateway(Gateway.builder().retry(RetryPolicy.none()).provider(fake)
        .alias("auto", Route.of(Router.lowestLatency(0), "fake/slow", "fake/fast")));
    gateway.chat(ChatRequest.of("fake/warmup", "Hi"));

    List<String> served = new ArrayList<>();
    List<RoutingDecision> decisions = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ChatResponse answer = chat(gateway);
      served.add(answer.text());
      decisions.add(answer.routing());
    }

    assertThat(served).containsExactly("slow", "fast", "fast", "fast", "fast", "fast");
    assertThat(decisions.get(5).plan()).extracting(Deployment::model)
        .containsExactly("fast", "slow");
    assertThat(decisions.get(0).path()).containsExactly("alias auto",
        "strategy lowest latency (exploring 0.0)");
    assertThat(gateway.health().get(Deployment.parse("fake/slow")).latencyP50())
        .isGreaterThanOrEqualTo(Duration.ofMillis(150));
  }

  @Test
  void lowestLatencyWithFullExplorationPutsARandomCandidateFirst() {
    replyWithModelName();
    Gateway gateway = gateway(Gateway.builder().retry(RetryPolicy.none())
            .provider(fake).random(new Random(3))
        .alias("auto", Route.of(Router.lowestLatency(1.0), "fake/a", "fake/b", "fake/c")));

    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      first.merge(chat(gateway).text(), 1, Integer::sum);
    }

    // without exploration, a (measured first) and then the fastest would take nearly every call
    assertThat(first).containsOnlyKeys("a", "b", "c");
    assertThat(first.values()).allSatisfy(n -> assertThat(n).isBetween(70, 130));
  }

  @Test
  void leastBusyAvoidsADeploymentWithACallInFlight() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    fake.on("a").holdUntil(gate, arrived).reply("held");
    replyWithModelName();
    Gateway gateway = gateway(Route.leastBusy("fake/a", "fake/b"));
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<ChatResponse> held = caller.submit(() -> chat(gateway));
      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

      ChatResponse meanwhile = chat(gateway);
      gate.countDown();
      ChatResponse first = held.get(10, TimeUnit.SECONDS);
      ChatResponse after = chat(gateway);

      assertThat(first.text()).isEqualTo("held");
      assertThat(first.routing().plan()).containsExactly(A, B);
      assertThat(meanwhile.routing().plan()).containsExactly(B, A);
      assertThat(meanwhile.deployment()).isEqualTo(B);
      assertThat(meanwhile.routing().path()).containsExactly("alias auto",
          "strategy least busy");
      assertThat(after.routing().plan()).as("nothing in flight: ties in written order")
          .containsExactly(A, B);
    } finally {
      gate.countDown();
      caller.shutdownNow();
    }
  }

  @Test
  void healthiestPutsADeploymentWithAnOpenCircuitLast() {
    fake.on("a").fail(new ProviderUnavailableException("a is down"));
    replyWithModelName();
    Gateway gateway = gateway(Gateway.builder().retry(RetryPolicy.none()).provider(fake)
        .circuitBreaker(CircuitBreakerPolicy.builder().consecutiveFailures(1).build())
        .alias("auto", Route.healthiest("fake/a", "fake/b"))
        .alias("ordered", Route.fallback("fake/a", "fake/b")));

    ChatResponse opening = chat(gateway);
    ChatResponse healthy = chat(gateway);
    ChatResponse ordered = gateway.chat(ChatRequest.of("ordered", "Hi"));

    assertThat(opening.routing().plan()).containsExactly(A, B);
    assertThat(opening.attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
    assertThat(gateway.health().get(A).state()).isEqualTo(CircuitState.OPEN);
    assertThat(healthy.routing().plan()).containsExactly(B, A);
    assertThat(healthy.routing().path()).containsExactly("alias auto", "strategy healthiest");
    assertThat(healthy.attempts()).extracting(Attempt::deployment).containsExactly(B);
    assertThat(ordered.attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.SKIPPED, Attempt.Outcome.SUCCEEDED);
    assertThat(ordered.routing().skipped()).singleElement().satisfies(skip -> {
      assertThat(skip.deployment()).isEqualTo(A);
      assertThat(skip.reason()).startsWith("circuit open until ")
          .endsWith(" after a failure (last: ProviderUnavailableException)");
    });
    assertThat(fake.calls("a")).hasSize(1);
  }

  @Test
  void healthiestStillListsTheOpenCircuitAsALastResortThatTheBreakerRefuses() {
    fake.on("a").fail(new ProviderUnavailableException("a is down"));
    fake.on("b").reply("b").fail(new ProviderUnavailableException("b is down too"));
    Gateway gateway = gateway(Gateway.builder().retry(RetryPolicy.none()).provider(fake)
        .circuitBreaker(CircuitBreakerPolicy.builder().consecutiveFailures(1).build())
        .alias("auto", Route.healthiest("fake/a", "fake/b")));
    chat(gateway);

    AllCandidatesFailedException e = catchThrowableOfType(
        AllCandidatesFailedException.class, () -> chat(gateway));

    assertThat(e).isNotNull();
    assertThat(e.attempts()).extracting(Attempt::deployment, Attempt::outcome).containsExactly(
        tuple(B, Attempt.Outcome.FAILED), tuple(A, Attempt.Outcome.SKIPPED));
    assertThat(fake.calls("a")).hasSize(1);
  }

  @Test
  void aCustomRouterOrdersAsItLikesUnderItsOwnName() {
    replyWithModelName();
    Gateway gateway = gateway(Gateway.builder().retry(RetryPolicy.none()).provider(fake)
        .alias("reversed", Route.of(ctx -> reversed(ctx.candidates()), "fake/a", "fake/b",
            "fake/c"))
        .alias("named", Route.of(Router.named("only the last two",
            ctx -> ctx.candidates().subList(1, 3)), "fake/a", "fake/b", "fake/c")));

    ChatResponse reversed = gateway.chat(ChatRequest.of("reversed", "Hi"));
    ChatResponse named = gateway.chat(ChatRequest.of("named", "Hi"));

    assertThat(reversed.routing().plan()).containsExactly(C, B, A);
    assertThat(reversed.routing().path()).containsExactly("alias reversed",
        "strategy custom router");
    assertThat(reversed.text()).isEqualTo("c");
    assertThat(named.routing().plan()).containsExactly(B, C);
    assertThat(named.routing().path()).containsExactly("alias named",
        "strategy only the last two");
  }

  @Test
  void aCustomRouterSeesWhatTheGatewayKnowsOfEachCandidate() {
    replyWithModelName();
    List<String> seen = new ArrayList<>();
    Gateway gateway = gateway(Gateway.builder().retry(RetryPolicy.none()).provider(fake)
        .price("fake/b", Price.perMillion("1.00", "2.00"))
        .alias("auto", Route.of(ctx -> {
          for (Deployment d : ctx.candidates()) {
            seen.add(d.model() + " price=" + (ctx.price(d) == null ? "none" : ctx.price(d)
                .input().toPlainString()) + " inFlight=" + ctx.inFlight(d) + " circuit="
                + ctx.circuit(d) + " available=" + ctx.available(d) + " measured="
                + (ctx.latencyNanos(d) >= 0));
          }
          return ctx.candidates();
        }, "fake/a", "fake/b")));

    chat(gateway);
    chat(gateway);

    assertThat(seen).containsExactly(
        "a price=none inFlight=0 circuit=CLOSED available=true measured=false",
        "b price=1.00 inFlight=0 circuit=CLOSED available=true measured=false",
        "a price=none inFlight=0 circuit=CLOSED available=true measured=true",
        "b price=1.00 inFlight=0 circuit=CLOSED available=true measured=false");
  }

  @Test
  void aRouterReturningAForeignDeploymentFailsClearly() {
    replyWithModelName();
    Gateway gateway = gateway(Gateway.builder().retry(RetryPolicy.none()).provider(fake)
        .alias("foreign", Route.of(Router.named("sneaky",
            ctx -> List.of(Deployment.parse("fake/zzz"))), "fake/a", "fake/b"))
        .alias("empty", Route.of(ctx -> List.of(), "fake/a")));

    GatewayException foreign = catchThrowableOfType(
        GatewayException.class, () -> gateway.chat(ChatRequest.of("foreign", "Hi")));
    GatewayException empty = catchThrowableOfType(
        GatewayException.class, () -> gateway.chat(ChatRequest.of("empty", "Hi")));

    assertThat(messages(foreign)).contains(
        "router 'sneaky' returned fake/zzz, which is not one of its candidates [fake/a, fake/b]");
    assertThat(messages(empty)).contains("router 'custom router' returned no candidate");
    assertThat(fake.calls()).isEmpty();
  }

  private static List<Deployment> reversed(List<Deployment> candidates) {
    List<Deployment> copy = new ArrayList<>(candidates);
    Collections.reverse(copy);
    return copy;
  }

  private static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable e = t; e != null; e = e.getCause()) {
      all.append(e.getMessage()).append('\n');
    }
    return all.toString();
  }

  static Stream<Arguments> everyStrategy() {
    return Stream.of(
        Arguments.of("ordered", Route.fallback("fake/a", "fake/b", "fake/c")),
        Arguments.of("weighted", Route.weighted("fake/a", 1, "fake/b", 1, "fake/c", 1)),
        Arguments.of("cheapest", Route.cheapest("fake/a", "fake/b", "fake/c")),
        Arguments.of("lowest latency", Route.of(Router.lowestLatency(0.5), "fake/a", "fake/b",
            "fake/c")),
        Arguments.of("least busy", Route.leastBusy("fake/a", "fake/b", "fake/c")),
        Arguments.of("healthiest", Route.healthiest("fake/a", "fake/b", "fake/c")),
        Arguments.of("custom", Route.of(ctx -> reversed(ctx.candidates()), "fake/a", "fake/b",
            "fake/c")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void everyStrategysPlanFailsOverToTheNextCandidate(String name, Route route) {
    // whichever candidate is tried first takes the one scripted failure
    fake.onAnyModel().fail(new ProviderUnavailableException("first one down"));
    replyWithModelName();
    Gateway gateway = gateway(Gateway.builder().retry(RetryPolicy.none())
            .provider(fake).random(new Random(11))
        .price("fake/a", Price.perMillion("3", "3")).price("fake/b", Price.perMillion("1", "1"))
        .price("fake/c", Price.perMillion("2", "2")).alias("auto", route));

    ChatResponse answer = chat(gateway);

    List<Deployment> plan = answer.routing().plan();
    assertThat(plan).hasSize(3);
    assertThat(answer.attempts()).extracting(Attempt::deployment)
        .containsExactly(plan.get(0), plan.get(1));
    assertThat(answer.attempts()).extracting(Attempt::kind)
        .containsExactly(Attempt.Kind.FIRST, Attempt.Kind.FAILOVER);
    assertThat(answer.deployment()).isEqualTo(plan.get(1));
    if (name.equals("cheapest")) {
      assertThat(plan).containsExactly(B, C, A);
    }
  }
}
