package dev.llmgateway.core.internal.meter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.cost.PriceTable;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cost of a call at the gateway: on the response and on its usage record, equal to the price
 * times the usage worked out by hand from the bundled price table's figures (OpenAI-shaped usage
 * with cached and reasoning tokens, Anthropic's 5-minute and 1-hour cache writes, Gemini's
 * long-prompt tier), for unary, streamed and embedding calls; summed over every attempt that used
 * tokens, a failed one included; unknown (null, not zero) for an unpriced model; and a price
 * given to the builder wins over the table's.
 */
@Timeout(30)
class CostTest {
  private final StubProvider openai = new StubProvider("openai");
  private final StubProvider anthropic = new StubProvider("anthropic");
  private final StubProvider gemini = new StubProvider("gemini");
  private final StubProvider fake = new StubProvider("fake");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private @Nullable Gateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
    openai.close();
    anthropic.close();
    gemini.close();
    fake.close();
  }

  /** The gateway over the four providers, without aliases. */
  private Gateway plain() {
    gateway = builder().build();
    return gateway;
  }

  private GatewayBuilder builder() {
    return Gateway.builder().retry(RetryPolicy.none())
            .provider(openai).provider(anthropic).provider(gemini)
        .provider(fake).usageSink(usage);
  }

  /** The deployment, once checked to be in the bundled table: the figures below are its. */
  private static String priced(String deployment) {
    assertThat(PriceTable.bundled().find(Deployment.parse(deployment)))
        .as("bundled price of " + deployment).isNotNull();
    return deployment;
  }

  private static BigDecimal dollars(String amount) {
    return new BigDecimal(amount);
  }

  private UsageRecord only() {
    assertThat(usage.records()).hasSize(1);
    return usage.records().get(0);
  }

  @Test
  void openAiShapedUsageWithCachedAndReasoningTokens() {
    String model = priced("openai/o4-mini");
    openai.on("o4-mini").reply("42", new Usage(12_000, 3_000, 8_000, 0, 0, 2_000, false));

    ChatResponse answer = plain().chat(ChatRequest.of(model, "think hard"));

    // o4-mini: input $1.10, cached input $0.275, output $4.40 per million; reasoning is output
    //   uncached  4,000 × 1.10  = $0.0044
    //   cached    8,000 × 0.275 = $0.0022
    //   output    1,000 × 4.40  = $0.0044
    //   reasoning 2,000 × 4.40  = $0.0088
    assertThat(answer.cost()).isEqualByComparingTo(dollars("0.0198"));
    assertThat(only().cost()).isEqualByComparingTo(dollars("0.0198"));
  }

  @Test
  void anthropicShapedUsageWithFiveMinuteAndOneHourCacheWrites() {
    String model = priced("anthropic/claude-sonnet-4-5");
    anthropic.on("claude-sonnet-4-5")
        .reply("done", new Usage(20_000, 1_000, 5_000, 8_000, 3_000, 0, false));

    ChatResponse answer = plain().chat(ChatRequest.of(model, "long context"));

    // claude-sonnet-4-5: input $3, cache read $0.30, 5-min write $3.75, 1-h write $6,
    // output $15 per million
    //   uncached 20,000 − 5,000 − 8,000 = 7,000 × 3.00 = $0.021
    //   cache read   5,000 × 0.30 = $0.0015
    //   5-min write  5,000 × 3.75 = $0.01875
    //   1-h write    3,000 × 6.00 = $0.018
    //   output       1,000 × 15   = $0.015
    assertThat(answer.cost()).isEqualByComparingTo(dollars("0.07425"));
    assertThat(only().cost()).isEqualByComparingTo(dollars("0.07425"));
  }

  @Test
  void geminiLongPromptsAreBilledEntirelyAtTheLongPromptTier() {
    String model = priced("gemini/gemini-2.5-pro");
    gemini.on("gemini-2.5-pro")
        .reply("long", new Usage(250_000, 4_000, 100_000, 0, 0, 1_000, false))
        .reply("at the threshold", new Usage(200_000, 4_000, 0, 0, 0, 0, false));

    plain();
    ChatResponse longPrompt = gateway.chat(ChatRequest.of(model, "a book"));
    ChatResponse atThreshold = gateway.chat(ChatRequest.of(model, "a shorter book"));

    // above 200,000 input tokens: input $2.50, cached $0.25, output $15 per million
    //   uncached 150,000 × 2.50 = $0.375
    //   cached   100,000 × 0.25 = $0.025
    //   output     4,000 × 15   = $0.06 (reasoning included)
    assertThat(longPrompt.cost()).isEqualByComparingTo(dollars("0.46"));
    // exactly 200,000 is not above: input $1.25, output $10 per million
    //   200,000 × 1.25 = $0.25; 4,000 × 10 = $0.04
    assertThat(atThreshold.cost()).isEqualByComparingTo(dollars("0.29"));
    assertThat(usage.records()).extracting(UsageRecord::cost).usingElementComparator(
        BigDecimal::compareTo).containsExactly(dollars("0.46"), dollars("0.29"));
  }

  @Test
  void aStreamedCallCostsItsReportedUsage() {
    String model = priced("anthropic/claude-haiku-4-5");
    anthropic.on("claude-haiku-4-5").events(List.of(new ChatEvent.TextDelta("Hel"),
        new ChatEvent.TextDelta("lo"),
        new ChatEvent.UsageReport(new Usage(3_000, 500, 1_000, 0, 0, 0, false))));

    ChatResponse answer = plain().stream(ChatRequest.of(model, "Hi")).collect();

    // claude-haiku-4-5: input $1, cache read $0.10, output $5 per million
    //   uncached 2,000 × 1.00 = $0.002
    //   cached   1,000 × 0.10 = $0.0001
    //   output     500 × 5.00 = $0.0025
    assertThat(answer.text()).isEqualTo("Hello");
    assertThat(answer.cost()).isEqualByComparingTo(dollars("0.0046"));
    assertThat(only().cost()).isEqualByComparingTo(dollars("0.0046"));
  }

  @Test
  void aFailedAttemptWithoutTokensAddsNothingToTheCost() {
    gateway = builder().alias("smart", Route.fallback(priced("openai/gpt-4.1"),
        priced("anthropic/claude-haiku-4-5"))).build();
    openai.on("gpt-4.1").fail(new ProviderUnavailableException("down"));
    anthropic.on("claude-haiku-4-5").reply("fallback", Usage.of(3_000, 500));

    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "Hi"));

    assertThat(answer.attempts()).extracting(Attempt::usage)
        .containsExactly(Usage.ZERO, Usage.of(3_000, 500));
    // only claude-haiku-4-5: 3,000 × $1 + 500 × $5 per million = $0.003 + $0.0025
    assertThat(answer.cost()).isEqualByComparingTo(dollars("0.0055"));
    assertThat(only().cost()).isEqualByComparingTo(dollars("0.0055"));
  }

  @Test
  void aFailedAttemptThatUsedTokensIsBilledAtItsOwnDeploymentsPrice() {
    gateway = builder().alias("smart", Route.fallback(priced("openai/gpt-4.1"),
        priced("anthropic/claude-haiku-4-5"))).build();
    // the prompt was read, then the connection dropped before any content
    openai.on("gpt-4.1").events(List.of(new ChatEvent.Failed(
        new ProviderUnavailableException("dropped"), 0, 0, Usage.of(3_000, 0), List.of())));
    anthropic.on("claude-haiku-4-5").reply("fallback");

    ChatResponse answer = gateway.stream(ChatRequest.builder("smart").user("x".repeat(11_980))
        .build()).collect();

    assertThat(answer.text()).isEqualTo("fallback");
    assertThat(answer.attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
    // the stub's exact usage for haiku: 11,980 chars / 4 = 2,995 in; "fallback" = 2 out
    assertThat(answer.attempts().get(1).usage()).isEqualTo(Usage.of(2_995, 2));
    // gpt-4.1 (input $2 per million):  3,000 × 2.00 = $0.006
    // claude-haiku-4-5 ($1 / $5):      2,995 × 1.00 = $0.002995; 2 × 5.00 = $0.00001
    assertThat(answer.cost()).isEqualByComparingTo(dollars("0.009005"));
    assertThat(only().cost()).isEqualByComparingTo(dollars("0.009005"));
    assertThat(only().usage()).isEqualTo(Usage.of(5_995, 2));
  }

  @Test
  void anEmbeddingCostsItsInputTokens() {
    String model = priced("openai/text-embedding-3-small");

    EmbeddingResponse answer = plain().embed(EmbeddingRequest.of(model, "x".repeat(4_000)));

    // the stub's exact usage: 4,000 chars / 4 = 1,000 tokens × $0.02 per million
    assertThat(answer.usage()).isEqualTo(Usage.of(1_000, 0));
    assertThat(answer.cost()).isEqualByComparingTo(dollars("0.00002"));
    assertThat(only().cost()).isEqualByComparingTo(dollars("0.00002"));
  }

  @Test
  void anUnpricedModelHasAnUnknownCostNotZero() {
    assertThat(PriceTable.bundled().find(Deployment.parse("fake/house-model"))).isNull();
    gateway = builder().alias("mixed", Route.fallback(priced("openai/gpt-4.1"),
        "fake/house-model")).build();
    fake.on("house-model").reply("mine", Usage.of(100, 10)).reply("again", Usage.of(100, 10));
    openai.on("gpt-4.1").events(List.of(new ChatEvent.Failed(
        new ProviderUnavailableException("dropped"), 0, 0, Usage.of(3_000, 0), List.of())));

    ChatResponse direct = gateway.chat(ChatRequest.of("fake/house-model", "Hi"));
    ChatResponse mixed = gateway.stream(ChatRequest.of("mixed", "Hi")).collect();

    assertThat(direct.cost()).isNull();
    assertThat(mixed.deployment()).isEqualTo(Deployment.parse("fake/house-model"));
    assertThat(mixed.cost()).as("a priced attempt does not make the sum known").isNull();
    assertThat(usage.records()).extracting(UsageRecord::cost).containsExactly(null, null);
  }

  @Test
  void aPriceGivenToTheBuilderWinsOverTheBundledOne() {
    gateway = builder().price(priced("openai/gpt-4.1"), Price.perMillion("1.00", "1.00"))
        .price("fake/house-model", Price.perMillion("0.50", "0.25")).build();
    openai.on("gpt-4.1").reply("negotiated", Usage.of(1_000, 1_000));
    fake.on("house-model").reply("priced", Usage.of(1_000, 1_000));

    ChatResponse negotiated = gateway.chat(ChatRequest.of("openai/gpt-4.1", "Hi"));
    ChatResponse own = gateway.chat(ChatRequest.of("fake/house-model", "Hi"));

    // 1,000 × $1 + 1,000 × $1 per million (the bundled $2 / $8 would make $0.010)
    assertThat(negotiated.cost()).isEqualByComparingTo(dollars("0.002"));
    // 1,000 × $0.50 + 1,000 × $0.25 per million
    assertThat(own.cost()).isEqualByComparingTo(dollars("0.00075"));
  }
}
