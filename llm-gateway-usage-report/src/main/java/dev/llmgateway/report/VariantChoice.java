package dev.llmgateway.report;

import java.util.List;
import java.util.Optional;

/**
 * For one alias (the {@code requestedModel} of calls that name a variant), the cheapest variant
 * whose error rate and score are within a stated margin of the best.
 *
 * <p>The rule, over the report's period and each variant's decided calls ({@link VariantStats}):
 * <ol>
 *   <li>A variant is <b>eligible</b> when it has at least {@code minCalls} decided calls (default
 *       30) and at least one call with a known cost; the others are
 *       {@link VariantVerdict#TOO_FEW_CALLS} or {@link VariantVerdict#NO_KNOWN_COST}.
 *   <li>The best error rate is the lowest of the eligible variants'; the best score the highest
 *       mean score among eligible variants that have one.
 *   <li>A variant is <b>within margin</b> when its error rate is at most the best plus the error
 *       margin (default 0.01, i.e. one percentage point) and, when any eligible variant has a score,
 *       it has one too and its mean score is at least the best minus the score margin (default
 *       0.05). When no eligible variant has a score, scores are not compared.
 *   <li>The <b>pick</b> is the variant within margin with the lowest mean cost per call; a tie
 *       goes to the lower error rate, then to the name first in order. There is no pick when no
 *       variant is eligible.
 * </ol>
 *
 * <p>Immutable and thread-safe.
 */
public final class VariantChoice {

  private final String alias;
  private final List<VariantStats> variants;

  VariantChoice(String alias, List<VariantStats> variants) {
    this.alias = alias;
    this.variants = List.copyOf(variants);
  }

  /** The alias (requested model). */
  public String alias() {
    return alias;
  }

  /** Every variant seen for the alias, by name, each with its verdict. */
  public List<VariantStats> variants() {
    return variants;
  }

  /** The picked variant, empty when none is eligible. */
  public Optional<VariantStats> pick() {
    return variants.stream().filter(v -> v.verdict() == VariantVerdict.PICKED).findFirst();
  }

  @Override
  public String toString() {
    return "VariantChoice[" + alias + " -> " + pick().map(VariantStats::variant).orElse("none")
        + "]";
  }
}
