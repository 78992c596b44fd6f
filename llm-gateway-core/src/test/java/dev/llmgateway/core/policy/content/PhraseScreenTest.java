package dev.llmgateway.core.policy.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The automaton's dense ASCII screen ({@link PhraseAutomaton#mayEndPhrase}) answers as stepping
 * its sparse rows does, on random phrase lists and texts of mixed case, whitespace runs and
 * near-misses.
 */
@Timeout(60)
class PhraseScreenTest {

  private static final String LETTERS = "abcdeABCDE \t\n\r-'";

  @Test
  void theScreenAnswersAsTheSparseRowsDo() {
    Random random = new Random(42);
    int hits = 0;
    for (int round = 0; round < 300; round++) {
      List<String> phrases = new ArrayList<>();
      int count = 1 + random.nextInt(12);
      for (int p = 0; p < count; p++) {
        phrases.add(Normaliser.phrase(word(random, 1 + random.nextInt(6))));
      }
      phrases.removeIf(String::isBlank);
      if (phrases.isEmpty()) {
        continue;
      }
      PhraseAutomaton automaton = PhraseAutomaton.of(phrases);
      for (int t = 0; t < 200; t++) {
        String text = word(random, random.nextInt(40));
        boolean sparse = automaton.mayEndPhraseSparse(text);
        assertThat(automaton.mayEndPhrase(text)).as("%s in '%s'", phrases, text)
            .isEqualTo(sparse);
        hits += sparse ? 1 : 0;
      }
    }
    // both answers occur often, so the comparison is not of one constant
    assertThat(hits).isBetween(5_000, 55_000);
  }

  @Test
  void aCharPastAsciiSendsTheTextToTheFullScan() {
    PhraseAutomaton automaton = PhraseAutomaton.of(List.of("forbidden"));
    assertThat(automaton.mayEndPhrase("nothing here")).isFalse();
    assertThat(automaton.mayEndPhrase("nothing here é")).isTrue();
    assertThat(automaton.mayEndPhrase("so  FORBIDDEN")).isTrue();
  }

  private static String word(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
    }
    return s.toString();
  }
}
