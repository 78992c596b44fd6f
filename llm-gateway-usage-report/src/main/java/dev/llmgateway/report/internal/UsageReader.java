package dev.llmgateway.report.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmgateway.report.ReportLimitExceededException;
import dev.llmgateway.report.UnsupportedSchemaException;
import dev.llmgateway.report.UsageFileException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Reads usage files (JSON Lines, schema {@value #SCHEMA}) into call rows and feedback scores: one
 * Jackson tree per line, unknown fields ignored, calls deduplicated by call id (delivery is at
 * least once, so a replayed dead letter may repeat a record), bad lines skipped and counted. Not
 * thread-safe; one instance per report run.
 */
public final class UsageReader {

  /** The newest usage schema this reader knows. */
  public static final int SCHEMA = 1;

  /** Costs beyond these bounds are not plain dollar amounts and would make sums explode. */
  private static final int MAX_COST_SCALE = 30;
  private static final int MAX_COST_PRECISION = 40;

  private static final ObjectReader JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build()
      .reader();

  private final int maxLineBytes;
  private final long fromMillis;
  private final long toMillis;
  private final long maxCalls;
  private final Map<String, CallRow> calls = new HashMap<>();
  private final Map<String, Score> scores = new HashMap<>();
  private final Map<String, String> interned = new HashMap<>();
  private final Diagnostics diagnostics = new Diagnostics();
  private long sequence;

  /**
   * A reader keeping calls whose timestamp lies in [fromMillis, toMillis).
   *
   * @param maxLineBytes longer lines are skipped and counted
   * @param maxCalls the most distinct calls (and feedback call ids) kept
   */
  public UsageReader(int maxLineBytes, long fromMillis, long toMillis, long maxCalls) {
    this.maxLineBytes = maxLineBytes;
    this.fromMillis = fromMillis;
    this.toMillis = toMillis;
    this.maxCalls = maxCalls;
  }

  /**
   * Reads one usage file; a name ending in {@code .gz} is decompressed.
   *
   * @throws UsageFileException when the file cannot be read
   * @throws UnsupportedSchemaException on a line of a newer schema
   * @throws ReportLimitExceededException when more than {@code maxCalls} calls are kept
   */
  public void read(Path file) {
    diagnostics.files.add(file);
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.getFileName().toString().endsWith(".gz")
            ? new GZIPInputStream(raw, 64 * 1024) : new BufferedInputStream(raw, 64 * 1024)) {
      LineReader lines = new LineReader(in, maxLineBytes);
      LineReader.Kind kind;
      while ((kind = lines.next()) != LineReader.Kind.END) {
        diagnostics.lines++;
        if (kind == LineReader.Kind.OVERLONG) {
          diagnostics.overlong(file, lines.lineNumber());
        } else if (lines.length() > 0) {
          line(file, lines);
        }
      }
    } catch (IOException e) {
      throw new UsageFileException(file, "cannot be read (" + e + "); check that it exists and is"
          + " a readable usage file", e);
    }
  }

  private void line(Path file, LineReader lines) {
    JsonNode node;
    try {
      node = JSON.readTree(lines.bytes(), 0, lines.length());
    } catch (IOException e) {
      if (!lines.terminated()) {
        diagnostics.tornFiles.add(file);
      } else {
        diagnostics.invalid(file, lines.lineNumber(), e instanceof JsonProcessingException
            ? "not JSON" : "unreadable");
      }
      return;
    }
    @Nullable String problem = record(file, lines.lineNumber(), node);
    if (problem != null) {
      diagnostics.invalid(file, lines.lineNumber(), problem);
    }
  }

  /** Takes one parsed line; returns why it is invalid, or null. */
  private @Nullable String record(Path file, long line, JsonNode node) {
    if (!node.isObject()) {
      return "not a JSON object";
    }
    JsonNode schema = node.get("schema");
    if (schema == null || !schema.isIntegralNumber() || schema.asLong() < 1) {
      return "no schema version";
    }
    if (!schema.canConvertToLong() || schema.asLong() > SCHEMA) {
      throw new UnsupportedSchemaException(file, line,
          schema.canConvertToLong() ? schema.asLong() : Long.MAX_VALUE);
    }
    String type = text(node, "record");
    if ("call".equals(type)) {
      return call(node);
    } else if ("feedback".equals(type)) {
      return feedback(node);
    }
    diagnostics.otherRecords++;
    return null;
  }

  private @Nullable String call(JsonNode node) {
    String callId = text(node, "callId");
    if (callId == null || callId.isEmpty()) {
      return "call without callId";
    }
    long millis = timestamp(node);
    if (millis == Long.MIN_VALUE) {
      return "call without a valid timestamp";
    }
    String outcome = text(node, "outcome");
    if (outcome == null) {
      return "call without outcome";
    }
    JsonNode usage = node.path("usage");
    long input = tokens(usage, "input");
    long output = tokens(usage, "output");
    long cached = tokens(usage, "cachedInput");
    long reasoning = tokens(usage, "reasoning");
    if (input < 0 || output < 0 || cached < 0 || reasoning < 0) {
      return "negative or non-integer token count";
    }
    BigDecimal cost = null;
    JsonNode costNode = node.get("cost");
    if (costNode != null && !costNode.isNull()) {
      try {
        cost = costNode.isTextual() ? new BigDecimal(costNode.textValue())
            : costNode.isNumber() ? costNode.decimalValue() : null;
      } catch (NumberFormatException e) {
        cost = null;
      }
      if (cost == null || Math.abs(cost.scale()) > MAX_COST_SCALE
          || cost.precision() > MAX_COST_PRECISION) {
        return "cost is not a plain decimal";
      }
    }
    JsonNode latency = node.get("latencyMicros");
    long latencyMicros = latency != null && latency.canConvertToLong() && latency.asLong() >= 0
        ? latency.asLong() : -1;
    diagnostics.callRecords++;
    if (millis < fromMillis || millis >= toMillis) {
      diagnostics.outsidePeriod++;
      return null;
    }
    if (calls.containsKey(callId)) {
      diagnostics.duplicateCalls++;
      return null;
    }
    if (calls.size() >= maxCalls) {
      throw new ReportLimitExceededException("maxCalls", maxCalls, "distinct calls in the period;"
          + " narrow the period (--from/--to) or raise the limit (UsageReport.Builder.maxCalls,"
          + " --max-calls)");
    }
    JsonNode principal = node.path("principal");
    String deployment = text(node, "deployment");
    String provider = null;
    String model = null;
    if (deployment != null) {
      int slash = deployment.indexOf('/');
      provider = intern(slash < 0 ? deployment : deployment.substring(0, slash));
      model = slash < 0 ? null : intern(deployment.substring(slash + 1));
    }
    calls.put(callId, new CallRow(
        callId,
        millis,
        Outcome.parse(outcome),
        node.path("cacheHit").asBoolean(false),
        intern(text(node, "errorType")),
        intern(text(principal, "team")),
        intern(text(principal, "project")),
        tags(node.get("tags")),
        intern(text(node, "requestedModel")),
        intern(text(node, "variant")),
        provider,
        model,
        input,
        output,
        cached,
        reasoning,
        cost,
        latencyMicros));
    return null;
  }

  private @Nullable String feedback(JsonNode node) {
    String callId = text(node, "callId");
    if (callId == null || callId.isEmpty()) {
      return "feedback without callId";
    }
    JsonNode score = node.get("score");
    if (score == null || !score.isNumber() || !Double.isFinite(score.asDouble())) {
      return "feedback score not a finite number";
    }
    long millis = timestamp(node);
    diagnostics.feedbackRecords++;
    Score next = new Score(score.asDouble(), millis, sequence++);
    Score before = scores.get(callId);
    if (before == null && scores.size() >= maxCalls) {
      throw new ReportLimitExceededException("maxCalls", maxCalls, "call ids with feedback; narrow"
          + " the input or raise the limit (UsageReport.Builder.maxCalls, --max-calls)");
    }
    if (before == null || next.wins(before)) {
      scores.put(callId, next);
    }
    return null;
  }

  private List<String> tags(@Nullable JsonNode tags) {
    if (tags == null || !tags.isArray() || tags.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(tags.size());
    for (JsonNode tag : tags) {
      if (tag.isTextual() && !out.contains(tag.textValue())) {
        out.add(intern(tag.textValue()));
      }
    }
    return List.copyOf(out);
  }

  private static long tokens(JsonNode usage, String field) {
    JsonNode value = usage.get(field);
    if (value == null || value.isNull()) {
      return 0;
    }
    return value.isIntegralNumber() && value.canConvertToLong() ? value.asLong() : -1;
  }

  private static long timestamp(JsonNode node) {
    String text = text(node, "timestamp");
    if (text == null) {
      return Long.MIN_VALUE;
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      return Long.MIN_VALUE;
    }
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private @Nullable String intern(@Nullable String value) {
    if (value == null) {
      return null;
    }
    String known = interned.putIfAbsent(value, value);
    return known != null ? known : value;
  }

  /** The calls kept, by call id. */
  public Map<String, CallRow> calls() {
    return calls;
  }

  /** The winning feedback score per call id. */
  public Map<String, Score> scores() {
    return scores;
  }

  /** What the reading met. */
  public Diagnostics diagnostics() {
    return diagnostics;
  }
}
