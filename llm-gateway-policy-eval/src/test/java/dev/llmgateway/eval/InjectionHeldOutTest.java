package dev.llmgateway.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 30's acceptance line for injection, on the families held out from tuning: recall at least
 * 0.8 at no more than 5% false positives; and {@code results/injection.md} shows the table the
 * scanner gives today ({@code -Dllmgateway.results.update=true} rewrites the table in it).
 */
@Timeout(120)
class InjectionHeldOutTest {
  private static final Path RESULTS = Path.of("results", "injection.md");
  private static final String BEGIN = "<!-- table: made by InjectionHeldOutTest -->\n";
  private static final String END = "<!-- end of table -->\n";

  @TempDir
  Path dir;

  @Test
  void heldOutRecallIsAtLeast80PercentAtAtMost5PercentFalsePositives() throws IOException {
    Map<String, InjectionEval.Counts> heldOut = tally().get(InjectionEval.HELD_OUT);

    InjectionEval.Counts all = heldOut.get(InjectionEval.ALL);
    assertThat(all.injections()).isPositive();
    assertThat(all.benign()).isPositive();
    assertThat(all.recall()).isGreaterThanOrEqualTo(0.8);
    assertThat(all.falsePositiveRate()).isLessThanOrEqualTo(0.05);
  }

  @Test
  void theCommittedResultsShowTodaysTable() throws IOException {
    String table = InjectionEval.render(tally());
    String results = Files.readString(RESULTS, StandardCharsets.UTF_8);
    int begin = results.indexOf(BEGIN);
    int end = results.indexOf(END);
    assertThat(begin).as("the results file marks its table").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String updated = results.substring(0, begin + BEGIN.length()) + table
        + results.substring(end);
    if (Boolean.getBoolean("llmgateway.results.update")) {
      Files.writeString(RESULTS, updated, StandardCharsets.UTF_8);
      results = updated;
    }
    assertThat(results).isEqualTo(updated);
  }

  private Map<String, Map<String, InjectionEval.Counts>> tally() throws IOException {
    Path predicted = dir.resolve("predicted.jsonl");
    InjectionEval.write(InjectionCorpusGenerator.FILE, predicted);
    return InjectionEval.tally(InjectionCorpusGenerator.FILE, predicted);
  }
}
