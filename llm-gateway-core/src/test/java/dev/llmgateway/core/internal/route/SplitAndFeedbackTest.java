package dev.llmgateway.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.Principal;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RequestOptions;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import dev.llmgateway.core.route.VariantStats;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A/B splits end to end: every response and usage record names its variant; a user stays in
 * the same variant, callers without a key are placed at random by weight, and changing one
 * weight moves users only to or from that variant; feedback attaches a score to a split call
 * only; {@code variants(alias)} adds up calls, errors, latency, tokens, cost and the mean score
 * per variant, under the alias that defines the split even when it is reached through rules.
 */
@Timeout(30)
class SplitAndFeedbackTest {
  private static final Map<String, String> MODEL_OF_VARIANT = Map.of("a", "m1", "b", "m2");

  private final StubProvider fake = new StubProvider("fake");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final List<Gateway> gateways = new ArrayList<>();

  SplitAndFeedbackTest() {
    fake.replyToAll(r -> "answer from " + r.model() + " to " + r.lastUserText());
  }

  @AfterEach
  void close() {
    gateways.forEach(Gateway::close);
    fake.close();
  }

  private static Route abSplit(StickyKey key, int weightA, int weightB) {
    return Route.split(key, Variant.of("a", weightA, "fake/m1"),
        Variant.of("b", weightB, "fake/m2"));
  }

  private GatewayBuilder base() {
    return Gateway.builder().retry(RetryPolicy.none())
            .provider(fake).usageSink(usage).random(new Random(5));
  }

  private GatewayBuilder builder() {
    return base().alias("ab", abSplit(StickyKey.user(), 50, 50));
  }

  private Gateway gateway(GatewayBuilder builder) {
    Gateway gateway = builder.build();
    gateways.add(gateway);
    return gateway;
  }

  private UsageRecord recordOf(String callId) {
    return usage.records().stream().filter(r -> r.callId().equals(callId)).findFirst()
        .orElseThrow();
  }

  @Test
  void eachResponseAndRecordNamesItsVariantAndAUserKeepsTheirs() {
    Gateway gateway = gateway(builder());
    Map<String, String> variantOfUser = new HashMap<>();

    for (int round = 0; round < 4; round++) {
      for (int u = 0; u < 30; u++) {
        String user = "user-" + u;
        ChatResponse answer = gateway.chat(ChatRequest.of("ab", "round " + round),
            Principal.of("team", user));

        String variant = answer.variant();
        assertThat(variant).isIn("a", "b");
        assertThat(answer.routing().variant()).isEqualTo(variant);
        assertThat(answer.deployment().model()).isEqualTo(MODEL_OF_VARIANT.get(variant));
        assertThat(answer.routing().path())
            .containsExactly("alias ab", "variant " + variant, "strategy ordered");
        assertThat(recordOf(answer.callId()).variant()).isEqualTo(variant);
        assertThat(variantOfUser.computeIfAbsent(user, k -> variant)).as(user)
            .isEqualTo(variant);
      }
    }

    assertThat(variantOfUser.values()).contains("a", "b");
  }

  @Test
  void callsWithoutAStickyKeyArePlacedAtRandomByWeight() {
    Gateway gateway = gateway(builder().alias("skewed", abSplit(StickyKey.user(), 75, 25)));

    int a = 0;
    for (int i = 0; i < 4_000; i++) {
      if ("a".equals(gateway.chat(ChatRequest.of("skewed", "hi")).variant())) {
        a++;
      }
    }

    assertThat(a / 40.0).as("percent in a").isCloseTo(75.0, within(3.0));
  }

  @Test
  void changingOneWeightMovesUsersOnlyToOrFromThatVariant() {
    Gateway even = gateway(builder());
    Gateway moreB = gateway(base().alias("ab", abSplit(StickyKey.user(), 50, 150))
        .alias("c-off", Route.split(StickyKey.user(), Variant.of("a", 50, "fake/m1"),
            Variant.of("b", 50, "fake/m2"), Variant.of("c", 0, "fake/m3"))));

    int moved = 0;
    for (int u = 0; u < 200; u++) {
      Principal user = Principal.of("team", "user-" + u);
      String before = even.chat(ChatRequest.of("ab", "hi"), user).variant();
      String after = moreB.chat(ChatRequest.of("ab", "hi"), user).variant();
      String withZero = moreB.chat(ChatRequest.of("c-off", "hi"), user).variant();
      if (before.equals("b")) {
        assertThat(after).as("user-" + u + " stays in the variant that grew").isEqualTo("b");
      } else if (after.equals("b")) {
        moved++;
      }
      assertThat(withZero).as("a variant of weight zero changes nothing").isEqualTo(before);
    }

    // a's share falls from 1/2 to 1/4: about half of a's users move to b
    assertThat(moved).isBetween(25, 75);
  }

  @Test
  void feedbackAttachesToSplitCallsOnly() {
    Gateway gateway = gateway(builder().alias("plain", Route.to("fake/m1")));
    ChatResponse split = gateway.chat(ChatRequest.of("ab", "hi"), Principal.of("t", "u"));
    ChatResponse plain = gateway.chat(ChatRequest.of("plain", "hi"));
    ChatResponse direct = gateway.chat(ChatRequest.of("fake/m2", "hi"));

    assertThat(gateway.feedback(split.callId(), 1.0)).isTrue();
    assertThat(gateway.feedback(split.callId(), 0.0)).as("a second score replaces").isTrue();
    assertThat(gateway.feedback("no-such-call", 1.0)).isFalse();
    assertThat(gateway.feedback(plain.callId(), 1.0)).isFalse();
    assertThat(gateway.feedback(direct.callId(), 1.0)).isFalse();
    assertThatThrownBy(() -> gateway.feedback(split.callId(), Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    VariantStats stats = gateway.variants("ab").get(0);
    assertThat(stats.scores()).isEqualTo(1);
    assertThat(stats.meanScore()).isEqualTo(0.0);
  }

  @Test
  void variantsAddUpCallsErrorsLatencyTokensCostAndScoresPerVariant() {
    fake.on("m2").fail(new ProviderUnavailableException("m2 is down"));
    Gateway gateway = gateway(base()
        .price("fake/m1", Price.perMillion("1.00", "2.00"))
        .price("fake/m2", Price.perMillion("3.00", "4.00"))
        .alias("ab", abSplit(StickyKey.metadata("session"), 50, 50)));
    List<String> answeredByA = new ArrayList<>();
    List<String> answeredByB = new ArrayList<>();
    int failures = 0;
    for (int s = 0; s < 40; s++) {
      ChatRequest request = ChatRequest.builder("ab").user("question number " + s)
          .metadata("session", "s" + s).build();
      try {
        ChatResponse answer = gateway.chat(request);
        (answer.variant().equals("a") ? answeredByA : answeredByB).add(answer.callId());
      } catch (GatewayException e) {
        failures++;
      }
    }
    assertThat(failures).isEqualTo(1);
    assertThat(answeredByA).hasSizeGreaterThanOrEqualTo(3);
    assertThat(answeredByB).hasSizeGreaterThanOrEqualTo(1);
    gateway.feedback(answeredByA.get(0), 1.0);
    gateway.feedback(answeredByA.get(1), 1.0);
    gateway.feedback(answeredByA.get(2), 0.0);
    gateway.feedback(answeredByA.get(1), 0.0);
    gateway.feedback(answeredByB.get(0), 0.5);

    List<VariantStats> stats = gateway.variants("ab");

    assertThat(stats).extracting(VariantStats::variant).containsExactlyInAnyOrder("a", "b");
    for (VariantStats v : stats) {
      List<UsageRecord> records = usage.records().stream()
          .filter(r -> v.variant().equals(r.variant())).toList();
      BigDecimal inRate = new BigDecimal(v.variant().equals("a") ? "1.00" : "3.00");
      BigDecimal outRate = new BigDecimal(v.variant().equals("a") ? "2.00" : "4.00");
      BigDecimal cost = BigDecimal.ZERO;
      long in = 0;
      long out = 0;
      for (UsageRecord r : records) {
        in += r.usage().inputTokens();
        out += r.usage().outputTokens();
        cost = cost.add(inRate.multiply(BigDecimal.valueOf(r.usage().inputTokens()))
            .add(outRate.multiply(BigDecimal.valueOf(r.usage().outputTokens())))
            .movePointLeft(6));
      }
      assertThat(v.alias()).isEqualTo("ab");
      assertThat(v.calls()).isEqualTo(records.size());
      assertThat(v.errors()).isEqualTo(v.variant().equals("b") ? 1 : 0);
      assertThat(v.cacheHits()).isZero();
      assertThat(v.inputTokens()).isEqualTo(in).isPositive();
      assertThat(v.outputTokens()).isEqualTo(out).isPositive();
      assertThat(v.cost()).isEqualByComparingTo(cost);
      assertThat(v.unpricedCalls()).isZero();
      assertThat(v.latencyP50()).isNotNull();
      assertThat(v.latencyP95()).isNotNull().isGreaterThanOrEqualTo(v.latencyP50());
      assertThat(v.latencyP99()).isNotNull().isGreaterThanOrEqualTo(v.latencyP95());
    }
    assertThat(stats).filteredOn(v -> v.variant().equals("a")).singleElement()
        .satisfies(a -> {
          assertThat(a.calls()).isEqualTo(answeredByA.size());
          assertThat(a.scores()).isEqualTo(3);
          assertThat(a.meanScore()).isCloseTo(1.0 / 3, within(1e-9));
        });
    assertThat(stats).filteredOn(v -> v.variant().equals("b")).singleElement()
        .satisfies(b -> {
          assertThat(b.calls()).isEqualTo(answeredByB.size() + 1);
          assertThat(b.scores()).isEqualTo(1);
          assertThat(b.meanScore()).isEqualTo(0.5);
        });
    assertThat(gateway.variants("nope")).isEmpty();
  }

  @Test
  void aSplitReachedThroughRulesReportsUnderTheAliasThatDefinesIt() {
    Gateway gateway = gateway(builder()
        .alias("auto", Route.rules().when("experiment", Condition.tag("exp"), "ab")
            .otherwise("fake/m3"))
        .alias("inline", Route.rules().when("experiment", Condition.tag("exp"),
            abSplit(StickyKey.user(), 50, 50)).otherwise("fake/m3")));
    ChatRequest tagged = ChatRequest.builder("auto").user("hi")
        .options(RequestOptions.DEFAULT.withTags("exp")).build();

    ChatResponse viaAlias = gateway.chat(tagged, Principal.of("t", "u1"));
    ChatResponse untagged = gateway.chat(ChatRequest.of("auto", "hi"), Principal.of("t", "u1"));
    ChatResponse inline = gateway.chat(tagged.withModel("inline"), Principal.of("t", "u1"));

    assertThat(viaAlias.routing().path()).containsExactly("alias auto",
        "rule 'experiment' (tag 'exp')", "alias ab", "variant " + viaAlias.variant(),
        "strategy ordered");
    assertThat(untagged.variant()).isNull();
    assertThat(inline.routing().path()).containsExactly("alias inline",
        "rule 'experiment' (tag 'exp')", "variant " + inline.variant(), "strategy ordered");
    assertThat(inline.variant()).as("the same user, the same weights").isEqualTo(
        viaAlias.variant());
    assertThat(gateway.variants("ab")).singleElement().satisfies(v -> {
      assertThat(v.variant()).isEqualTo(viaAlias.variant());
      assertThat(v.calls()).isEqualTo(1);
    });
    assertThat(gateway.variants("auto")).isEmpty();
    assertThat(gateway.variants("inline")).singleElement()
        .extracting(VariantStats::calls).isEqualTo(1L);
    assertThat(gateway.feedback(viaAlias.callId(), 1.0)).isTrue();
    assertThat(gateway.feedback(untagged.callId(), 1.0)).isFalse();
    assertThat(recordOf(viaAlias.callId()).deployment())
        .isEqualTo(Deployment.parse("fake/" + MODEL_OF_VARIANT.get(viaAlias.variant())));
  }
}
