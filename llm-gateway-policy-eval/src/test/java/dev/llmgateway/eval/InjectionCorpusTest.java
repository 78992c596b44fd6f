package dev.llmgateway.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The committed injection corpus is what {@link InjectionCorpusGenerator} makes, byte for byte,
 * and has the shape issue 30 asks for. {@code -Dllmgateway.corpus.update=true} rewrites it.
 */
@Timeout(60)
class InjectionCorpusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void regeneratingGivesTheCommittedFileByteForByte() throws IOException {
    String generated = InjectionCorpusGenerator.generate();
    if (Boolean.getBoolean("llmgateway.corpus.update")) {
      Files.writeString(InjectionCorpusGenerator.FILE, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(InjectionCorpusGenerator.FILE, StandardCharsets.UTF_8))
        .isEqualTo(generated);
  }

  @Test
  void holdsAtLeast300TextsOfEveryKindWithAThirdOfTheFamiliesHeldOut() throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(InjectionCorpusGenerator.FILE, StandardCharsets.UTF_8)) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).hasSizeGreaterThanOrEqualTo(300);
    assertThat(lines).extracting(l -> l.get("kind").asText()).contains(
        "direct", "indirect", "multilingual", "benign");
    Map<String, String> splitOfFamily = lines.stream().collect(Collectors.toMap(
        l -> l.get("family").asText(), l -> l.get("split").asText(), (a, b) -> {
          assertThat(a).as("a family lies in one split").isEqualTo(b);
          return a;
        }));
    long heldOut = splitOfFamily.values().stream().filter("heldout"::equals).count();
    assertThat((double) heldOut / splitOfFamily.size()).isGreaterThanOrEqualTo(0.3);
    assertThat(lines).extracting(l -> l.get("id").asText()).doesNotHaveDuplicates();
    assertThat(lines).extracting(l -> l.get("text").asText()).doesNotHaveDuplicates();
  }
}
