package dev.llmgateway.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Usage records as JSON lines (schema 1), for tests. */
final class Records {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Records() {}

  /** A call record; {@code outcome} as written ({@code succeeded}, {@code failed}, ...). */
  static Map<String, Object> call(String callId, String timestamp, String outcome,
      @Nullable String team, @Nullable String project, List<String> tags,
      @Nullable String alias, @Nullable String variant, @Nullable String deployment,
      @Nullable String cost, long latencyMicros) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("schema", 1);
    record.put("record", "call");
    record.put("callId", callId);
    record.put("timestamp", timestamp);
    record.put("kind", "chat");
    record.put("outcome", outcome);
    record.put("errorType", outcome.equals("failed") ? "ProviderUnavailableException"
        : outcome.equals("refused") ? "BudgetExceededException"
        : outcome.equals("stream_failed") ? "StreamInterruptedException" : null);
    record.put("refusal", outcome.equals("refused") ? "budget" : null);
    record.put("cacheHit", false);
    Map<String, Object> principal = new LinkedHashMap<>();
    principal.put("org", "acme");
    principal.put("team", team);
    principal.put("project", project);
    principal.put("user", "u-1");
    principal.put("keyId", "key-1");
    record.put("principal", principal);
    record.put("tags", tags);
    record.put("requestedModel", alias);
    record.put("variant", variant);
    record.put("deployment", deployment);
    record.put("servedModel", deployment == null ? null : deployment + "-2025");
    record.put("usage", Map.of("input", 100, "output", 10, "cachedInput", 20, "cacheWrite", 0,
        "cacheWrite1h", 0, "reasoning", 3, "estimated", false));
    record.put("cost", cost);
    record.put("latencyMicros", latencyMicros);
    record.put("timeToFirstTokenMicros", null);
    record.put("attempts", List.of());
    record.put("policies", List.of());
    return record;
  }

  /** A feedback record. */
  static String feedback(String callId, String timestamp, double score) {
    return json(Map.of("schema", 1, "record", "feedback", "callId", callId, "timestamp",
        timestamp, "score", score));
  }

  /** One JSON line, without its newline. */
  static String json(Map<String, Object> record) {
    try {
      return JSON.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A simple succeeded call of {@code team}. */
  static String simple(String callId, String team, String cost) {
    return json(call(callId, "2026-12-07T10:00:00Z", "succeeded", team, "web", List.of("a"),
        "smart", null, "openai/gpt-4.1", cost, 1000));
  }
}
