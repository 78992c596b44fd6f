package dev.llmgateway.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.core.policy.injection.InjectionScanner;
import dev.llmgateway.core.policy.injection.InjectionScore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The injection half of the evaluation tool. {@link #write(Path, Path)} runs the default {@link
 * InjectionScanner} over JSON Lines {@code {"id","text"}} and writes {@code
 * {"id","flagged","score"}}; {@link #score(Path, Path)} compares such output with a labelled corpus
 * ({@code {"id","text","label","kind","family","split"}}, label {@code injection} or {@code
 * benign}) and renders recall, false-positive rate and precision per kind, for the held-out split,
 * the tuning split and all texts, as a Markdown table.
 *
 * <p>Input is bounded: at most {@link #MAX_LINES} lines of at most {@link #MAX_LINE_CHARS} chars,
 * ids of at most {@link #MAX_ID_CHARS}, texts of at most the scanner's limit; a line that breaks a
 * limit or is not the expected JSON fails the run with an {@link IOException} naming the line
 * (never quoting its text). Stateless; the methods are thread-safe.
 */
final class InjectionEval {
  static final int MAX_LINES = 1_000_000;
  static final int MAX_LINE_CHARS = 8_000_000;
  static final int MAX_ID_CHARS = 200;
  static final String INJECTION = "injection";
  static final String BENIGN = "benign";
  static final String HELD_OUT = "heldout";
  static final String TUNE = "tune";
  static final String ALL = "all";

  private static final ObjectMapper JSON = new ObjectMapper();

  private InjectionEval() {}

  /**
   * Scans every text of {@code in} and writes one {@code {"id","flagged","score"}} line per input
   * line to {@code out} (score rounded to four decimals).
   *
   * @throws IOException if a file cannot be read or written, or a line breaks a limit or is not a
   *     JSON object with a string {@code id} and {@code text} (the message names the line)
   */
  static void write(Path in, Path out) throws IOException {
    write(in, out, MAX_LINES, MAX_LINE_CHARS);
  }

  static void write(Path in, Path out, int maxLines, int maxLineChars) throws IOException {
    InjectionScanner scanner = InjectionScanner.defaults();
    try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
        Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      Lines lines = new Lines(reader, maxLines, maxLineChars);
      for (String line = lines.next(); line != null; line = lines.next()) {
        JsonNode node = parse(line, lines.number());
        String id = id(node, lines.number());
        String text = string(node, "text", lines.number());
        if (text.length() > scanner.maxTextLength()) {
          throw new IOException("line " + lines.number() + ": text of " + text.length()
              + " chars is longer than the scanner's limit of " + scanner.maxTextLength());
        }
        InjectionScore score = scanner.scan(text);
        ObjectNode result = JSON.createObjectNode();
        result.put("id", id);
        result.put("flagged", score.flagged());
        result.put("score", Math.round(score.score() * 10_000) / 10_000.0);
        writer.write(JSON.writeValueAsString(result));
        writer.write('\n');
      }
    }
  }

  /**
   * Scores predictions against labels: a Markdown table per split (held-out, tune, all) with a
   * row per kind and one for all kinds.
   *
   * @throws IOException if a file cannot be read, a line breaks a limit or lacks a field, an id
   *     repeats, or a labelled id has no prediction (the message names the line or the id)
   */
  static String score(Path labelled, Path predicted) throws IOException {
    return render(tally(labelled, predicted));
  }

  /** Counts of one group of texts. */
  record Counts(int injections, int caught, int benign, int falsePositives) {
    Counts plus(boolean injection, boolean flagged) {
      return new Counts(injections + (injection ? 1 : 0), caught + (injection && flagged ? 1 : 0),
          benign + (injection ? 0 : 1), falsePositives + (!injection && flagged ? 1 : 0));
    }

    Counts add(Counts o) {
      return new Counts(injections + o.injections, caught + o.caught, benign + o.benign,
          falsePositives + o.falsePositives);
    }

    double recall() {
      return injections == 0 ? Double.NaN : (double) caught / injections;
    }

    double falsePositiveRate() {
      return benign == 0 ? Double.NaN : (double) falsePositives / benign;
    }

    double precision() {
      int flagged = caught + falsePositives;
      return flagged == 0 || injections == 0 || benign == 0 ? Double.NaN
          : (double) caught / flagged;
    }
  }

  /** Per split ({@code heldout}, {@code tune}, {@code all}), per kind and {@code all}: counts. */
  static Map<String, Map<String, Counts>> tally(Path labelled, Path predicted) throws IOException {
    Map<String, Boolean> flagged = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(predicted, StandardCharsets.UTF_8)) {
      Lines lines = new Lines(reader, MAX_LINES, MAX_LINE_CHARS);
      for (String line = lines.next(); line != null; line = lines.next()) {
        JsonNode node = parse(line, lines.number());
        JsonNode f = node.get("flagged");
        if (f == null || !f.isBoolean()) {
          throw new IOException("line " + lines.number() + " of the predictions: no boolean "
              + "\"flagged\"");
        }
        if (flagged.put(id(node, lines.number()), f.booleanValue()) != null) {
          throw new IOException("line " + lines.number() + " of the predictions: id repeats");
        }
      }
    }
    Map<String, Map<String, Counts>> splits = new LinkedHashMap<>();
    for (String split : List.of(HELD_OUT, TUNE, ALL)) {
      splits.put(split, new LinkedHashMap<>());
    }
    try (BufferedReader reader = Files.newBufferedReader(labelled, StandardCharsets.UTF_8)) {
      Lines lines = new Lines(reader, MAX_LINES, MAX_LINE_CHARS);
      for (String line = lines.next(); line != null; line = lines.next()) {
        JsonNode node = parse(line, lines.number());
        String id = id(node, lines.number());
        String label = string(node, "label", lines.number());
        if (!label.equals(INJECTION) && !label.equals(BENIGN)) {
          throw new IOException("line " + lines.number() + ": label must be injection or benign");
        }
        String kind = bounded(string(node, "kind", lines.number()), "kind", lines.number());
        String split = string(node, "split", lines.number());
        Boolean f = flagged.get(id);
        if (f == null) {
          throw new IOException("line " + lines.number() + ": id '" + id
              + "' has no prediction");
        }
        boolean injection = label.equals(INJECTION);
        for (String s : new String[] {split, ALL}) {
          Map<String, Counts> kinds = splits.get(s);
          if (kinds == null) {
            continue;
          }
          kinds.merge(kind, new Counts(0, 0, 0, 0).plus(injection, f), Counts::add);
          kinds.merge(ALL, new Counts(0, 0, 0, 0).plus(injection, f), Counts::add);
        }
      }
    }
    for (Map<String, Counts> kinds : splits.values()) {
      Counts all = kinds.remove(ALL);
      if (all != null) {
        kinds.put(ALL, all);
      }
    }
    return splits;
  }

  static String render(Map<String, Map<String, Counts>> splits) {
    StringBuilder md = new StringBuilder();
    for (Map.Entry<String, Map<String, Counts>> split : splits.entrySet()) {
      if (split.getValue().isEmpty()) {
        continue;
      }
      md.append("### ").append(switch (split.getKey()) {
        case HELD_OUT -> "Held-out split (families never used for tuning)";
        case TUNE -> "Tuning split";
        default -> "All texts";
      }).append("\n\n");
      md.append("| kind | texts | flagged | recall | false-positive rate | precision |\n");
      md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
      for (Map.Entry<String, Counts> kind : split.getValue().entrySet()) {
        Counts c = kind.getValue();
        md.append("| ").append(kind.getKey()).append(" | ").append(c.injections() + c.benign())
            .append(" | ").append(c.caught() + c.falsePositives()).append(" | ")
            .append(figure(c.recall())).append(" | ").append(figure(c.falsePositiveRate()))
            .append(" | ").append(figure(c.precision())).append(" |\n");
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static String figure(double value) {
    return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.3f", value);
  }

  private static JsonNode parse(String line, int number) throws IOException {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IOException("line " + number + ": not JSON (at column "
          + e.getLocation().getColumnNr() + ")");
    }
    if (node == null || !node.isObject()) {
      throw new IOException("line " + number + ": not a JSON object");
    }
    return node;
  }

  private static String id(JsonNode node, int number) throws IOException {
    return bounded(string(node, "id", number), "id", number);
  }

  private static String bounded(String value, String field, int number) throws IOException {
    if (value.isEmpty() || value.length() > MAX_ID_CHARS) {
      throw new IOException("line " + number + ": \"" + field + "\" must have 1 to "
          + MAX_ID_CHARS + " chars, has " + value.length());
    }
    return value;
  }

  private static String string(JsonNode node, String field, int number) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IOException("line " + number + ": no string \"" + field + "\"");
    }
    return value.textValue();
  }

  /** Reads lines without ever holding more than the limit of one; skips blank lines. */
  private static final class Lines {
    private final BufferedReader reader;
    private final int maxLines;
    private final int maxChars;
    private final StringBuilder line = new StringBuilder();
    private int number;

    Lines(BufferedReader reader, int maxLines, int maxChars) {
      this.reader = reader;
      this.maxLines = maxLines;
      this.maxChars = maxChars;
    }

    int number() {
      return number;
    }

    @Nullable String next() throws IOException {
      while (true) {
        line.setLength(0);
        int c = reader.read();
        if (c < 0) {
          return null;
        }
        number++;
        if (number > maxLines) {
          throw new IOException("line " + number + ": more than " + maxLines + " lines");
        }
        while (c >= 0 && c != '\n') {
          if (line.length() == maxChars) {
            throw new IOException("line " + number + ": longer than " + maxChars + " chars");
          }
          line.append((char) c);
          c = reader.read();
        }
        if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
          line.setLength(line.length() - 1);
        }
        if (!line.toString().isBlank()) {
          return line.toString();
        }
      }
    }
  }
}
