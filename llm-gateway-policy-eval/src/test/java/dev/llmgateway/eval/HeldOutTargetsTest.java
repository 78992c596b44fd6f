package dev.llmgateway.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.core.policy.pii.PiiScanner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The acceptance targets of issue 30 on the held-out split of {@code corpus/pii.jsonl}, with the
 * default scanner (results/pii.md says which held-out families are unseen).
 */
@Timeout(120)
class HeldOutTargetsTest {

  private static PiiEval.Scores scores;

  @BeforeAll
  static void scoreTheHeldOutSplit() throws Exception {
    List<PiiEval.Labelled> corpus = PiiEval.readLabelled(CorpusGenerator.FILE, "heldout");
    Map<String, List<PiiEval.Span>> predicted = PiiEval.predictAll(corpus, PiiScanner.defaults());
    scores = PiiEval.scores(corpus, predicted);
    assertThat(scores.texts).isGreaterThanOrEqualTo(195);
  }

  @Test
  void checksumValidCardsAndIbansArePreciseToTwoNines() {
    assertThat(scores.checksumValid.get(PiiEval.CARD_LUHN).precision()).isGreaterThanOrEqualTo(0.99);
    assertThat(scores.checksumValid.get(PiiEval.IBAN_MOD97).precision()).isGreaterThanOrEqualTo(0.99);
    assertThat(scores.checksumValid.get(PiiEval.CARD_LUHN).predicted).isPositive();
    assertThat(scores.checksumValid.get(PiiEval.IBAN_MOD97).predicted).isPositive();
  }

  @Test
  void emailSsnAndIpReachF1Of098() {
    assertThat(scores.type("EMAIL").f1()).isGreaterThanOrEqualTo(0.98);
    assertThat(scores.type("US_SSN").f1()).isGreaterThanOrEqualTo(0.98);
    assertThat(scores.type("IP_ADDRESS").f1()).isGreaterThanOrEqualTo(0.98);
  }

  @Test
  void phoneReachesF1Of09() {
    assertThat(scores.type("PHONE").f1()).isGreaterThanOrEqualTo(0.9);
  }
}
