package dev.llmgateway.core.budget;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.core.limit.Scope;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The snapshot file of {@link InMemoryBudgetStore}: JSON Lines, UTF-8, one object per line —
 *
 * <pre>
 * {"format":"llm-gateway-budget-store","version":1}
 * {"counter":0,"budget":"team-monthly","scope":"team","tenant":"acme","id":"support",
 *  "periodStart":"2026-12-01T00:00:00Z","periodEnd":"2027-01-01T00:00:00Z","spent":1250000,"marks":1}
 * {"hold":"4k2q-17","counters":[0],"amount":40000,"leaseUntil":"2026-12-07T10:11:00Z"}
 * {"settled":"4k2q-16","until":"2026-12-07T10:25:00Z"}
 * {"end":true,"counters":1,"holds":1,"settled":1}
 * </pre>
 *
 * — counters first (numbered from 0 in order), then reservations naming their counters by number,
 * then settled call ids, and a last line whose counts must match (a cut file is refused). Amounts
 * are nano-dollars; a counter's reserved figure is not written but recomputed from the holds.
 * Reading is bounded: the file's size, each line's length, the number of counters, each string's
 * length; any violation is a {@link BudgetSnapshotException} naming the line.
 */
final class SnapshotFile {
  static final String FORMAT = "llm-gateway-budget-store";
  static final int VERSION = 1;
  static final int MAX_LINE_BYTES = 4096;
  static final int MAX_TEXT = 1024;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(4).maxStringLength(MAX_LINE_BYTES).maxNumberLength(24).build())
      .build();
  private static final ObjectMapper READER = new ObjectMapper(FACTORY);

  private SnapshotFile() {}

  record CounterLine(BudgetCounter counter, long spent, int marks) {}

  record HoldLine(String callId, List<BudgetCounter> counters, long amount, Instant leaseUntil) {}

  record SettledLine(String callId, Instant until) {}

  record Contents(List<CounterLine> counters, List<HoldLine> holds, List<SettledLine> settled) {}

  static void write(Path file, List<CounterLine> counters, Map<BudgetCounter, Integer> index,
      List<HoldLine> holds, List<SettledLine> settled) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
        JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setRootValueSeparator(null);
      g.writeStartObject();
      g.writeStringField("format", FORMAT);
      g.writeNumberField("version", VERSION);
      g.writeEndObject();
      newline(g);
      for (int i = 0; i < counters.size(); i++) {
        CounterLine c = counters.get(i);
        BudgetCounter k = c.counter();
        g.writeStartObject();
        g.writeNumberField("counter", i);
        g.writeStringField("budget", k.budget());
        g.writeStringField("scope", k.scope().label());
        g.writeStringField("tenant", k.tenant());
        g.writeStringField("id", k.id());
        g.writeStringField("periodStart", k.periodStart().toString());
        g.writeStringField("periodEnd", k.periodEnd().toString());
        g.writeNumberField("spent", c.spent());
        g.writeNumberField("marks", c.marks());
        g.writeEndObject();
        newline(g);
      }
      for (HoldLine h : holds) {
        g.writeStartObject();
        g.writeStringField("hold", h.callId());
        g.writeArrayFieldStart("counters");
        for (BudgetCounter k : h.counters()) {
          g.writeNumber(index.get(k));
        }
        g.writeEndArray();
        g.writeNumberField("amount", h.amount());
        g.writeStringField("leaseUntil", h.leaseUntil().toString());
        g.writeEndObject();
        newline(g);
      }
      for (SettledLine s : settled) {
        g.writeStartObject();
        g.writeStringField("settled", s.callId());
        g.writeStringField("until", s.until().toString());
        g.writeEndObject();
        newline(g);
      }
      g.writeStartObject();
      g.writeBooleanField("end", true);
      g.writeNumberField("counters", counters.size());
      g.writeNumberField("holds", holds.size());
      g.writeNumberField("settled", settled.size());
      g.writeEndObject();
      newline(g);
    }
  }

  private static void newline(JsonGenerator g) throws IOException {
    g.writeRaw('\n');
  }

  static Contents read(Path file, long maxBytes, int maxCounters) throws IOException {
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new BudgetSnapshotException("the budget snapshot is " + size + " bytes, more than the"
          + " " + maxBytes + " this store reads (InMemoryBudgetStore.builder().maxSnapshotBytes)");
    }
    List<CounterLine> counters = new ArrayList<>();
    Set<BudgetCounter> seenCounters = new HashSet<>();
    List<HoldLine> holds = new ArrayList<>();
    List<SettledLine> settled = new ArrayList<>();
    Set<String> callIds = new HashSet<>();
    Map<String, Scope> scopes = new HashMap<>();
    for (Scope s : Scope.values()) {
      scopes.put(s.label(), s);
    }
    try (InputStream in = Files.newInputStream(file)) {
      LineReader lines = new LineReader(in, maxBytes);
      int n = 0;
      boolean ended = false;
      byte[] line;
      while ((line = lines.next()) != null) {
        n++;
        if (ended) {
          throw bad(n, "a line after the end line");
        }
        JsonNode o = parse(n, line);
        if (n == 1) {
          if (!FORMAT.equals(text(o, "format", n, 64, true))) {
            throw bad(n, "not a budget store snapshot (its first line must name the format '"
                + FORMAT + "')");
          }
          long version = number(o, "version", n);
          if (version != VERSION) {
            throw bad(n, "snapshot version " + version + " is not the version this store reads ("
                + VERSION + ")");
          }
        } else if (o.has("end")) {
          if (number(o, "counters", n) != counters.size() || number(o, "holds", n) != holds.size()
              || number(o, "settled", n) != settled.size()) {
            throw bad(n, "the end line's counts differ from the lines above (" + counters.size()
                + " counters, " + holds.size() + " reservations, " + settled.size() + " settled)");
          }
          ended = true;
        } else if (o.has("counter")) {
          if (!holds.isEmpty() || !settled.isEmpty()) {
            throw bad(n, "a counter after the reservations");
          }
          if (number(o, "counter", n) != counters.size()) {
            throw bad(n, "counter numbered " + o.get("counter") + ", expected " + counters.size());
          }
          if (counters.size() >= maxCounters) {
            throw bad(n, "more than " + maxCounters + " counters (InMemoryBudgetStore.builder()"
                + ".maxCounters)");
          }
          Scope scope = scopes.get(text(o, "scope", n, 16, true));
          if (scope == null) {
            throw bad(n, "unknown scope " + o.get("scope"));
          }
          Instant start = instant(o, "periodStart", n);
          Instant end = instant(o, "periodEnd", n);
          if (!end.isAfter(start)) {
            throw bad(n, "a period that does not end after it starts");
          }
          BudgetCounter key = new BudgetCounter(text(o, "budget", n, Budget.MAX_NAME_LENGTH, true),
              scope, text(o, "tenant", n, MAX_TEXT, false), text(o, "id", n, MAX_TEXT, true),
              start, end);
          if (!seenCounters.add(key)) {
            throw bad(n, "a counter written twice");
          }
          long marks = number(o, "marks", n);
          if (marks > 0xFFFF) {
            throw bad(n, "marks out of range");
          }
          counters.add(new CounterLine(key, number(o, "spent", n), (int) marks));
        } else if (o.has("hold")) {
          if (!settled.isEmpty()) {
            throw bad(n, "a reservation after the settled calls");
          }
          String callId = text(o, "hold", n, MAX_TEXT, true);
          if (!callIds.add(callId)) {
            throw bad(n, "a call id written twice");
          }
          JsonNode refs = o.get("counters");
          if (refs == null || !refs.isArray() || refs.isEmpty()
              || refs.size() > InMemoryBudgetStore.MAX_COUNTERS_PER_CALL) {
            throw bad(n, "'counters' must list 1 to " + InMemoryBudgetStore.MAX_COUNTERS_PER_CALL
                + " counter numbers");
          }
          List<BudgetCounter> keys = new ArrayList<>(refs.size());
          for (JsonNode ref : refs) {
            if (!ref.canConvertToInt() || !ref.isIntegralNumber() || ref.intValue() < 0
                || ref.intValue() >= counters.size()) {
              throw bad(n, "a reservation names counter " + ref + ", which is not written above");
            }
            BudgetCounter k = counters.get(ref.intValue()).counter();
            if (keys.contains(k)) {
              throw bad(n, "a reservation names one counter twice");
            }
            keys.add(k);
          }
          holds.add(new HoldLine(callId, List.copyOf(keys), number(o, "amount", n),
              instant(o, "leaseUntil", n)));
        } else if (o.has("settled")) {
          String callId = text(o, "settled", n, MAX_TEXT, true);
          if (!callIds.add(callId)) {
            throw bad(n, "a call id written twice");
          }
          settled.add(new SettledLine(callId, instant(o, "until", n)));
        } else {
          throw bad(n, "a line that is no counter, reservation, settled call or end");
        }
      }
      if (n == 0) {
        throw new BudgetSnapshotException("the budget snapshot is empty");
      }
      if (!ended) {
        throw new BudgetSnapshotException("the budget snapshot has no end line after line " + n
            + ": it was cut short");
      }
    }
    return new Contents(counters, holds, settled);
  }

  private static JsonNode parse(int n, byte[] line) throws BudgetSnapshotException {
    try {
      JsonNode node = READER.readTree(line);
      if (node == null || !node.isObject()) {
        throw bad(n, "not a JSON object");
      }
      return node;
    } catch (BudgetSnapshotException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw new BudgetSnapshotException("budget snapshot line " + n + ": not valid JSON ("
          + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new BudgetSnapshotException("budget snapshot line " + n + ": unreadable", e);
    }
  }

  private static String text(JsonNode o, String field, int n, int max, boolean nonEmpty)
      throws BudgetSnapshotException {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw bad(n, "'" + field + "' must be a string");
    }
    String s = v.textValue();
    if (s.length() > max || (nonEmpty && s.isEmpty())) {
      throw bad(n, "'" + field + "' must be " + (nonEmpty ? "1" : "0") + " to " + max
          + " characters, was " + s.length());
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw bad(n, "'" + field + "' holds a control character");
      }
    }
    return s;
  }

  private static long number(JsonNode o, String field, int n) throws BudgetSnapshotException {
    JsonNode v = o.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw bad(n, "'" + field + "' must be a whole number, at least 0");
    }
    return v.longValue();
  }

  private static Instant instant(JsonNode o, String field, int n)
      throws BudgetSnapshotException {
    String s = text(o, field, n, 64, true);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw bad(n, "'" + field + "' must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
    }
  }

  private static BudgetSnapshotException bad(int n, String what) {
    return new BudgetSnapshotException("budget snapshot line " + n + ": " + what);
  }

  /** Lines of at most {@link #MAX_LINE_BYTES}, and at most {@code maxBytes} in all. */
  private static final class LineReader {
    private final InputStream in;
    private final long maxBytes;
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int limit;
    private long total;
    private int lineNumber;

    LineReader(InputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    byte[] next() throws IOException {
      ByteArrayOutputStream line = null;
      int length = 0;
      for (;;) {
        if (pos == limit) {
          limit = in.read(buffer);
          pos = 0;
          if (limit <= 0) {
            limit = 0;
            if (line == null && length == 0) {
              return null;
            }
            throw new BudgetSnapshotException("budget snapshot line " + (lineNumber + 1)
                + ": the file ends without a line break: it was cut short");
          }
          total += limit;
          if (total > maxBytes) {
            throw new BudgetSnapshotException("the budget snapshot is larger than the " + maxBytes
                + " bytes this store reads");
          }
        }
        byte b = buffer[pos++];
        if (b == '\n') {
          lineNumber++;
          return line == null ? new byte[0] : line.toByteArray();
        }
        if (++length > MAX_LINE_BYTES) {
          throw new BudgetSnapshotException("budget snapshot line " + (lineNumber + 1)
              + " is longer than " + MAX_LINE_BYTES + " bytes");
        }
        if (line == null) {
          line = new ByteArrayOutputStream(256);
        }
        line.write(b);
      }
    }
  }
}
