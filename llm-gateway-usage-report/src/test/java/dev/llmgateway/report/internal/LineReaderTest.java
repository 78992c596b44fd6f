package dev.llmgateway.report.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bounded line splitting. */
@Timeout(10)
class LineReaderTest {

  private static List<String> lines(String input, int max) throws Exception {
    LineReader reader = new LineReader(
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), max);
    List<String> out = new ArrayList<>();
    LineReader.Kind kind;
    while ((kind = reader.next()) != LineReader.Kind.END) {
      out.add(reader.lineNumber() + ":" + (kind == LineReader.Kind.OVERLONG ? "OVERLONG"
          : new String(reader.bytes(), 0, reader.length(), StandardCharsets.UTF_8))
          + (reader.terminated() ? "" : "$"));
    }
    return out;
  }

  @Test
  void splitsOnNewlineDropsCarriageReturnAndMarksAnUnterminatedLastLine() throws Exception {
    assertThat(lines("a\r\n\nbc\nlast", 10)).containsExactly("1:a", "2:", "3:bc", "4:last$");
  }

  @Test
  void lineOverTheLimitIsReadPastWithoutBeingKept() throws Exception {
    assertThat(lines("12345\n123456\n1234567", 6))
        .containsExactly("1:12345", "2:123456", "3:OVERLONG$");
    assertThat(lines("x".repeat(200_000) + "\nok\n", 1000))
        .containsExactly("1:OVERLONG", "2:ok");
  }

  @Test
  void emptyInputHasNoLines() throws Exception {
    assertThat(lines("", 10)).isEmpty();
  }
}
