package dev.llmgateway.report.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.report.VariantVerdict;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cheapest-within-margin rule on hand-made figures. */
@Timeout(10)
class VariantRuleTest {

  private final VariantRule rule = new VariantRule(0.01, 0.05, 30);

  private static VariantRule.Candidate c(String name, long calls, double errorRate, String cost,
      double score) {
    return new VariantRule.Candidate(name, calls, errorRate,
        cost == null ? null : new BigDecimal(cost), score);
  }

  @Test
  void errorRateExactlyAtTheMarginIsStillWithin() {
    assertThat(rule.judge(List.of(c("a", 100, 0.02, "1", Double.NaN),
        c("b", 100, 0.03, "0.5", Double.NaN))))
        .containsExactly(VariantVerdict.WITHIN_MARGIN, VariantVerdict.PICKED);
  }

  @Test
  void scoresAreNotComparedWhenNoEligibleVariantHasOne() {
    assertThat(rule.judge(List.of(c("a", 100, 0, "2", Double.NaN),
        c("b", 100, 0, "1", Double.NaN), c("c", 10, 0, "0.1", 0.99))))
        .containsExactly(VariantVerdict.WITHIN_MARGIN, VariantVerdict.PICKED,
            VariantVerdict.TOO_FEW_CALLS);
  }

  @Test
  void unscoredVariantCannotBePickedWhenOthersHaveScores() {
    assertThat(rule.judge(List.of(c("a", 100, 0, "2", 0.9), c("b", 100, 0, "1", Double.NaN))))
        .containsExactly(VariantVerdict.PICKED, VariantVerdict.UNSCORED);
  }

  @Test
  void equalCostGoesToTheLowerErrorRateThenTheName() {
    assertThat(rule.judge(List.of(c("b", 100, 0.005, "1", Double.NaN),
        c("a", 100, 0.005, "1", Double.NaN), c("c", 100, 0, "1", Double.NaN))))
        .containsExactly(VariantVerdict.WITHIN_MARGIN, VariantVerdict.WITHIN_MARGIN,
            VariantVerdict.PICKED);
    assertThat(rule.judge(List.of(c("b", 100, 0, "1", Double.NaN),
        c("a", 100, 0, "1", Double.NaN))))
        .containsExactly(VariantVerdict.WITHIN_MARGIN, VariantVerdict.PICKED);
  }

  @Test
  void noEligibleVariantMeansNoPick() {
    assertThat(rule.judge(List.of(c("a", 29, 0, "1", Double.NaN), c("b", 500, 0, null, 0.5))))
        .containsExactly(VariantVerdict.TOO_FEW_CALLS, VariantVerdict.NO_KNOWN_COST);
  }
}
