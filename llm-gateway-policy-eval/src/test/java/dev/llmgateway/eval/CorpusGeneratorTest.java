package dev.llmgateway.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CorpusGeneratorTest {

  @Test
  void regeneratingGivesTheCommittedFileByteForByte() throws Exception {
    byte[] committed = Files.readAllBytes(CorpusGenerator.FILE);

    assertThat(CorpusGenerator.generate().getBytes(StandardCharsets.UTF_8))
        .as("corpus/pii.jsonl differs from CorpusGenerator's output; regenerate it with "
            + "CorpusGenerator.main only before tuning, never after")
        .isEqualTo(committed);
  }

  @Test
  void atLeast400TextsAndAtLeast30PercentOfTheFamiliesHeldOut() throws Exception {
    List<String> lines = Files.readAllLines(CorpusGenerator.FILE, StandardCharsets.UTF_8);
    ObjectMapper json = new ObjectMapper();
    Set<String> families = new HashSet<>();
    Set<String> heldOut = new HashSet<>();
    for (String line : lines) {
      JsonNode node = json.readTree(line);
      families.add(node.get("family").asText());
      if (node.get("split").asText().equals("heldout")) {
        heldOut.add(node.get("family").asText());
      }
      String text = node.get("text").asText();
      for (JsonNode span : node.get("spans")) {
        assertThat(span.get("end").asInt()).isGreaterThan(span.get("start").asInt())
            .isLessThanOrEqualTo(text.codePointCount(0, text.length()));
      }
    }

    assertThat(lines).hasSizeGreaterThanOrEqualTo(400);
    assertThat(heldOut).containsExactlyInAnyOrderElementsOf(CorpusGenerator.HELD_OUT);
    assertThat(heldOut.size() * 10).isGreaterThanOrEqualTo(families.size() * 3);
  }
}
