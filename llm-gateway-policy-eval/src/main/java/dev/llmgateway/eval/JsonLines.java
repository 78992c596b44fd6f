package dev.llmgateway.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a JSON Lines file one object at a time with bounds: a line longer than
 * {@link #MAX_LINE_CHARS} or more than {@link #MAX_LINES} lines fails with the line number; so does
 * a line that is not a JSON object. Blank lines are skipped. Stateless and thread-safe.
 */
final class JsonLines {

  /** The longest line read, in chars (1 MiB of ASCII). */
  static final int MAX_LINE_CHARS = 1 << 20;
  /** The most lines read from one file. */
  static final int MAX_LINES = 1_000_000;

  static final ObjectMapper JSON = new ObjectMapper();

  /** What to do with each object read. */
  @FunctionalInterface
  interface LineHandler {
    void accept(JsonNode object, int line) throws IOException;
  }

  private JsonLines() {}

  static void read(Path file, LineHandler handler) throws IOException {
    read(file, handler, MAX_LINE_CHARS, MAX_LINES);
  }

  static void read(Path file, LineHandler handler, int maxLineChars, int maxLines)
      throws IOException {
    BufferedReader reader;
    try {
      reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new EvalInputException(file + ": no such file", e);
    }
    try (Reader in = reader) {
      StringBuilder line = new StringBuilder();
      int number = 0;
      while (true) {
        line.setLength(0);
        boolean end = readLine(in, line, maxLineChars, file, number + 1);
        if (end && line.isEmpty()) {
          return;
        }
        number++;
        if (number > maxLines) {
          throw new EvalInputException(file + ":" + number + ": more than " + maxLines
              + " lines; split the file");
        }
        if (!line.toString().isBlank()) {
          handler.accept(parse(line, file, number), number);
        }
        if (end) {
          return;
        }
      }
    }
  }

  /** Reads one line into {@code line}; true at the end of the file. */
  private static boolean readLine(Reader in, StringBuilder line, int max, Path file, int number)
      throws IOException {
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int last = line.length() - 1;
        if (last >= 0 && line.charAt(last) == '\r') {
          line.setLength(last);
        }
        return false;
      }
      if (line.length() == max) {
        throw new EvalInputException(file + ":" + number + ": line longer than " + max
            + " chars; split the text or shorten it");
      }
      line.append((char) c);
    }
    return true;
  }

  private static JsonNode parse(CharSequence line, Path file, int number) {
    JsonNode node;
    try {
      node = JSON.readTree(line.toString());
    } catch (JsonProcessingException e) {
      throw new EvalInputException(file + ":" + number + ": not valid JSON (at column "
          + e.getLocation().getColumnNr() + "); each line must be one JSON object", e);
    }
    if (node == null || !node.isObject()) {
      throw new EvalInputException(file + ":" + number + ": not a JSON object; each line must"
          + " be one object such as {\"id\":\"1\",\"text\":\"...\"}");
    }
    return node;
  }

  /** The string field {@code name}, or a failure naming the line. */
  static String text(JsonNode object, String name, Path file, int line) {
    JsonNode value = object.get(name);
    if (value == null || !value.isTextual()) {
      throw new EvalInputException(file + ":" + line + ": \"" + name + "\" is missing or not a"
          + " string");
    }
    return value.asText();
  }

  /** The id, a string or a number, as text. */
  static String id(JsonNode object, Path file, int line) {
    JsonNode id = object.get("id");
    if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
      throw new EvalInputException(file + ":" + line + ": \"id\" is missing or neither a string"
          + " nor a whole number");
    }
    return id.asText();
  }
}
