package dev.llmgateway.core.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.llmgateway.Attempt;
import dev.llmgateway.Deployment;
import dev.llmgateway.PolicyVerdict;
import dev.llmgateway.Principal;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.UsageSink;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link UsageSink} that stores each call's {@link UsageRecord} as one row of a PostgreSQL table,
 * in batched inserts, through a {@link DataSource} you give it (core ships no JDBC driver and no
 * pool: bring both, e.g. {@code org.postgresql:postgresql} and HikariCP).
 *
 * <h2>Exactly once in the table, with at-least-once delivery</h2>
 *
 * <p>The table's primary key is the call id and every insert is {@code INSERT ... ON CONFLICT
 * (call_id) DO NOTHING}, so a record delivered twice (a batch retried after a timeout whose commit
 * had in fact succeeded, a dead-letter file replayed) is stored once, and the first copy stays.
 * This sink relies on that: it does not remember what it stored, and a failed batch is simply
 * given to it again by the delivery layer.
 *
 * <p>{@link #acceptBatch} sorts its records by call id (so that concurrent batches lock the key
 * in one order and cannot deadlock one another), keeps the first of several copies of a call, and
 * cuts them into batches of {@link Builder#batchSize(int)}; each
 * batch is one {@code PreparedStatement} batch in one transaction on one connection taken from the
 * data source (auto-commit switched off for it and restored before the connection is closed). A
 * batch that fails is rolled back and throws {@link JdbcUsageSinkException} naming the table and
 * the SQLState, never a record's content; batches before it stay committed, which is harmless,
 * since giving the whole list again stores each call once. {@link #accept} is a batch of one.
 * Before any batch is sent, every record's call id is checked against the key's 64 characters: a
 * longer one throws {@link IllegalArgumentException} (cutting it could merge two calls).
 *
 * <h2>Dialect</h2>
 *
 * <p>PostgreSQL 9.5 or later (for {@code ON CONFLICT}), and the databases that speak its dialect
 * for these statements. Other databases are not supported: their upsert ({@code MERGE}, {@code
 * INSERT IGNORE}) and array types differ, and a fallback is out of scope. With the PostgreSQL
 * driver, {@code reWriteBatchedInserts=true} in the JDBC URL sends a batch as multi-row inserts,
 * several times faster.
 *
 * <h2>The table</h2>
 *
 * <p>{@link #ddl(String)} returns the DDL and {@link #createTableIfMissing()} runs it; for table
 * {@code llm_usage}:
 *
 * <pre>{@code
 * CREATE TABLE IF NOT EXISTS llm_usage (
 *   call_id               varchar(64)  PRIMARY KEY,  -- UsageRecord.callId
 *   schema_version        integer      NOT NULL,     -- UsageRecord.SCHEMA_VERSION
 *   ts                    timestamptz  NOT NULL,     -- timestamp, to the microsecond
 *   kind                  varchar(16)  NOT NULL,     -- chat | stream | embed
 *   outcome               varchar(16)  NOT NULL,     -- succeeded | failed | refused | stream_failed
 *                                                    --   | cancelled | not_started
 *   refusal               varchar(16),               -- authentication | access | limit | budget
 *                                                    --   | policy, when refused
 *   error_type            varchar(128),              -- the exception's simple name
 *   cache_hit             boolean      NOT NULL,
 *   org_id                varchar(256),              -- the principal's parts; all null when
 *   team_id               varchar(256),              --   authentication failed
 *   project_id            varchar(256),
 *   user_id               varchar(256),              -- the host's end-user id (billing data)
 *   key_id                varchar(256),
 *   tags                  text[]       NOT NULL,     -- sorted, at most 64, each <= 256 chars
 *   requested_model       varchar(256) NOT NULL,     -- model, alias or deployment asked for
 *   variant               varchar(256),              -- the A/B variant
 *   provider              varchar(256),              -- the serving deployment's provider
 *   model                 varchar(256),              --   and model
 *   served_model          varchar(256),              -- the model the provider named
 *   input_tokens          bigint       NOT NULL,     -- Usage, summed over the attempts
 *   output_tokens         bigint       NOT NULL,
 *   cached_input_tokens   bigint       NOT NULL,
 *   cache_write_tokens    bigint       NOT NULL,
 *   cache_write_1h_tokens bigint       NOT NULL,
 *   reasoning_tokens      bigint       NOT NULL,
 *   usage_estimated       boolean      NOT NULL,
 *   cost_usd              numeric,                   -- exact; null when a price was unknown
 *   latency_us            bigint       NOT NULL,
 *   ttft_us               bigint,                    -- streams only
 *   attempts              integer      NOT NULL,     -- how many attempts
 *   attempts_json         text         NOT NULL,     -- the attempts, as in the JSON form
 *   policies_json         text         NOT NULL      -- the policy verdicts, as in the JSON form
 * )
 * }</pre>
 *
 * <p>{@code cost_usd} is an unconstrained {@code numeric}, so every cost is stored exactly,
 * whatever its scale, and {@code sum(cost_usd)} is exact. Texts are cut to their column's length
 * (at a character boundary) and NUL characters, which PostgreSQL refuses in text, become U+FFFD;
 * values are always bound as parameters. {@code attempts_json} holds the attempts as the record's
 * JSON form writes them ({@code [{"number":1,"kind":"first","deployment":"openai/gpt-4.1",
 * "outcome":"failed","httpStatus":529,"latencyMicros":20100,"errorType":"...","reason":"...",
 * "usage":{"input":0,...}}]}, every text cut to 512 characters) and {@code policies_json} the verdicts
 * ({@code [{"policy":"pii","verdict":"redacted","detail":"EMAIL x2"}]}). Add the indexes your
 * queries need, e.g. on {@code (team_id, ts)}.
 *
 * <h2>Wiring</h2>
 *
 * <pre>{@code
 * JdbcUsageSink sink = JdbcUsageSink.builder(dataSource)   // e.g. a HikariDataSource
 *     .table("billing.llm_usage")
 *     .batchSize(500)
 *     .build();
 * sink.createTableIfMissing();
 * Gateway gateway = Gateway.builder()
 *     // ...
 *     .usageSink(sink)
 *     .build();
 * }</pre>
 *
 * <p>Given to the gateway directly like this, the sink is called on the thread that ends each call
 * and inserts one row there; behind the gateway's asynchronous usage delivery, records are batched
 * on its own thread and a failed batch is retried.
 *
 * <p>Thread-safe: it holds only its configuration and the data source, and each batch uses its own
 * connection, so it may be called from several threads at once if the data source may be.
 */
public final class JdbcUsageSink implements UsageSink {

  /** The table written to unless {@link Builder#table(String)} names another. */
  public static final String DEFAULT_TABLE = "llm_usage";

  /** Records per batch (and transaction) unless {@link Builder#batchSize(int)} says otherwise. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  /** The largest batch size accepted. */
  public static final int MAX_BATCH_SIZE = 10_000;

  static final int CALL_ID_LENGTH = 64;
  static final int NAME_LENGTH = 256;
  static final int ERROR_TYPE_LENGTH = 128;
  static final int JSON_TEXT_LENGTH = 512;
  static final int MAX_TAGS = 64;

  private static final Logger log = LoggerFactory.getLogger(JdbcUsageSink.class);

  private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]{0,62}";
  private static final Pattern TABLE = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")?");

  /** The columns in insert order, each with its PostgreSQL type and constraint. */
  private static final String[][] COLUMNS = {
    {"call_id", "varchar(64)", "PRIMARY KEY"},
    {"schema_version", "integer", "NOT NULL"},
    {"ts", "timestamptz", "NOT NULL"},
    {"kind", "varchar(16)", "NOT NULL"},
    {"outcome", "varchar(16)", "NOT NULL"},
    {"refusal", "varchar(16)", ""},
    {"error_type", "varchar(128)", ""},
    {"cache_hit", "boolean", "NOT NULL"},
    {"org_id", "varchar(256)", ""},
    {"team_id", "varchar(256)", ""},
    {"project_id", "varchar(256)", ""},
    {"user_id", "varchar(256)", ""},
    {"key_id", "varchar(256)", ""},
    {"tags", "text[]", "NOT NULL"},
    {"requested_model", "varchar(256)", "NOT NULL"},
    {"variant", "varchar(256)", ""},
    {"provider", "varchar(256)", ""},
    {"model", "varchar(256)", ""},
    {"served_model", "varchar(256)", ""},
    {"input_tokens", "bigint", "NOT NULL"},
    {"output_tokens", "bigint", "NOT NULL"},
    {"cached_input_tokens", "bigint", "NOT NULL"},
    {"cache_write_tokens", "bigint", "NOT NULL"},
    {"cache_write_1h_tokens", "bigint", "NOT NULL"},
    {"reasoning_tokens", "bigint", "NOT NULL"},
    {"usage_estimated", "boolean", "NOT NULL"},
    {"cost_usd", "numeric", ""},
    {"latency_us", "bigint", "NOT NULL"},
    {"ttft_us", "bigint", ""},
    {"attempts", "integer", "NOT NULL"},
    {"attempts_json", "text", "NOT NULL"},
    {"policies_json", "text", "NOT NULL"},
  };

  private static final JsonFactory JSON = new JsonFactory();

  private final DataSource dataSource;
  private final String table;
  private final int batchSize;
  private final String insert;

  private JdbcUsageSink(Builder builder) {
    this.dataSource = builder.dataSource;
    this.table = builder.table;
    this.batchSize = builder.batchSize;
    this.insert = insertStatement(table);
  }

  /** A builder for a sink writing through this data source. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * The PostgreSQL DDL of the table, {@code CREATE TABLE IF NOT EXISTS ...}, as the class javadoc
   * shows it.
   *
   * @param table the table's name, optionally schema-qualified ({@code billing.llm_usage})
   * @throws IllegalArgumentException if the name is not an identifier as {@link
   *     Builder#table(String)} states
   */
  public static String ddl(String table) {
    checkTable(table);
    StringBuilder s = new StringBuilder(1200).append("CREATE TABLE IF NOT EXISTS ").append(table)
        .append(" (\n");
    for (int i = 0; i < COLUMNS.length; i++) {
      s.append(String.format(Locale.ROOT, "  %-21s %-12s %s", (Object[]) COLUMNS[i]).stripTrailing()).append(i == COLUMNS.length - 1 ? "\n" : ",\n");
    }
    return s.append(')').toString();
  }

  /** The table this sink writes to. */
  public String table() {
    return table;
  }

  /** The most records sent in one batch and transaction. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Creates the table ({@link #ddl(String)}) unless it exists.
   *
   * @throws JdbcUsageSinkException if the statement fails
   */
  public void createTableIfMissing() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(ddl(table));
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException e) {
      throw failure("could not create table " + table, e);
    }
  }

  /**
   * Stores one record, in a transaction of its own.
   *
   * @throws JdbcUsageSinkException if it could not be stored
   * @throws IllegalArgumentException if its call id is longer than 64 characters
   */
  @Override
  public void accept(UsageRecord record) {
    acceptBatch(List.of(record));
  }

  /**
   * Stores the records, {@link #batchSize()} at a time, each batch in one transaction; a call id
   * already in the table is left as it is.
   *
   * @throws JdbcUsageSinkException if a batch could not be stored (the batches before it are
   *     committed: give the whole list again)
   * @throws IllegalArgumentException if a call id is longer than 64 characters (nothing is stored)
   */
  @Override
  public void acceptBatch(List<UsageRecord> records) {
    for (UsageRecord r : records) {
      if (r.callId().length() > CALL_ID_LENGTH) {
        throw new IllegalArgumentException("a call id stored by " + this + " has at most "
            + CALL_ID_LENGTH + " characters, was " + r.callId().length());
      }
    }
    List<UsageRecord> sorted = inCallIdOrder(records);
    for (int from = 0; from < sorted.size(); from += batchSize) {
      store(sorted.subList(from, Math.min(sorted.size(), from + batchSize)));
    }
  }

  /**
   * The records sorted by call id, the first of several copies of a call kept: so concurrent
   * batches take the key's locks in one order, and two batches holding the same calls in opposite
   * orders cannot deadlock (PostgreSQL would abort one with SQLState 40P01).
   */
  private static List<UsageRecord> inCallIdOrder(List<UsageRecord> records) {
    if (records.size() == 1) {
      return records;
    }
    List<UsageRecord> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparing(UsageRecord::callId));
    List<UsageRecord> unique = new ArrayList<>(sorted.size());
    for (UsageRecord r : sorted) {
      if (unique.isEmpty() || !unique.get(unique.size() - 1).callId().equals(r.callId())) {
        unique.add(r);
      }
    }
    return unique;
  }

  private void store(List<UsageRecord> batch) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      if (autoCommit) {
        c.setAutoCommit(false);
      }
      try {
        insert(c, batch);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        if (autoCommit) {
          restoreAutoCommit(c);
        }
      }
    } catch (SQLException e) {
      throw failure("could not store " + batch.size() + (batch.size() == 1 ? " usage record"
          : " usage records") + " in table " + table, e);
    }
  }

  private void insert(Connection c, List<UsageRecord> batch) throws SQLException {
    List<Array> arrays = new ArrayList<>(batch.size());
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      for (UsageRecord r : batch) {
        Array tags = c.createArrayOf("text", tags(r));
        arrays.add(tags);
        bind(ps, r, tags);
        ps.addBatch();
      }
      ps.executeBatch();
    } finally {
      for (Array a : arrays) {
        try {
          a.free();
        } catch (SQLException e) {
          log.debug("freeing a tag array of table {} failed: SQLState {}", table, e.getSQLState());
        }
      }
    }
  }

  private static void bind(PreparedStatement ps, UsageRecord r, Array tags) throws SQLException {
    Principal p = r.principal();
    Deployment d = r.deployment();
    Usage u = r.usage();
    int i = 1;
    ps.setString(i++, r.callId());
    ps.setInt(i++, UsageRecord.SCHEMA_VERSION);
    ps.setObject(i++, OffsetDateTime.ofInstant(r.timestamp(), ZoneOffset.UTC));
    ps.setString(i++, lower(r.kind()));
    ps.setString(i++, lower(r.outcome()));
    text(ps, i++, r.refusal() == null ? null : lower(r.refusal()), 16);
    text(ps, i++, r.errorType(), ERROR_TYPE_LENGTH);
    ps.setBoolean(i++, r.cacheHit());
    text(ps, i++, p == null ? null : p.orgId(), NAME_LENGTH);
    text(ps, i++, p == null ? null : p.teamId(), NAME_LENGTH);
    text(ps, i++, p == null ? null : p.projectId(), NAME_LENGTH);
    text(ps, i++, p == null ? null : p.userId(), NAME_LENGTH);
    text(ps, i++, p == null ? null : p.keyId(), NAME_LENGTH);
    ps.setArray(i++, tags);
    text(ps, i++, r.requestedModel(), NAME_LENGTH);
    text(ps, i++, r.variant(), NAME_LENGTH);
    text(ps, i++, d == null ? null : d.provider(), NAME_LENGTH);
    text(ps, i++, d == null ? null : d.model(), NAME_LENGTH);
    text(ps, i++, r.servedModel(), NAME_LENGTH);
    ps.setLong(i++, u.inputTokens());
    ps.setLong(i++, u.outputTokens());
    ps.setLong(i++, u.cachedInputTokens());
    ps.setLong(i++, u.cacheWriteTokens());
    ps.setLong(i++, u.cacheWrite1hTokens());
    ps.setLong(i++, u.reasoningTokens());
    ps.setBoolean(i++, u.estimated());
    if (r.cost() == null) {
      ps.setNull(i++, Types.NUMERIC);
    } else {
      ps.setBigDecimal(i++, r.cost());
    }
    ps.setLong(i++, UsageRecordJson.micros(r.latency()));
    if (r.timeToFirstToken() == null) {
      ps.setNull(i++, Types.BIGINT);
    } else {
      ps.setLong(i++, UsageRecordJson.micros(r.timeToFirstToken()));
    }
    ps.setInt(i++, r.attempts().size());
    ps.setString(i++, attemptsJson(r.attempts()));
    ps.setString(i, policiesJson(r.policies()));
  }

  private static void text(PreparedStatement ps, int index, @Nullable String value, int max)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, bounded(value, max));
    }
  }

  /** The text without NUL characters (PostgreSQL refuses them), cut to {@code max} chars. */
  static String bounded(String value, int max) {
    String s = value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  private static String[] tags(UsageRecord r) {
    TreeSet<String> sorted = new TreeSet<>();
    for (String tag : r.tags()) {
      sorted.add(bounded(tag, NAME_LENGTH));
    }
    return sorted.stream().limit(MAX_TAGS).toArray(String[]::new);
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** The attempts in the JSON form's shape, texts cut to {@value #JSON_TEXT_LENGTH} characters. */
  static String attemptsJson(List<Attempt> attempts) {
    StringWriter out = new StringWriter(64 + 256 * attempts.size());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      UsageRecordJson.attempts(g, attempts, JdbcUsageSink::jsonText);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The policy verdicts in the JSON form's shape, texts cut as {@link #attemptsJson} does. */
  static String policiesJson(List<PolicyVerdict> policies) {
    StringWriter out = new StringWriter(2 + 80 * policies.size());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      UsageRecordJson.policies(g, policies, JdbcUsageSink::jsonText);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String jsonText(String value) {
    return bounded(value, JSON_TEXT_LENGTH);
  }

  private void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("rolling back a batch of table {} failed: SQLState {}", table, e.getSQLState());
    }
  }

  private void restoreAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      log.debug("restoring auto-commit after a batch of table {} failed: SQLState {}", table,
          e.getSQLState());
    }
  }

  private JdbcUsageSinkException failure(String what, SQLException e) {
    SQLException source = e;
    for (SQLException next = e; next != null; next = next.getNextException()) {
      if (next.getSQLState() != null) {
        source = next;
        break;
      }
    }
    String state = source.getSQLState();
    SQLException withheld = new SQLException(e.getClass().getName()
        + " (message withheld: drivers quote the statement's values in it)", state,
        source.getErrorCode());
    withheld.setStackTrace(e.getStackTrace());
    String message = what + ": SQLState " + (state == null ? "unknown" : state
        + SqlStates.describe(state));
    if (e instanceof BatchUpdateException) {
      message += " (the batch was rolled back)";
    }
    return new JdbcUsageSinkException(message, table, state, withheld);
  }

  private static String insertStatement(String table) {
    StringBuilder s = new StringBuilder(900).append("INSERT INTO ").append(table).append(" (");
    for (int i = 0; i < COLUMNS.length; i++) {
      s.append(i == 0 ? "" : ", ").append(COLUMNS[i][0]);
    }
    s.append(") VALUES (");
    for (int i = 0; i < COLUMNS.length; i++) {
      s.append(i == 0 ? "?" : ", ?");
    }
    return s.append(") ON CONFLICT (call_id) DO NOTHING").toString();
  }

  static void checkTable(String table) {
    Objects.requireNonNull(table, "table");
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("a usage table's name is an SQL identifier, optionally"
          + " schema-qualified, used unquoted: a letter or underscore, then at most 62 letters,"
          + " digits or underscores (" + IDENTIFIER + "), e.g. llm_usage or billing.llm_usage;"
          + " was '" + bounded(table, 80) + "'");
    }
  }

  /** The table and batch size, e.g. {@code JdbcUsageSink[table=llm_usage, batchSize=500]}. */
  @Override
  public String toString() {
    return "JdbcUsageSink[table=" + table + ", batchSize=" + batchSize + "]";
  }

  /**
   * Builds a {@link JdbcUsageSink}. Not thread-safe; {@link #build()} may be called again for
   * another sink.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private String table = DEFAULT_TABLE;
    private int batchSize = DEFAULT_BATCH_SIZE;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Sets the table, {@value JdbcUsageSink#DEFAULT_TABLE} unless set: a name, or a schema and a
     * name joined by a dot, each a letter or underscore then at most 62 letters, digits or
     * underscores ({@code [A-Za-z_][A-Za-z0-9_]{0,62}}). It is written into the statements
     * unquoted, so PostgreSQL folds it to lower case; it must not be a reserved word.
     *
     * @throws IllegalArgumentException if the name is not such an identifier
     */
    public Builder table(String table) {
      checkTable(table);
      this.table = table;
      return this;
    }

    /**
     * Sets the most records sent in one batch and committed in one transaction, from 1 to {@value
     * JdbcUsageSink#MAX_BATCH_SIZE}; {@value JdbcUsageSink#DEFAULT_BATCH_SIZE} unless set.
     *
     * @throws IllegalArgumentException if out of that range
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
        throw new IllegalArgumentException(
            "batchSize must be from 1 to " + MAX_BATCH_SIZE + ", was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Builds the sink; it connects only when it stores. */
    public JdbcUsageSink build() {
      return new JdbcUsageSink(this);
    }
  }
}
