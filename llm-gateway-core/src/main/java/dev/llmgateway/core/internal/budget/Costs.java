package dev.llmgateway.core.internal.budget;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Usage;
import dev.llmgateway.core.budget.UnknownCost;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.cost.PriceTable;
import dev.llmgateway.spi.TokenEstimator;
import org.jspecify.annotations.Nullable;

/**
 * What attempts may cost and did cost, in nano-dollars (rounded up), by the gateway's price table
 * and the budgets' {@link UnknownCost} policy. Thread-safe: holds only read-only settings.
 */
final class Costs {
  /** An attempt at a deployment that has no price, under {@link UnknownCost#REFUSE_UNPRICED}. */
  static final long UNPRICED = -1;

  private final PriceTable prices;
  private final UnknownCost policy;
  private final @Nullable Price unpricedRate;
  private final int defaultMaxOutputTokens;

  Costs(PriceTable prices, UnknownCost policy, @Nullable Price unpricedRate,
      int defaultMaxOutputTokens) {
    this.prices = prices;
    this.policy = policy;
    this.unpricedRate = unpricedRate;
    this.defaultMaxOutputTokens = defaultMaxOutputTokens;
  }

  /**
   * The input tokens reserved for {@code request}: the gateway's character estimate (about four
   * characters per token, {@code TokenEstimator}), not a tokenizer. Measured (jtokkit 1.1, one
   * quiet core), {@code o200k_base} takes about 70 ns a character of English ({@code cl100k_base}
   * 12 ns; hostile CJK far more), so a 1 KB prompt would cost 70 µs, many times the rest of the
   * chain; a reservation's dominant term is the most
   * output tokens, and a prompt that tokenizes denser than estimated is what the worst case in
   * {@code Budgets} bounds (cost up to k times the reservation). The rate limits' TPM, which the
   * issue asks to count exactly for OpenAI models, use the tokenizer.
   */
  private static long inputTokens(GatewayRequest request) {
    return TokenEstimator.input(request);
  }

  /** The most output tokens reserved for {@code request}: its limit, else the default; 0 to embed. */
  long outputTokens(GatewayRequest request) {
    if (request instanceof ChatRequest chat) {
      Integer max = chat.maxOutputTokens();
      return max != null ? max : defaultMaxOutputTokens;
    }
    return 0;
  }

  /** The input tokens reserved for {@code request}. */
  long inputTokensOf(GatewayRequest request) {
    return inputTokens(request);
  }

  /**
   * The most one attempt at {@code deployment} can cost with {@code input} tokens in and {@code
   * output} out, at the price's dearest rates (input as cache writes if those cost more, output as
   * reasoning if that costs more, the long-prompt tier when the input is above it); 0
   * under {@link UnknownCost#CHARGE_NOTHING} and {@link #UNPRICED} under {@link
   * UnknownCost#REFUSE_UNPRICED} when the deployment has no price.
   */
  long attemptMax(Deployment deployment, long input, long output) {
    Price price = prices.find(deployment);
    if (price == null) {
      if (policy == UnknownCost.REFUSE_UNPRICED) {
        return UNPRICED;
      }
      if (policy == UnknownCost.CHARGE_NOTHING || unpricedRate == null) {
        return 0;
      }
      price = unpricedRate;
    }
    return price.maxCostNanos(input, output);
  }

  /** What an ended attempt cost, rounded up; an unpriced one per the policy (0, or at the rate). */
  long charged(Attempt attempt) {
    Usage u = attempt.usage();
    if (u.inputTokens() == 0 && u.outputTokens() == 0) {
      return 0;
    }
    Price price = prices.find(attempt.deployment());
    if (price == null) {
      price = policy == UnknownCost.CHARGE_RESERVATION ? unpricedRate : null;
    }
    return price == null ? 0 : price.costNanos(u);
  }

  /** The policy for unpriced deployments. */
  UnknownCost policy() {
    return policy;
  }
}
