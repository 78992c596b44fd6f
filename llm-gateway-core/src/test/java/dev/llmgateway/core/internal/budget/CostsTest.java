package dev.llmgateway.core.internal.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.Usage;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.UnknownCost;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.cost.PriceTable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The most an attempt can cost is the most of every way its tokens could be billed — plain input,
 * five-minute or one-hour cache writes; plain output or reasoning; the long-prompt tier — computed
 * in one price lookup; checked against trying every way, over seeded random prices.
 */
@Timeout(30)
class CostsTest {
  private static final Deployment D = Deployment.parse("p/m");

  private static long bruteForce(Price price, long in, long out) {
    BigDecimal worst = BigDecimal.ZERO;
    for (long reasoning : new long[] {0, out}) {
      for (long[] writes : new long[][] {{0, 0}, {in, 0}, {in, in}}) {
        worst = worst.max(price.cost(new Usage(in, out, 0, writes[0], writes[1], reasoning,
            false)));
      }
    }
    return Budget.toNanos(worst);
  }

  private static String rate(Random random) {
    return BigDecimal.valueOf(random.nextInt(40_000), 3).toPlainString();
  }

  @Test
  void theMostIsTheDearestWayOfBillingEveryToken() {
    Random random = new Random(0xC057L);
    for (int i = 0; i < 2_000; i++) {
      Price price = Price.perMillion(rate(random), rate(random));
      if (random.nextBoolean()) {
        price = price.cacheWrite(rate(random), rate(random));
      } else if (random.nextBoolean()) {
        price = price.cacheWrite(rate(random));
      }
      if (random.nextBoolean()) {
        price = price.reasoning(rate(random));
      }
      if (random.nextBoolean()) {
        Price tier = Price.perMillion(rate(random), rate(random));
        if (random.nextBoolean()) {
          tier = tier.cacheWrite(rate(random), rate(random)).reasoning(rate(random));
        }
        price = price.longPrompt(1 + random.nextInt(2_000), tier);
      }
      Costs costs = new Costs(PriceTable.builder().put("p/m", price).build(),
          UnknownCost.REFUSE_UNPRICED, null, 4_096);
      long in = random.nextInt(4_000);
      long out = random.nextInt(4_000);
      assertThat(costs.attemptMax(D, in, out)).as("%s, %d in, %d out", price, in, out)
          .isEqualTo(bruteForce(price, in, out));
    }
  }

  @Test
  void unpricedDeploymentsFollowThePolicy() {
    PriceTable none = PriceTable.empty();
    assertThat(new Costs(none, UnknownCost.REFUSE_UNPRICED, null, 10).attemptMax(D, 5, 5))
        .isEqualTo(Costs.UNPRICED);
    assertThat(new Costs(none, UnknownCost.CHARGE_NOTHING, null, 10).attemptMax(D, 5, 5))
        .isZero();
    assertThat(new Costs(none, UnknownCost.CHARGE_RESERVATION, Price.perMillion("1", "2"), 10)
        .attemptMax(D, 1_000, 1_000)).isEqualTo(3_000_000);
  }

  @Test
  void outputIsTheRequestsLimitElseTheDefaultAndEmbeddingsHaveNone() {
    Costs costs = new Costs(PriceTable.empty(), UnknownCost.REFUSE_UNPRICED, null, 4_096);
    assertThat(costs.outputTokens(ChatRequest.of("m", "hi"))).isEqualTo(4_096);
    assertThat(costs.outputTokens(ChatRequest.builder("m").user("hi").maxOutputTokens(7).build()))
        .isEqualTo(7);
    assertThat(costs.outputTokens(EmbeddingRequest.of("m", "text"))).isZero();
    assertThat(costs.inputTokensOf(ChatRequest.of("m", "12345678"))).isEqualTo(4 + 2);
    assertThat(List.of(costs.policy())).containsExactly(UnknownCost.REFUSE_UNPRICED);
  }
}
