package dev.llmgateway.report.internal;

import dev.llmgateway.report.VariantVerdict;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The cheapest-within-margin rule over one alias's variants (its statement is on the public
 * {@code VariantChoice}). Stateless.
 */
public final class VariantRule {

  /** Slack for comparing rates computed in floating point. */
  private static final double EPSILON = 1e-9;

  private final double errorMargin;
  private final double scoreMargin;
  private final long minCalls;

  public VariantRule(double errorMargin, double scoreMargin, long minCalls) {
    this.errorMargin = errorMargin;
    this.scoreMargin = scoreMargin;
    this.minCalls = minCalls;
  }

  /**
   * One variant's figures.
   *
   * @param meanCost the mean cost per call with a known cost, null when none is known
   * @param meanScore NaN when no call has a score
   */
  public record Candidate(
      String name, long calls, double errorRate, @Nullable BigDecimal meanCost, double meanScore) {}

  /** The verdict on each candidate, in their order. */
  public List<VariantVerdict> judge(List<Candidate> candidates) {
    List<VariantVerdict> verdicts = new ArrayList<>();
    double bestError = Double.POSITIVE_INFINITY;
    double bestScore = Double.NaN;
    for (Candidate c : candidates) {
      VariantVerdict verdict = c.calls() < minCalls ? VariantVerdict.TOO_FEW_CALLS
          : c.meanCost() == null ? VariantVerdict.NO_KNOWN_COST : null;
      verdicts.add(verdict);
      if (verdict == null) {
        bestError = Math.min(bestError, c.errorRate());
        if (!Double.isNaN(c.meanScore())) {
          bestScore = Double.isNaN(bestScore) ? c.meanScore() : Math.max(bestScore, c.meanScore());
        }
      }
    }
    int pick = -1;
    for (int i = 0; i < candidates.size(); i++) {
      if (verdicts.get(i) != null) {
        continue;
      }
      Candidate c = candidates.get(i);
      VariantVerdict verdict;
      if (c.errorRate() > bestError + errorMargin + EPSILON) {
        verdict = VariantVerdict.ERROR_RATE_OUTSIDE_MARGIN;
      } else if (!Double.isNaN(bestScore) && Double.isNaN(c.meanScore())) {
        verdict = VariantVerdict.UNSCORED;
      } else if (!Double.isNaN(bestScore) && c.meanScore() < bestScore - scoreMargin - EPSILON) {
        verdict = VariantVerdict.SCORE_OUTSIDE_MARGIN;
      } else {
        verdict = VariantVerdict.WITHIN_MARGIN;
        if (pick < 0 || cheaper(c, candidates.get(pick))) {
          pick = i;
        }
      }
      verdicts.set(i, verdict);
    }
    if (pick >= 0) {
      verdicts.set(pick, VariantVerdict.PICKED);
    }
    return verdicts;
  }

  /** Lower mean cost, then lower error rate, then the name first in order. */
  private static boolean cheaper(Candidate a, Candidate b) {
    return Comparator.comparing((Candidate c) -> c.meanCost())
        .thenComparingDouble(Candidate::errorRate)
        .thenComparing(Candidate::name)
        .compare(a, b) < 0;
  }
}
