package dev.llmgateway.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.core.policy.pii.PiiScanner;
import dev.llmgateway.core.policy.pii.PiiSpan;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code pii} command and its scoring. {@link #write} runs a {@link PiiScanner} over
 * {@code {"id","text"}} lines and writes {@code {"id","spans":[{"type","start","end"}],"redacted"}}
 * with offsets in Unicode code points (end exclusive) and each span replaced by
 * {@code <TYPE_n>} in {@code redacted} (the same value, the same placeholder within a line).
 * {@link #score} compares predictions with labels by exact type, start and end. Stateless and
 * thread-safe.
 */
final class PiiEval {

  /** A span in code points. */
  record Span(String type, int start, int end) {}

  /** A labelled text. */
  record Labelled(String id, String text, List<Span> spans, String split) {}

  private PiiEval() {}

  /** Runs the default scanner over {@code in} and writes the predictions to {@code out}. */
  static void write(Path in, Path out) throws IOException {
    write(in, out, PiiScanner.defaults());
  }

  static void write(Path in, Path out, PiiScanner scanner) throws IOException {
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      JsonLines.read(in, (object, line) -> {
        String id = JsonLines.id(object, in, line);
        String text = JsonLines.text(object, "text", in, line);
        writer.write(JsonLines.JSON.writeValueAsString(predict(object.get("id"), id, text,
            scanner, in, line)));
        writer.write('\n');
      });
    }
  }

  private static ObjectNode predict(JsonNode idNode, String id, String text, PiiScanner scanner,
      Path in, int line) {
    List<PiiSpan> spans;
    try {
      spans = scanner.scan(text);
    } catch (IllegalArgumentException e) {
      throw new EvalInputException(in + ":" + line + ": " + e.getMessage(), e);
    }
    ObjectNode out = JsonLines.JSON.createObjectNode();
    out.set("id", idNode);
    ArrayNode array = out.putArray("spans");
    for (PiiSpan span : spans) {
      array.addObject().put("type", span.type().name())
          .put("start", text.codePointCount(0, span.start()))
          .put("end", text.codePointCount(0, span.end()));
    }
    out.put("redacted", redact(text, spans));
    return out;
  }

  /** {@code text} with each span replaced by {@code <TYPE_n>}, one n per distinct value. */
  static String redact(String text, List<PiiSpan> spans) {
    StringBuilder out = new StringBuilder(text.length());
    Map<String, String> placeholders = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    int at = 0;
    for (PiiSpan span : spans) {
      String type = span.type().name();
      String value = text.substring(span.start(), span.end());
      String placeholder = placeholders.computeIfAbsent(type + "\u0000" + value,
          k -> "<" + type + "_" + counts.merge(type, 1, Integer::sum) + ">");
      out.append(text, at, span.start()).append(placeholder);
      at = span.end();
    }
    return out.append(text, at, text.length()).toString();
  }

  /** The predictions of the scanner, in code points, for each labelled text. */
  static Map<String, List<Span>> predictAll(List<Labelled> corpus, PiiScanner scanner) {
    Map<String, List<Span>> predicted = new HashMap<>();
    for (Labelled labelled : corpus) {
      List<Span> spans = new ArrayList<>();
      for (PiiSpan span : scanner.scan(labelled.text())) {
        spans.add(new Span(span.type().name(),
            labelled.text().codePointCount(0, span.start()),
            labelled.text().codePointCount(0, span.end())));
      }
      predicted.put(labelled.id(), spans);
    }
    return predicted;
  }

  /** Reads a labelled corpus, keeping the texts of {@code split} ({@code all} keeps every one). */
  static List<Labelled> readLabelled(Path file, String split) throws IOException {
    List<Labelled> corpus = new ArrayList<>();
    JsonLines.read(file, (object, line) -> {
      String id = JsonLines.id(object, file, line);
      String text = JsonLines.text(object, "text", file, line);
      JsonNode splitNode = object.get("split");
      String textSplit = splitNode == null ? "" : splitNode.asText();
      if (split.equals("all") || split.equals(textSplit)) {
        corpus.add(new Labelled(id, text, spans(object, file, line), textSplit));
      }
    });
    return corpus;
  }

  /** Reads predictions: id to spans. */
  static Map<String, List<Span>> readPredicted(Path file) throws IOException {
    Map<String, List<Span>> predicted = new HashMap<>();
    JsonLines.read(file, (object, line) ->
        predicted.put(JsonLines.id(object, file, line), spans(object, file, line)));
    return predicted;
  }

  private static List<Span> spans(JsonNode object, Path file, int line) {
    JsonNode spans = object.get("spans");
    if (spans == null || !spans.isArray()) {
      throw new EvalInputException(file + ":" + line + ": \"spans\" is missing or not an array");
    }
    List<Span> out = new ArrayList<>();
    for (JsonNode span : spans) {
      JsonNode type = span.get("type");
      JsonNode start = span.get("start");
      JsonNode end = span.get("end");
      if (type == null || !type.isTextual() || start == null || !start.isInt() || end == null
          || !end.isInt()) {
        throw new EvalInputException(file + ":" + line + ": each span needs a string \"type\""
            + " and whole-number \"start\" and \"end\"");
      }
      out.add(new Span(type.asText(), start.asInt(), end.asInt()));
    }
    return out;
  }

  /**
   * Scores {@code predicted} against {@code labelled} ({@code split}: heldout, tune or all) and
   * renders the Markdown tables.
   */
  static String score(Path labelled, Path predicted, String split) throws IOException {
    List<Labelled> corpus = readLabelled(labelled, split);
    return render(scores(corpus, readPredicted(predicted)), split);
  }

  /** Counts per type: labelled, predicted, true positives. */
  static final class Counts {
    int labelled;
    int predicted;
    int truePositives;

    double precision() {
      return predicted == 0 ? 1.0 : (double) truePositives / predicted;
    }

    double recall() {
      return labelled == 0 ? 1.0 : (double) truePositives / labelled;
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
  }

  /** The tally of one scoring run; keys are types, plus the checksum-valid rows. */
  static final class Scores {
    final Map<String, Counts> byType = new TreeMap<>();
    final Map<String, Counts> checksumValid = new LinkedHashMap<>();
    int texts;

    Counts type(String type) {
      return byType.computeIfAbsent(type, t -> new Counts());
    }
  }

  static final String CARD_LUHN = "CREDIT_CARD passing Luhn";
  static final String IBAN_MOD97 = "IBAN passing mod-97";

  static Scores scores(List<Labelled> corpus, Map<String, List<Span>> predictions) {
    Scores scores = new Scores();
    scores.checksumValid.put(CARD_LUHN, new Counts());
    scores.checksumValid.put(IBAN_MOD97, new Counts());
    for (Labelled text : corpus) {
      scores.texts++;
      Set<Span> truth = new HashSet<>(text.spans());
      for (Span span : text.spans()) {
        scores.type(span.type()).labelled++;
      }
      for (Span span : predictions.getOrDefault(text.id(), List.of())) {
        boolean hit = truth.contains(span);
        Counts counts = scores.type(span.type());
        counts.predicted++;
        if (hit) {
          counts.truePositives++;
        }
        Counts valid = checksumRow(text.text(), span, scores);
        if (valid != null) {
          valid.predicted++;
          if (hit) {
            valid.truePositives++;
          }
        }
      }
    }
    return scores;
  }

  private static Counts checksumRow(String text, Span span, Scores scores) {
    int length = text.codePointCount(0, text.length());
    if (span.start() < 0 || span.end() > length || span.start() >= span.end()) {
      return null;
    }
    String value = text.substring(text.offsetByCodePoints(0, span.start()),
        text.offsetByCodePoints(0, span.end()));
    if (span.type().equals("CREDIT_CARD") && Checksums.luhn(value)) {
      return scores.checksumValid.get(CARD_LUHN);
    }
    if (span.type().equals("IBAN") && Checksums.mod97(value)) {
      return scores.checksumValid.get(IBAN_MOD97);
    }
    return null;
  }

  static String render(Scores scores, String split) {
    StringBuilder out = new StringBuilder();
    out.append("PII detection, split ").append(split).append(": ").append(scores.texts)
        .append(" texts; exact match on type, start and end (code points).\n\n");
    out.append("| type | labelled | predicted | true positives | precision | recall | F1 |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    Counts all = new Counts();
    for (Map.Entry<String, Counts> row : scores.byType.entrySet()) {
      Counts c = row.getValue();
      all.labelled += c.labelled;
      all.predicted += c.predicted;
      all.truePositives += c.truePositives;
      out.append(row(row.getKey(), c));
    }
    out.append(row("all", all));
    out.append("\n| checksum-valid predictions | predicted | true positives | precision |\n");
    out.append("|---|---:|---:|---:|\n");
    for (Map.Entry<String, Counts> row : scores.checksumValid.entrySet()) {
      Counts c = row.getValue();
      out.append("| ").append(row.getKey()).append(" | ").append(c.predicted).append(" | ")
          .append(c.truePositives).append(" | ").append(fraction(c.precision())).append(" |\n");
    }
    return out.toString();
  }

  private static String row(String name, Counts c) {
    return "| " + name + " | " + c.labelled + " | " + c.predicted + " | " + c.truePositives
        + " | " + fraction(c.precision()) + " | " + fraction(c.recall()) + " | "
        + fraction(c.f1()) + " |\n";
  }

  private static String fraction(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
