package dev.llmgateway.core.usage;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.Attempt;
import dev.llmgateway.CallKind;
import dev.llmgateway.Deployment;
import dev.llmgateway.FeedbackRecord;
import dev.llmgateway.PolicyVerdict;
import dev.llmgateway.Principal;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The JSON Lines form of a {@link UsageRecord}, schema {@value #SCHEMA}: the contract between the
 * gateway's file sinks and dead-letter files and the usage report, specified field by field in
 * {@code docs/usage-record-json.md}. One JSON object per line, UTF-8, {@code \n}-terminated; a
 * call record is {@code "record":"call"}, a feedback record {@code "record":"feedback"}. Readers
 * ignore unknown fields (later schemas only add fields) and refuse a line of a newer schema.
 *
 * <p>Written by Jackson's streaming generator, field by field in a fixed order (no reflection, no
 * tree); read back by {@link #read(String)} (a tree, off the request path: dead-letter replay).
 * Costs are plain decimal strings (exact), durations integer microseconds, timestamps ISO-8601 in
 * UTC. The record's {@code user} is written as the principal carries it: the file is the host's
 * billing data; logs never print it.
 *
 * <p>{@code outcome} and {@code refusal} are the record's own, lower case; {@code policies} its
 * verdicts. {@link #read}
 * keeps of the routing decision only the variant, of the
 * principal only its five ids, and durations to the microsecond — so writing a record read back
 * gives the same line.
 *
 * <p>Thread-safe: every method is static and shares only Jackson's factory.
 */
public final class UsageRecordJson {
  /** The schema version this class writes, and the newest it reads. */
  public static final int SCHEMA = 1;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
      .build();
  private static final ObjectMapper READER = new ObjectMapper(FACTORY);

  // field names encoded once (Jackson writes a SerializedString's UTF-8 bytes as they are)
  private static final SerializableString F_ATTEMPTS = new SerializedString("attempts");
  private static final SerializableString F_CACHE_HIT = new SerializedString("cacheHit");
  private static final SerializableString F_CACHE_WRITE = new SerializedString("cacheWrite");
  private static final SerializableString F_CACHE_WRITE1H = new SerializedString("cacheWrite1h");
  private static final SerializableString F_CACHED_INPUT = new SerializedString("cachedInput");
  private static final SerializableString F_CALL_ID = new SerializedString("callId");
  private static final SerializableString F_COST = new SerializedString("cost");
  private static final SerializableString F_DEPLOYMENT = new SerializedString("deployment");
  private static final SerializableString F_DETAIL = new SerializedString("detail");
  private static final SerializableString F_ERROR_TYPE = new SerializedString("errorType");
  private static final SerializableString F_ESTIMATED = new SerializedString("estimated");
  private static final SerializableString F_HTTP_STATUS = new SerializedString("httpStatus");
  private static final SerializableString F_INPUT = new SerializedString("input");
  private static final SerializableString F_KEY_ID = new SerializedString("keyId");
  private static final SerializableString F_KIND = new SerializedString("kind");
  private static final SerializableString F_LATENCY_MICROS = new SerializedString("latencyMicros");
  private static final SerializableString F_NUMBER = new SerializedString("number");
  private static final SerializableString F_ORG = new SerializedString("org");
  private static final SerializableString F_OUTCOME = new SerializedString("outcome");
  private static final SerializableString F_OUTPUT = new SerializedString("output");
  private static final SerializableString F_POLICIES = new SerializedString("policies");
  private static final SerializableString F_POLICY = new SerializedString("policy");
  private static final SerializableString F_PRINCIPAL = new SerializedString("principal");
  private static final SerializableString F_PROJECT = new SerializedString("project");
  private static final SerializableString F_REASON = new SerializedString("reason");
  private static final SerializableString F_REASONING = new SerializedString("reasoning");
  private static final SerializableString F_RECORD = new SerializedString("record");
  private static final SerializableString F_REFUSAL = new SerializedString("refusal");
  private static final SerializableString F_REQUESTED_MODEL = new SerializedString("requestedModel");
  private static final SerializableString F_SCHEMA = new SerializedString("schema");
  private static final SerializableString F_SCORE = new SerializedString("score");
  private static final SerializableString F_SERVED_MODEL = new SerializedString("servedModel");
  private static final SerializableString F_TAGS = new SerializedString("tags");
  private static final SerializableString F_TEAM = new SerializedString("team");
  private static final SerializableString F_TIME_TO_FIRST_TOKEN_MICROS = new SerializedString("timeToFirstTokenMicros");
  private static final SerializableString F_TIMESTAMP = new SerializedString("timestamp");
  private static final SerializableString F_USAGE = new SerializedString("usage");
  private static final SerializableString F_USER = new SerializedString("user");
  private static final SerializableString F_VARIANT = new SerializedString("variant");
  private static final SerializableString F_VERDICT = new SerializedString("verdict");

  private static final String[] CALL_KINDS = lowerCase(CallKind.values());
  private static final String[] OUTCOMES = lowerCase(UsageRecord.Outcome.values());
  private static final String[] REFUSALS = lowerCase(UsageRecord.Refusal.values());
  private static final String[] ATTEMPT_KINDS = lowerCase(Attempt.Kind.values());
  private static final String[] ATTEMPT_OUTCOMES = lowerCase(Attempt.Outcome.values());

  private UsageRecordJson() {}

  private static String[] lowerCase(Enum<?>[] values) {
    String[] names = new String[values.length];
    for (Enum<?> v : values) {
      names[v.ordinal()] = v.name().toLowerCase(Locale.ROOT);
    }
    return names;
  }

  /**
   * A line was written by a newer schema than {@value #SCHEMA}: this reader cannot know what its
   * fields mean. The message names the schema, never the line's content.
   */
  public static final class NewerSchemaException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NewerSchemaException(int schema) {
      super("schema " + schema + " is newer than " + SCHEMA + ", the newest this reader knows;"
          + " read it with a newer llm-gateway");
    }
  }

  /**
   * Writes the record as one line, {@code \n} included, in UTF-8. Does not flush or close
   * {@code out}.
   *
   * @throws IOException when {@code out} throws
   */
  public static void write(UsageRecord record, OutputStream out) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      writeCall(record, g, new char[JsonChars.SCRATCH]);
    }
    out.write('\n');
  }

  /** The record as one line of JSON, without the line end. */
  public static String toJson(UsageRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(768);
    try {
      write(record, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    byte[] bytes = out.toByteArray();
    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
  }

  /** The records as lines, each {@code \n}-terminated, in UTF-8: what one append writes. */
  public static byte[] toLines(List<UsageRecord> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(640 * Math.max(1, records.size()));
    writeLines(records, out);
    return out.toByteArray();
  }

  /**
   * Writes the records as lines into {@code out}, one generator for them all (the form of {@link
   * #toLines}); for a sink that writes a batch at once.
   */
  static void writeLines(List<UsageRecord> records, ByteArrayOutputStream out) {
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.setRootValueSeparator(null);
      char[] scratch = new char[JsonChars.SCRATCH]; // one for the batch, not strings per record
      for (int i = 0, n = records.size(); i < n; i++) {
        writeCall(records.get(i), g, scratch);
        g.writeRaw('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
  }


  /**
   * A feedback record as one line, {@code \n} included: {@code
   * {"schema":1,"record":"feedback","callId":"cd4q-2","timestamp":"...","score":0.8}}, the
   * format the usage report joins to its call by call id.
   *
   * @throws IOException when {@code out} throws
   */
  public static void writeFeedback(FeedbackRecord feedback, OutputStream out)
      throws IOException {
    String callId = feedback.callId();
    Instant timestamp = feedback.timestamp();
    double score = feedback.score();
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      num(g, F_SCHEMA, SCHEMA);
      str(g, F_RECORD, "feedback");
      str(g, F_CALL_ID, callId);
      str(g, F_TIMESTAMP, timestamp.toString());
      num(g, F_SCORE, score);
      g.writeEndObject();
    }
    out.write('\n');
  }

  private static void writeCall(UsageRecord r, JsonGenerator g, char[] scratch)
      throws IOException {
    g.writeStartObject();
    num(g, F_SCHEMA, SCHEMA);
    str(g, F_RECORD, "call");
    str(g, F_CALL_ID, r.callId());
    instant(g, F_TIMESTAMP, r.timestamp(), scratch);
    str(g, F_KIND, CALL_KINDS[r.kind().ordinal()]);
    str(g, F_OUTCOME, OUTCOMES[r.outcome().ordinal()]);
    nullable(g, F_ERROR_TYPE, r.errorType());
    nullable(g, F_REFUSAL,
        r.refusal() == null ? null : REFUSALS[r.refusal().ordinal()]);
    bool(g, F_CACHE_HIT, r.cacheHit());
    Principal p = r.principal();
    if (p == null) {
      nul(g, F_PRINCIPAL);
    } else {
      objectStart(g, F_PRINCIPAL);
      nullable(g, F_ORG, p.orgId());
      nullable(g, F_TEAM, p.teamId());
      nullable(g, F_PROJECT, p.projectId());
      nullable(g, F_USER, p.userId());
      nullable(g, F_KEY_ID, p.keyId());
      g.writeEndObject();
    }
    arrayStart(g, F_TAGS);
    if (!r.tags().isEmpty()) { // no iterator for the usual empty set
      Set<String> tags = r.tags().size() > 1 ? new TreeSet<>(r.tags()) : r.tags();
      for (String tag : tags) {
        g.writeString(tag);
      }
    }
    g.writeEndArray();
    str(g, F_REQUESTED_MODEL, r.requestedModel());
    nullable(g, F_VARIANT, r.variant());
    if (r.deployment() == null) {
      nul(g, F_DEPLOYMENT);
    } else {
      deployment(g, r.deployment(), scratch);
    }
    nullable(g, F_SERVED_MODEL, r.servedModel());
    usage(g, r.usage());
    cost(g, r.cost(), scratch);
    num(g, F_LATENCY_MICROS, micros(r.latency()));
    if (r.timeToFirstToken() == null) {
      nul(g, F_TIME_TO_FIRST_TOKEN_MICROS);
    } else {
      num(g, F_TIME_TO_FIRST_TOKEN_MICROS, micros(r.timeToFirstToken()));
    }
    arrayStart(g, F_ATTEMPTS);
    attempts(g, r.attempts(), UnaryOperator.identity(), scratch);
    arrayStart(g, F_POLICIES);
    policies(g, r.policies(), UnaryOperator.identity());
    g.writeEndObject();
  }

  /**
   * The attempts as the JSON form writes them, each text through {@code text} (the JDBC sink cuts
   * them to its column), and the array's end; the caller has started the array.
   */
  static void attempts(JsonGenerator g, List<Attempt> attempts, UnaryOperator<String> text)
      throws IOException {
    attempts(g, attempts, text, null);
  }

  /**
   * {@link #attempts(JsonGenerator, List, UnaryOperator)}; with a {@code scratch} array, each
   * deployment is written from it as it is (no {@code text} applied), without a string.
   */
  private static void attempts(JsonGenerator g, List<Attempt> attempts,
      UnaryOperator<String> text, char @Nullable [] scratch) throws IOException {
    for (int i = 0, n = attempts.size(); i < n; i++) {
      Attempt a = attempts.get(i);
      g.writeStartObject();
      num(g, F_NUMBER, a.number());
      str(g, F_KIND, ATTEMPT_KINDS[a.kind().ordinal()]);
      if (scratch == null) {
        str(g, F_DEPLOYMENT, text.apply(a.deployment().toString()));
      } else {
        deployment(g, a.deployment(), scratch);
      }
      str(g, F_OUTCOME, ATTEMPT_OUTCOMES[a.outcome().ordinal()]);
      if (a.httpStatus() == null) {
        nul(g, F_HTTP_STATUS);
      } else {
        num(g, F_HTTP_STATUS, a.httpStatus());
      }
      num(g, F_LATENCY_MICROS, micros(a.latency()));
      nullable(g, F_ERROR_TYPE, a.errorType() == null ? null : text.apply(a.errorType()));
      nullable(g, F_REASON, a.reason() == null ? null : text.apply(a.reason()));
      usage(g, a.usage());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** The policy verdicts as the JSON form writes them; see {@link #attempts}. */
  static void policies(JsonGenerator g, List<PolicyVerdict> policies, UnaryOperator<String> text)
      throws IOException {
    for (int i = 0, n = policies.size(); i < n; i++) {
      PolicyVerdict v = policies.get(i);
      g.writeStartObject();
      str(g, F_POLICY, text.apply(v.policy()));
      str(g, F_VERDICT, text.apply(v.verdict()));
      nullable(g, F_DETAIL, v.detail() == null ? null : text.apply(v.detail()));
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void usage(JsonGenerator g, Usage u) throws IOException {
    objectStart(g, F_USAGE);
    num(g, F_INPUT, u.inputTokens());
    num(g, F_OUTPUT, u.outputTokens());
    num(g, F_CACHED_INPUT, u.cachedInputTokens());
    num(g, F_CACHE_WRITE, u.cacheWriteTokens());
    num(g, F_CACHE_WRITE1H, u.cacheWrite1hTokens());
    num(g, F_REASONING, u.reasoningTokens());
    bool(g, F_ESTIMATED, u.estimated());
    g.writeEndObject();
  }

  private static void str(JsonGenerator g, SerializableString name, String value)
      throws IOException {
    g.writeFieldName(name);
    g.writeString(value);
  }

  /** A timestamp as {@link Instant#toString()} prints it, written from {@code scratch}. */
  private static void instant(JsonGenerator g, SerializableString name, Instant t,
      char[] scratch) throws IOException {
    g.writeFieldName(name);
    int length = JsonChars.instant(t, scratch);
    if (length < 0) {
      g.writeString(t.toString());
    } else {
      g.writeString(scratch, 0, length);
    }
  }

  /** The {@code cost} field: the amount's plain string, written from {@code scratch}. */
  private static void cost(JsonGenerator g, @Nullable BigDecimal cost, char[] scratch)
      throws IOException {
    g.writeFieldName(F_COST);
    if (cost == null) {
      g.writeNull();
      return;
    }
    int length = JsonChars.plain(cost, scratch);
    if (length < 0) {
      g.writeString(cost.toPlainString());
    } else {
      g.writeString(scratch, 0, length);
    }
  }

  /** The {@code deployment} field: {@code provider/model}, written from {@code scratch}. */
  private static void deployment(JsonGenerator g, Deployment d, char[] scratch)
      throws IOException {
    g.writeFieldName(F_DEPLOYMENT);
    int length = JsonChars.deployment(d, scratch);
    if (length < 0) {
      g.writeString(d.toString());
    } else {
      g.writeString(scratch, 0, length);
    }
  }

  private static void num(JsonGenerator g, SerializableString name, long value)
      throws IOException {
    g.writeFieldName(name);
    g.writeNumber(value);
  }

  private static void num(JsonGenerator g, SerializableString name, double value)
      throws IOException {
    g.writeFieldName(name);
    g.writeNumber(value);
  }

  private static void bool(JsonGenerator g, SerializableString name, boolean value)
      throws IOException {
    g.writeFieldName(name);
    g.writeBoolean(value);
  }

  private static void nul(JsonGenerator g, SerializableString name) throws IOException {
    g.writeFieldName(name);
    g.writeNull();
  }

  private static void arrayStart(JsonGenerator g, SerializableString name) throws IOException {
    g.writeFieldName(name);
    g.writeStartArray();
  }

  private static void objectStart(JsonGenerator g, SerializableString name) throws IOException {
    g.writeFieldName(name);
    g.writeStartObject();
  }

  private static void nullable(JsonGenerator g, SerializableString name, @Nullable String value)
      throws IOException {
    g.writeFieldName(name);
    if (value == null) {
      g.writeNull();
    } else {
      g.writeString(value);
    }
  }

  /** Whole microseconds, saturated at the bounds of a long. */
  static long micros(Duration d) {
    try {
      return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1_000);
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }


  /**
   * Reads a call record back from one line (with or without its line end); null for a record of
   * another type (feedback).
   *
   * @throws NewerSchemaException when the line's schema is newer than {@value #SCHEMA}
   * @throws IllegalArgumentException when the line is not a record of this format (not JSON, torn,
   *     a required field missing); the message names the problem, never the line's content
   */
  public static @Nullable UsageRecord read(String line) {
    JsonNode n;
    try {
      n = READER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object (a torn or foreign line) at column "
          + e.getLocation().getColumnNr());
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    int schema = n.path("schema").asInt(-1);
    if (schema < 1) {
      throw new IllegalArgumentException("no schema version");
    }
    if (schema > SCHEMA) {
      throw new NewerSchemaException(schema);
    }
    if (!"call".equals(text(n, "record"))) {
      return null;
    }
    try {
      String outcome = required(n, "outcome");
      UsageRecord.Outcome o = enumOf(UsageRecord.Outcome.class, outcome, "outcome");
      String refusalText = text(n, "refusal");
      UsageRecord.Refusal refusal = refusalText == null ? null
          : enumOf(UsageRecord.Refusal.class, refusalText, "refusal");
      List<PolicyVerdict> policies = new ArrayList<>();
      for (JsonNode v : n.path("policies")) {
        policies.add(new PolicyVerdict(required(v, "policy"), required(v, "verdict"),
            text(v, "detail")));
      }
      JsonNode p = n.path("principal");
      Principal principal = p.isObject()
          ? new Principal(text(p, "org"), text(p, "team"), text(p, "project"), text(p, "user"),
              text(p, "keyId"), Set.of(), Map.of())
          : null;
      List<String> tags = new ArrayList<>();
      n.path("tags").forEach(t -> tags.add(t.asText()));
      String variant = text(n, "variant");
      String deployment = text(n, "deployment");
      String cost = text(n, "cost");
      JsonNode ttft = n.path("timeToFirstTokenMicros");
      List<Attempt> attempts = new ArrayList<>();
      for (JsonNode a : n.path("attempts")) {
        JsonNode status = a.path("httpStatus");
        attempts.add(new Attempt(a.path("number").asInt(),
            Deployment.parse(required(a, "deployment")),
            Attempt.Outcome.valueOf(required(a, "outcome").toUpperCase(Locale.ROOT)),
            status.isNumber() ? status.asInt() : null,
            ofMicros(a.path("latencyMicros").asLong()), text(a, "errorType"), text(a, "reason"),
            usage(a.path("usage")),
            Attempt.Kind.valueOf(required(a, "kind").toUpperCase(Locale.ROOT))));
      }
      return new UsageRecord(required(n, "callId"), Instant.parse(required(n, "timestamp")),
          CallKind.valueOf(required(n, "kind").toUpperCase(Locale.ROOT)), principal,
          required(n, "requestedModel"), deployment == null ? null : Deployment.parse(deployment),
          text(n, "servedModel"), attempts, usage(n.path("usage")),
          cost == null ? null : new BigDecimal(cost), ofMicros(n.path("latencyMicros").asLong()),
          ttft.isNumber() ? ofMicros(ttft.asLong()) : null, o, text(n, "errorType"), Set.copyOf(tags),
          n.path("cacheHit").asBoolean(),
          variant == null ? null
              : new RoutingDecision(List.of("variant " + variant), variant, List.of(), List.of(),
                  false),
          refusal, policies);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("a field of the wrong form: " + e.getClass().getSimpleName(),
          e);
    }
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String field) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown " + field + " '" + bounded(value) + "'");
  }

  private static String bounded(String value) {
    return value.length() <= 32 ? value : value.substring(0, 32) + "...";
  }

  private static Usage usage(JsonNode u) {
    return new Usage(u.path("input").asLong(), u.path("output").asLong(),
        u.path("cachedInput").asLong(), u.path("cacheWrite").asLong(),
        u.path("cacheWrite1h").asLong(), u.path("reasoning").asLong(),
        u.path("estimated").asBoolean());
  }

  private static Duration ofMicros(long micros) {
    return Duration.ofSeconds(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L);
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String required(JsonNode n, String field) {
    String v = text(n, field);
    if (v == null) {
      throw new IllegalArgumentException("required field '" + field + "' is missing");
    }
    return v;
  }
}
