package dev.llmgateway.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.Deployment;
import dev.llmgateway.Usage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The bundled table's data and the lookup order of {@link PriceTable}; expected costs are worked
 * out in the comments from the bundled rates (dollars per million tokens), then divided by
 * 1,000,000.
 */
class PriceTableTest {
  private static final PriceTable BUNDLED = PriceTable.bundled();

  private static Deployment d(String text) {
    return Deployment.parse(text);
  }

  private static Price bundled(String key) {
    Price price = BUNDLED.entries().get(key);
    assertThat(price).as(key).isNotNull();
    return price;
  }

  @Test
  void bundledTableListsTheMainModelsOfEveryVendor() {
    assertThat(BUNDLED.entries()).containsKeys(
        "openai/gpt-5", "openai/gpt-5-mini", "openai/gpt-5-nano", "openai/gpt-4.1",
        "openai/gpt-4.1-mini", "openai/gpt-4.1-nano", "openai/gpt-4o", "openai/gpt-4o-mini",
        "openai/o3", "openai/o4-mini", "openai/text-embedding-3-small",
        "openai/text-embedding-3-large",
        "anthropic/claude-opus-4-1", "anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4",
        "anthropic/claude-haiku-4-5",
        "gemini/gemini-2.5-pro", "gemini/gemini-2.5-flash", "gemini/gemini-2.5-flash-lite",
        "gemini/gemini-2.0-flash", "gemini/gemini-embedding-001",
        "groq/llama-3.3-70b-versatile", "groq/llama-3.1-8b-instant",
        "mistral/mistral-large-latest", "mistral/mistral-small-latest",
        "deepseek/deepseek-chat", "deepseek/deepseek-reasoner",
        "together/meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "together/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo");
    assertThat(PriceTable.bundled()).isSameAs(BUNDLED);
  }

  @Test
  void everyBundledPriceCitesAnHttpsSourceAndADateNotInTheFuture() {
    LocalDate today = LocalDate.now();
    assertThat(BUNDLED.entries()).isNotEmpty();
    BUNDLED.entries().forEach((key, price) -> {
      assertThat(price.source()).as(key).startsWith("https://");
      assertThat(price.asOf()).as(key).isNotNull().isBeforeOrEqualTo(today);
      assertRatesNotNegative(key, price);
      if (price.longPrompt() != null) {
        assertRatesNotNegative(key + " long prompt", price.longPrompt());
        assertThat(price.longPrompt().source()).as(key).isNull();
      }
    });
  }

  private static void assertRatesNotNegative(String key, Price price) {
    List<BigDecimal> rates = new ArrayList<>(List.of(price.input(), price.output()));
    for (BigDecimal optional : new BigDecimal[] {price.cachedInput(), price.cacheWrite(),
        price.cacheWrite1h(), price.reasoning()}) {
      if (optional != null) {
        rates.add(optional);
      }
    }
    assertThat(rates).as(key).allSatisfy(rate -> assertThat(rate.signum()).isNotNegative());
  }

  @Test
  void bundledOpenAiPriceBillsCachedPromptAndReasoningAsOutput() {
    // gpt-5: input 1.25, cached 0.125, output 10.00
    // prompt 12,345 (2,048 cached), completion 1,234 (456 reasoning):
    // 10,297 x 1.25 = 12,871.25 + 2,048 x 0.125 = 256 + 1,234 x 10 = 12,340 -> 25,467.25 / 1e6
    Usage usage = new Usage(12_345, 1_234, 2_048, 0, 456, false);

    assertThat(BUNDLED.cost(d("openai/gpt-5"), usage)).isEqualByComparingTo("0.02546725");
  }

  @Test
  void bundledAnthropicPriceBillsCacheReadsAndBothWriteLifetimes() {
    // claude-haiku-4-5: input 1.00, cache read 0.10, 5-minute write 1.25, 1-hour write 2.00,
    // output 5.00. Prompt 40,000 = 10,000 uncached + 20,000 read + 10,000 written (4,000 for an
    // hour); output 2,000:
    // 10,000 x 1 = 10,000 + 20,000 x 0.10 = 2,000 + 6,000 x 1.25 = 7,500 + 4,000 x 2 = 8,000
    // + 2,000 x 5 = 10,000 -> 37,500 / 1e6
    Usage usage = new Usage(40_000, 2_000, 20_000, 10_000, 4_000, 0, false);

    assertThat(BUNDLED.cost(d("anthropic/claude-haiku-4-5"), usage))
        .isEqualByComparingTo("0.0375");
  }

  @Test
  void bundledClaudeSonnet45BillsAPromptAbove200kAtTheLongContextRates() {
    Deployment sonnet = d("anthropic/claude-sonnet-4-5");
    // up to 200k: input 3.00, read 0.30, 5m write 3.75, 1h write 6.00, output 15.00
    // 50,000 x 3 = 150,000 + 100,000 x 0.30 = 30,000 + 30,000 x 3.75 = 112,500
    // + 20,000 x 6 = 120,000 + 2,000 x 15 = 30,000 -> 442,500 / 1e6
    Usage atThreshold = new Usage(200_000, 2_000, 100_000, 50_000, 20_000, 0, false);
    assertThat(BUNDLED.cost(sonnet, atThreshold)).isEqualByComparingTo("0.4425");
    // above: input 6.00, read 0.60, 5m write 7.50, 1h write 12.00, output 22.50
    // 100,000 x 6 = 600,000 + 100,000 x 0.60 = 60,000 + 30,000 x 7.50 = 225,000
    // + 20,000 x 12 = 240,000 + 2,000 x 22.50 = 45,000 -> 1,170,000 / 1e6
    Usage above = new Usage(250_000, 2_000, 100_000, 50_000, 20_000, 0, false);
    assertThat(BUNDLED.cost(sonnet, above)).isEqualByComparingTo("1.17");
  }

  @Test
  void bundledGemini25ProBillsAPromptAbove200kAtItsSecondTier() {
    Deployment pro = d("gemini/gemini-2.5-pro");
    // up to 200k: input 1.25, cached 0.125, output 10.00 (thoughts included)
    // 150,000 x 1.25 = 187,500 + 50,000 x 0.125 = 6,250 + 1,000 x 10 = 10,000 -> 203,750 / 1e6
    assertThat(BUNDLED.cost(pro, new Usage(200_000, 1_000, 50_000, 0, 300, false)))
        .isEqualByComparingTo("0.20375");
    // 199,999 tokens: 149,999 x 1.25 = 187,498.75 + 6,250 + 10,000 -> 203,748.75 / 1e6
    assertThat(BUNDLED.cost(pro, new Usage(199_999, 1_000, 50_000, 0, 300, false)))
        .isEqualByComparingTo("0.20374875");
    // above: input 2.50, cached 0.25, output 15.00
    // 150,001 x 2.50 = 375,002.5 + 50,000 x 0.25 = 12,500 + 1,000 x 15 = 15,000
    // -> 402,502.5 / 1e6
    assertThat(BUNDLED.cost(pro, new Usage(200_001, 1_000, 50_000, 0, 300, false)))
        .isEqualByComparingTo("0.4025025");
  }

  @Test
  void bundledDeepSeekPriceBillsACacheHitAtTheHitRate() {
    // deepseek-chat: miss 0.28, hit 0.028, output 0.42
    // 1,000 x 0.28 = 280 + 9,000 x 0.028 = 252 + 500 x 0.42 = 210 -> 742 / 1e6
    Usage usage = new Usage(10_000, 500, 9_000, 0, 0, false);

    assertThat(BUNDLED.cost(d("deepseek/deepseek-chat"), usage)).isEqualByComparingTo("0.000742");
  }

  @Test
  void bundledEmbeddingPricesBillInputOnly() {
    // gemini-embedding-001: 2,000 x 0.15 = 300 -> / 1e6
    assertThat(BUNDLED.cost(d("gemini/gemini-embedding-001"), Usage.of(2_000, 0)))
        .isEqualByComparingTo("0.0003");
    // text-embedding-3-large: 1,000 x 0.13 = 130 -> / 1e6
    assertThat(BUNDLED.cost(d("openai/text-embedding-3-large"), Usage.of(1_000, 0)))
        .isEqualByComparingTo("0.00013");
  }

  @Test
  void cheapestBundledModelsCostExactly() {
    Map.Entry<String, Price> cheapest = cheapest(BUNDLED.entries().entrySet().stream().toList());
    Map.Entry<String, Price> cheapestChat = cheapest(BUNDLED.entries().entrySet().stream()
        .filter(e -> e.getValue().output().signum() > 0).toList());

    assertThat(cheapest.getKey()).isEqualTo("openai/text-embedding-3-small");
    // 1,234 x 0.02 = 24.68 -> / 1e6
    assertThat(cheapest.getValue().cost(Usage.of(1_234, 0))).isEqualByComparingTo("0.00002468");
    assertThat(cheapestChat.getKey()).isEqualTo("groq/llama-3.1-8b-instant");
    // 1,000 x 0.05 = 50 + 500 x 0.08 = 40 -> 90 / 1e6
    assertThat(cheapestChat.getValue().cost(Usage.of(1_000, 500)))
        .isEqualByComparingTo("0.00009");
  }

  private static Map.Entry<String, Price> cheapest(List<Map.Entry<String, Price>> entries) {
    return entries.stream()
        .min(Comparator.comparing(e -> e.getValue().input().add(e.getValue().output())))
        .orElseThrow();
  }

  @Test
  void oneTokenOfATenCentModelCostsATenMillionthOfADollar() {
    // gpt-4.1-nano input 0.10: 1 x 0.10 / 1e6
    BigDecimal cost = BUNDLED.cost(d("openai/gpt-4.1-nano"), Usage.of(1, 0));

    assertThat(cost).isNotNull();
    assertThat(cost.compareTo(new BigDecimal("0.0000001"))).isZero();
  }

  @Test
  void exactKeyWinsOverEveryFallback() {
    Price own = Price.perMillion("9", "9");
    PriceTable table = BUNDLED.toBuilder().put("azure/gpt-4o", own).build();

    assertThat(table.find(d("azure/gpt-4o"))).isSameAs(own);
    assertThat(table.find(d("azure/gpt-4o-mini"))).isSameAs(bundled("openai/gpt-4o-mini"));
  }

  @Test
  void providerNameMapsToItsVendor() {
    assertThat(BUNDLED.find(d("azure/gpt-4o"))).isSameAs(bundled("openai/gpt-4o"));
    assertThat(BUNDLED.find(d("openai-eu/gpt-4.1"))).isSameAs(bundled("openai/gpt-4.1"));
    assertThat(BUNDLED.find(d("google/gemini-2.5-flash")))
        .isSameAs(bundled("gemini/gemini-2.5-flash"));
    assertThat(BUNDLED.find(d("openrouter/openai/gpt-4o-mini")))
        .isSameAs(bundled("openai/gpt-4o-mini"));
    assertThat(BUNDLED.find(d("openrouter/google/gemini-2.5-pro")))
        .isSameAs(bundled("gemini/gemini-2.5-pro"));
  }

  @Test
  void bareModelNameMatchesOnlyWhenOneVendorListsIt() {
    Price a = Price.perMillion("1", "1");
    Price b = Price.perMillion("2", "2");
    Price c = Price.perMillion("3", "3");
    PriceTable table = PriceTable.builder()
        .put("openai/gpt-4o", a).put("groq/shared-model", b).put("together/shared-model", c)
        .build();

    assertThat(table.find(d("my-proxy/gpt-4o"))).isSameAs(a);
    assertThat(table.find(d("my-proxy/shared-model"))).isNull();
    assertThat(table.find(d("groq/shared-model"))).isSameAs(b);
  }

  @Test
  void trailingDateIsRemovedThenTheStepsRunAgain() {
    assertThat(BUNDLED.find(d("openai/gpt-4.1-2025-04-14"))).isSameAs(bundled("openai/gpt-4.1"));
    assertThat(BUNDLED.find(d("anthropic/claude-sonnet-4-5-20250929")))
        .isSameAs(bundled("anthropic/claude-sonnet-4-5"));
    assertThat(BUNDLED.find(d("anthropic/claude-sonnet-4-20250514")))
        .isSameAs(bundled("anthropic/claude-sonnet-4"));
    assertThat(BUNDLED.find(d("azure/gpt-4o-2024-08-06"))).isSameAs(bundled("openai/gpt-4o"));
    assertThat(BUNDLED.find(d("my-proxy/claude-haiku-4-5-20251001")))
        .isSameAs(bundled("anthropic/claude-haiku-4-5"));
  }

  @Test
  void unknownDeploymentHasNoCostAndIsLoggedOnce() {
    PriceTable table = BUNDLED.toBuilder().build();
    Deployment unknown = d("local/my-finetune");

    assertThat(table.find(unknown)).isNull();
    assertThat(table.cost(unknown, Usage.of(10, 10))).isNull();
    assertThat(table.unknownPriceWarnings()).isEqualTo(1);
    assertThat(table.find(d("local/other-model"))).isNull();
    assertThat(table.unknownPriceWarnings()).isEqualTo(2);
    assertThat(PriceTable.empty().find(d("openai/gpt-4o"))).isNull();
  }

  @Test
  void unknownDeploymentLookedUpFromManyThreadsIsLoggedOnce() throws Exception {
    PriceTable table = PriceTable.builder().build();
    Deployment unknown = d("local/racing-model");
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Price>> lookups = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        lookups.add(() -> {
          start.await();
          return table.find(unknown);
        });
      }
      List<Future<Price>> results = new ArrayList<>();
      for (Callable<Price> lookup : lookups) {
        results.add(pool.submit(lookup));
      }
      start.countDown();
      for (Future<Price> result : results) {
        assertThat(result.get()).isNull();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(table.unknownPriceWarnings()).isEqualTo(1);
  }

  @Test
  void lookupIsRememberedPerDeployment() {
    PriceTable table = BUNDLED.toBuilder().build();

    Price first = table.find(d("azure/gpt-4.1-mini-2025-04-14"));
    assertThat(first).isSameAs(bundled("openai/gpt-4.1-mini"));
    assertThat(table.find(d("azure/gpt-4.1-mini-2025-04-14"))).isSameAs(first);
  }

  @Test
  void userPriceOverridesTheBundledOne() {
    Price mine = Price.perMillion("1.00", "2.00");
    PriceTable table = BUNDLED.toBuilder().put("openai/gpt-4o", mine).build();

    assertThat(table.find(d("openai/gpt-4o"))).isSameAs(mine);
    assertThat(table.find(d("azure/gpt-4o"))).isSameAs(mine);
    assertThat(BUNDLED.find(d("openai/gpt-4o"))).isNotSameAs(mine);
    assertThat(table.entries()).hasSameSizeAs(BUNDLED.entries());
    assertThat(PriceTable.builder().putAll(BUNDLED).build().entries())
        .isEqualTo(BUNDLED.entries());
  }

  @Test
  void entriesAreUnmodifiableAndKeysMustNameAProvider() {
    assertThatThrownBy(() -> BUNDLED.entries().put("x/y", Price.perMillion("1", "1")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> PriceTable.builder().put("gpt-4o", Price.perMillion("1", "1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gpt-4o");
  }

  @Test
  void priceJsonIsCheckedFieldByField() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String entry = "{\"units\": \"USD per million tokens\", \"prices\": {\"acme/m\": %s}}";

    PriceTable table = PriceTable.parse(json.readTree(String.format(entry,
        "{\"input\": 0.1, \"output\": \"0.3\", \"longPrompt\": {\"threshold\": 10,"
            + " \"input\": \"1\", \"output\": \"2\"}}")), "test");
    Price price = table.entries().get("acme/m");
    assertThat(price.input()).isEqualByComparingTo("0.1");
    assertThat(price.longPrompt()).isEqualTo(Price.perMillion("1", "2"));
    assertThat(price.source()).isNull();

    assertThatThrownBy(() -> PriceTable.parse(json.readTree(String.format(entry,
        "{\"input\": \"1\", \"output\": \"2\", \"cachedinput\": \"1\"}")), "test"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("acme/m").hasMessageContaining("cachedinput");
    assertThatThrownBy(() -> PriceTable.parse(json.readTree(String.format(entry,
        "{\"input\": \"-1\", \"output\": \"2\"}")), "test"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("input");
    assertThatThrownBy(() -> PriceTable.parse(json.readTree(String.format(entry,
        "{\"input\": \"1\", \"output\": \"2\", \"source\": \"https://x.test\"}")), "test"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("asOf");
    assertThatThrownBy(() -> PriceTable.parse(
        json.readTree("{\"units\": \"USD per token\", \"prices\": {}}"), "test"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("units");
    assertThatThrownBy(() -> PriceTable.read("dev/llmgateway/core/missing.json"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing.json");
  }
}
