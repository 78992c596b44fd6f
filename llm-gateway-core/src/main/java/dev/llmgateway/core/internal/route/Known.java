package dev.llmgateway.core.internal.route;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.cost.PriceTable;
import dev.llmgateway.core.internal.health.Breaker;
import dev.llmgateway.core.internal.health.Deployments;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What routing knows of one deployment: its capabilities, its breaker and (looked up on first use,
 * so a deployment that is never priced is never warned about) dollars per input and output token.
 * Resolved at build for every route candidate ({@link RouteCompiler}) and kept; for any other
 * deployment resolved on each use and not kept ({@link RouteWalk#known}). Thread-safe: the rates
 * are computed at most a few times under a race and published through a volatile field.
 */
final class Known {
  private static final double[] NO_PRICE = new double[0];

  final Deployment deployment;
  final ModelCapabilities capabilities;
  final Breaker breaker;
  private final PriceTable prices;
  private volatile double @Nullable [] rates;

  private Known(Deployment deployment, ModelCapabilities capabilities, Breaker breaker,
      PriceTable prices) {
    this.deployment = deployment;
    this.capabilities = capabilities;
    this.breaker = breaker;
    this.prices = prices;
  }

  /**
   * What is known of the deployment now: its provider's word on the model (every chat capability
   * when no provider has that name) and its breaker.
   */
  static Known of(Deployment d, Map<String, Provider> providers, Deployments deployments,
      PriceTable prices) {
    Provider provider = providers.get(d.provider());
    return new Known(d, provider == null ? ModelCapabilities.CHAT_ALL
        : provider.capabilities(d.model()), deployments.state(d).breaker(), prices);
  }

  /** Dollars per input and output token, for ordering by cost; null when unpriced. */
  double @Nullable [] rates() {
    double[] r = rates;
    if (r == null) {
      Price p = prices.find(deployment);
      r = p == null ? NO_PRICE : new double[] {perToken(p.input()), perToken(p.output())};
      rates = r;
    }
    return r == NO_PRICE ? null : r;
  }

  private static double perToken(BigDecimal perMillion) {
    return perMillion.doubleValue() / 1_000_000d;
  }
}
