package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.route.Downgrade;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import dev.llmgateway.spi.Interceptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cache's key compares where routing sent a call by value — the candidate list reached, the
 * split and variant, the downgrade — so that routes that differ never share an answer, however
 * their hash codes fall. The A/B draw is steered by an injected random source (weights of one, so
 * a draw of {@code i} is variant {@code i}).
 */
@Timeout(60)
class ResponseCacheRouteKeyTest {
  private static final long SEED = 0x5EED_CAC4EL;

  private final List<Gateway> gateways = new ArrayList<>();
  private final Draws draws = new Draws();

  @AfterEach
  void close() {
    gateways.forEach(Gateway::close);
  }

  private Gateway gateway(StubProvider stub, GatewayBuilder builder) {
    Gateway gateway = builder.provider(stub).random(draws)
        .cache(ResponseCache.builder().build()).build();
    gateways.add(gateway);
    return gateway;
  }

  private ChatResponse chatInVariant(Gateway gateway, int variant, ChatRequest request) {
    draws.next = variant;
    return gateway.chat(request);
  }

  @Test
  void variantsAAndBOnListsWhoseOldKeysCollideNeverShareAnAnswer() {
    // leaf 0 * 31 + "a".hashCode() == leaf 1 * 31 + "B".hashCode() == 97
    StubProvider stub = new StubProvider("stub").replyToAll(r -> "from " + r.model());
    Gateway gateway = gateway(stub, Gateway.builder().alias("ab", Route.split(StickyKey.none(),
        Variant.of("a", 1, "stub/m1"), Variant.of("B", 1, "stub/m2"))));
    ChatRequest request = ChatRequest.of("ab", "hi");

    ChatResponse armA = chatInVariant(gateway, 0, request);
    ChatResponse armB = chatInVariant(gateway, 1, request);

    assertThat(armA.variant()).isEqualTo("a");
    assertThat(armB.variant()).isEqualTo("B");
    assertThat(armB.cacheHit()).as("arm B got arm A's answer").isFalse();
    assertThat(armB.text()).isEqualTo("from m2");
    assertThat(chatInVariant(gateway, 0, request).text()).isEqualTo("from m1");
    assertThat(chatInVariant(gateway, 1, request).text()).isEqualTo("from m2");
    assertThat(stub.calls()).hasSize(2);
  }

  @Test
  void variantsWithEqualHashCodesOnOneCandidateListNeverShareAnAnswer() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    StubProvider stub = new StubProvider("stub");
    Gateway gateway = gateway(stub, Gateway.builder()
        .alias("base", Route.to("stub/m1"))
        .alias("aa", Route.split(StickyKey.none(),
            Variant.of("Aa", 1, "base"), Variant.of("BB", 1, "base"))));
    ChatRequest request = ChatRequest.of("aa", "hi");

    assertThat(chatInVariant(gateway, 0, request).cacheHit()).isFalse();
    ChatResponse other = chatInVariant(gateway, 1, request);

    assertThat(other.variant()).isEqualTo("BB");
    assertThat(other.cacheHit()).as("variant BB got variant Aa's entry").isFalse();
    assertThat(chatInVariant(gateway, 1, request).cacheHit()).isTrue();
    assertThat(stub.calls()).hasSize(2);
  }

  @Test
  void aDowngradedWalkToTheSameListKeepsItsOwnEntries() {
    StubProvider stub = new StubProvider("stub");
    Interceptor downgrade = chain -> {
      if (chain.request() instanceof ChatRequest r && r.metadata().containsKey("near-limit")) {
        chain.call().tag(Downgrade.class, new Downgrade("budget at 95%"));
      }
      return chain.proceed(chain.request());
    };
    Gateway gateway = gateway(stub, Gateway.builder()
        .interceptor(InterceptorPosition.BEFORE_ROUTING, downgrade)
        .alias("cheap", Route.to("stub/small"))
        .alias("smart", Route.target("cheap").downgradeTo("cheap")));
    ChatRequest normal = ChatRequest.of("smart", "hi");
    ChatRequest nearLimit = normal.toBuilder().metadata("near-limit", "yes").build();

    assertThat(gateway.chat(normal).cacheHit()).isFalse();
    ChatResponse downgraded = gateway.chat(nearLimit);

    assertThat(downgraded.routing().downgraded()).isTrue();
    assertThat(downgraded.cacheHit()).isFalse();
    assertThat(gateway.chat(nearLimit).cacheHit()).isTrue();
    assertThat(gateway.chat(normal).cacheHit()).isTrue();
    assertThat(stub.calls()).hasSize(2);
  }

  /**
   * Property: over seeded splits of generated variants — random names, pairs of names built so
   * that the old {@code leaf * 31 + variant.hashCode()} keys collide on neighbouring lists, pairs
   * with equal {@code String.hashCode()} on one shared list, and arms sharing a deployment —
   * every arm's first call is a miss that reaches the provider, and its second call hits its own
   * entry.
   */
  @Test
  void distinctRoutesNeverShareAnAnswerOverGeneratedSplits() {
    Random random = new Random(SEED);
    for (int round = 0; round < 60; round++) {
      List<List<String[]>> units = new ArrayList<>(); // each: adjacent arms {name, target}
      Set<String> names = new HashSet<>();
      int count = 0;
      while (count < 4 + round % 30) {
        String prefix = name(random, names, round, count);
        switch (random.nextInt(4)) {
          case 0 -> { // neighbouring lists, names whose hashes differ by exactly 31
            char x = (char) ('b' + random.nextInt(24));
            units.add(List.of(new String[] {prefix + x + "y", "stub/n" + count},
                new String[] {prefix + (char) (x - 1) + "y", "stub/n" + (count + 1)}));
            count += 2;
          }
          case 1 -> { // one shared list, names with equal hashes
            String list = "list" + random.nextInt(3);
            units.add(List.of(new String[] {prefix + "Aa", list},
                new String[] {prefix + "BB", list}));
            count += 2;
          }
          case 2 -> { // a deployment another arm may use too
            units.add(List.<String[]>of(new String[] {prefix, "stub/m" + random.nextInt(3)}));
            count++;
          }
          default -> {
            units.add(List.<String[]>of(new String[] {prefix, "list" + random.nextInt(3)}));
            count++;
          }
        }
      }
      Collections.shuffle(units, random);
      List<Variant> variants = new ArrayList<>();
      units.forEach(u -> u.forEach(arm -> variants.add(Variant.of(arm[0], 1, arm[1]))));

      StubProvider stub = new StubProvider("stub");
      Gateway gateway = gateway(stub, Gateway.builder()
          .alias("list0", Route.to("stub/l0")).alias("list1", Route.to("stub/l1"))
          .alias("list2", Route.to("stub/l2"))
          .alias("ab", Route.split(StickyKey.none(), variants.toArray(Variant[]::new))));
      ChatRequest request = ChatRequest.of("ab", "hi");
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < variants.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, random);
      for (int i : order) {
        ChatResponse first = chatInVariant(gateway, i, request);
        assertThat(first.variant()).isEqualTo(variants.get(i).name());
        assertThat(first.cacheHit()).as("round %d: variant %s's first call", round,
            variants.get(i).name()).isFalse();
      }
      Collections.shuffle(order, random);
      for (int i : order) {
        ChatResponse again = chatInVariant(gateway, i, request);
        assertThat(again.cacheHit()).as("round %d: variant %s's second call", round,
            variants.get(i).name()).isTrue();
      }
      assertThat(stub.calls()).as("round %d", round).hasSize(variants.size());
    }
  }

  private static String name(Random random, Set<String> taken, int round, int index) {
    String name;
    do {
      StringBuilder sb = new StringBuilder();
      int length = 1 + random.nextInt(6);
      for (int i = 0; i < length; i++) {
        sb.append((char) ('a' + random.nextInt(26)));
      }
      name = sb.append('-').append(round).append('-').append(index).append('-').toString();
    } while (!taken.add(name));
    return name;
  }

  /** A random source whose bounded draws return what the test set. */
  private static final class Draws implements RandomGenerator {
    volatile long next;

    @Override
    public long nextLong() {
      return next;
    }

    @Override
    public long nextLong(long bound) {
      return next;
    }
  }
}
