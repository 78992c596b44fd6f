package dev.llmgateway.it.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.Attempt;
import dev.llmgateway.CallKind;
import dev.llmgateway.Deployment;
import dev.llmgateway.PolicyVerdict;
import dev.llmgateway.Principal;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.UsageRecord.Outcome;
import dev.llmgateway.UsageRecord.Refusal;
import dev.llmgateway.core.usage.JdbcUsageSink;
import dev.llmgateway.core.usage.JdbcUsageSinkException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link JdbcUsageSink} on a real PostgreSQL ({@link LocalPostgres}): at-least-once delivery
 * stores each call once with its exact cost, every column round-trips, a failing batch names its
 * table and SQLState and nothing else, and hostile values are stored as they are.
 */
@Timeout(180)
class JdbcUsageSinkTest {

  private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
  private static final String[] TEAMS = {"search", "support", "billing", "ads", "growth", "infra",
      "mobile", "web", "data", "risk", "legal", "o'brien; team"};
  private static final Deployment[] DEPLOYMENTS = {new Deployment("openai", "gpt-4.1"),
      new Deployment("openai", "gpt-4.1-mini"), new Deployment("anthropic", "claude-sonnet-4-5"),
      new Deployment("gemini", "gemini-2.5-flash"),
      new Deployment("openrouter", "meta-llama/llama-3.1-70b")};
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalPostgres postgres;
  private static PGSimpleDataSource admin;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = LocalPostgres.start();
    admin = new PGSimpleDataSource();
    admin.setURL(postgres.jdbcUrl());
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void tenThousandRecordsEachDeliveredTwiceStoreTenThousandRowsWithTheirExactCostSum()
      throws Exception {
    Random random = new Random(26);
    List<UsageRecord> records = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      records.add(generated(random, i));
    }
    BigDecimal cost = BigDecimal.ZERO;
    Map<String, BigDecimal> costPerTeam = new HashMap<>();
    long unknownCost = 0;
    long estimated = 0;
    long refused = 0;
    for (UsageRecord r : records) {
      if (r.cost() == null) {
        unknownCost++;
      } else {
        cost = cost.add(r.cost());
        if (r.principal() != null) {
          costPerTeam.merge(r.principal().teamId(), r.cost(), BigDecimal::add);
        }
      }
      estimated += r.usage().estimated() ? 1 : 0;
      refused += r.outcome() == Outcome.REFUSED ? 1 : 0;
    }
    assertThat(unknownCost).as("the generator plants unknown costs").isPositive();
    assertThat(estimated).as("and estimated usage").isPositive();
    assertThat(refused).as("and refusals").isPositive();

    List<UsageRecord> deliveries = new ArrayList<>(records);
    deliveries.addAll(records);
    Collections.shuffle(deliveries, random);
    List<List<UsageRecord>> chunks = new ArrayList<>();
    for (int from = 0; from < deliveries.size(); ) {
      int to = Math.min(deliveries.size(), from + 1 + random.nextInt(700));
      chunks.add(deliveries.subList(from, to));
      from = to;
    }
    CountingDataSource counting = new CountingDataSource(postgres.jdbcUrl());
    JdbcUsageSink sink = JdbcUsageSink.builder(counting).table("usage_twice").batchSize(250)
        .build();
    sink.createTableIfMissing();
    ExecutorService delivery = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (List<UsageRecord> chunk : chunks) {
        done.add(delivery.submit(() -> sink.acceptBatch(chunk)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      delivery.shutdown();
      assertThat(delivery.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(query("select count(*) from usage_twice")).isEqualTo(10_000L);
    assertThat(query("select count(distinct call_id) from usage_twice")).isEqualTo(10_000L);
    assertThat((BigDecimal) query("select sum(cost_usd) from usage_twice"))
        .isEqualByComparingTo(cost);
    assertThat(query("select count(*) from usage_twice where cost_usd is null"))
        .isEqualTo(unknownCost);
    assertThat(query("select count(*) from usage_twice where usage_estimated"))
        .isEqualTo(estimated);
    assertThat(query("select count(*) from usage_twice where outcome = 'refused'"))
        .isEqualTo(refused);
    Map<String, BigDecimal> stored = new HashMap<>();
    try (Connection c = admin.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select team_id, sum(cost_usd) from usage_twice"
            + " where team_id is not null and cost_usd is not null group by team_id")) {
      while (rs.next()) {
        stored.put(rs.getString(1), rs.getBigDecimal(2));
      }
    }
    assertThat(stored.keySet()).isEqualTo(costPerTeam.keySet());
    costPerTeam.forEach((team, sum) -> assertThat(stored.get(team)).as(team)
        .isEqualByComparingTo(sum));
    for (int i = 0; i < records.size(); i += 997) {
      assertStored("usage_twice", records.get(i));
    }
    assertThat(counting.open()).as("connections not returned").isZero();
    assertThat(counting.closedWithoutAutoCommit()).isZero();
  }

  @Test
  void everyColumnHoldsItsRecordsField() throws Exception {
    JdbcUsageSink sink = JdbcUsageSink.builder(admin).table("usage_columns").build();
    sink.createTableIfMissing();
    List<UsageRecord> records = List.of(complete(), refusedBeforeAuthentication(), cacheHit());
    sink.acceptBatch(records);
    sink.accept(records.get(0));

    assertThat(query("select count(*) from usage_columns")).isEqualTo(3L);
    for (UsageRecord r : records) {
      assertStored("usage_columns", r);
    }
  }

  @Test
  void theFirstCopyOfACallStaysWhenAChangedCopyArrivesLater() throws Exception {
    JdbcUsageSink sink = JdbcUsageSink.builder(admin).table("usage_first_wins").build();
    sink.createTableIfMissing();
    UsageRecord first = complete();
    sink.accept(first);
    sink.accept(copy(first, "c-changed", new BigDecimal("99")));

    assertThat(query("select count(*) from usage_first_wins")).isEqualTo(1L);
    assertStored("usage_first_wins", first);
  }

  @Test
  void aDroppedTableFailsTheBatchNamingTableAndSqlStateButNoRecordContent() throws Exception {
    CountingDataSource counting = new CountingDataSource(postgres.jdbcUrl());
    JdbcUsageSink sink = JdbcUsageSink.builder(counting).table("usage_dropped").build();
    sink.createTableIfMissing();
    execute("drop table usage_dropped");
    List<UsageRecord> secret = List.of(withTeam(complete(), "call-secret-1", "team-secret-7f3a"),
        withTeam(complete(), "call-secret-2", "team-secret-7f3a"));

    assertThatThrownBy(() -> sink.acceptBatch(secret))
        .isInstanceOfSatisfying(JdbcUsageSinkException.class, e -> {
          assertThat(e.table()).isEqualTo("usage_dropped");
          assertThat(e.sqlState()).isEqualTo("42P01");
          assertThat(e.getMessage()).contains("usage_dropped", "42P01", "2 usage records");
          assertNoRecordContent(e, "secret");
        });
    assertThat(counting.open()).as("connections not returned").isZero();
    assertThat(counting.closedWithoutAutoCommit()).isZero();
  }

  @Test
  void aConstraintViolationRollsTheWholeBatchBackAndRedeliveryStoresTheRest() throws Exception {
    CountingDataSource counting = new CountingDataSource(postgres.jdbcUrl());
    JdbcUsageSink sink = JdbcUsageSink.builder(counting).table("usage_checked").build();
    sink.createTableIfMissing();
    execute("alter table usage_checked add constraint cost_not_negative check (cost_usd >= 0)");
    UsageRecord good1 = withTeam(complete(), "call-secret-a", "team-secret-1");
    UsageRecord bad = copy(withTeam(complete(), "call-secret-b", "team-secret-2"),
        "call-secret-b", new BigDecimal("-0.000000000001"));
    UsageRecord good2 = withTeam(complete(), "call-secret-c", "team-secret-3");

    assertThatThrownBy(() -> sink.acceptBatch(List.of(good1, bad, good2)))
        .isInstanceOfSatisfying(JdbcUsageSinkException.class, e -> {
          assertThat(e.sqlState()).isEqualTo("23514");
          assertThat(e.getMessage()).contains("usage_checked", "23514",
              "integrity constraint violation");
          assertNoRecordContent(e, "secret");
        });
    assertThat(query("select count(*) from usage_checked")).isEqualTo(0L);

    sink.acceptBatch(List.of(good1, good2));
    assertThat(query("select count(*) from usage_checked")).isEqualTo(2L);
    assertThat(counting.open()).isZero();
    assertThat(counting.closedWithoutAutoCommit()).isZero();
  }

  @Test
  void hostileTextIsStoredVerbatimAsParametersNeverAsSql() throws Exception {
    JdbcUsageSink sink = JdbcUsageSink.builder(admin).table("usage_hostile").build();
    sink.createTableIfMissing();
    String team = "x'); DROP TABLE usage_hostile; --";
    String project = "Robert\"; DELETE FROM usage_hostile WHERE '1'='1";
    String tag = "a,b;\"c' {d}";
    Principal principal = Principal.builder().org("$$; select 1; $$").team(team)
        .project(project).user("u\u0000x").keyId("k\\1").build();
    UsageRecord hostile = new UsageRecord("call-'hostile'", micros(START), CallKind.CHAT,
        principal, "smart'--", null, null, List.of(), Usage.ZERO, null, Duration.ZERO, null,
        Outcome.FAILED, "Oops\"Exception", Set.of(tag, "plain"), false, null, null,
        List.of(new PolicyVerdict("pii", "flagged", "quote ' and \" and \\")));

    sink.accept(hostile);

    assertThat(query("select count(*) from usage_hostile")).isEqualTo(1L);
    try (Connection c = admin.getConnection(); PreparedStatement ps = c.prepareStatement(
        "select * from usage_hostile where call_id = ?")) {
      ps.setString(1, "call-'hostile'");
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("team_id")).isEqualTo(team);
        assertThat(rs.getString("project_id")).isEqualTo(project);
        assertThat(rs.getString("org_id")).isEqualTo("$$; select 1; $$");
        assertThat(rs.getString("user_id")).as("NUL, which PostgreSQL refuses, is replaced")
            .isEqualTo("u\uFFFDx");
        assertThat(rs.getString("key_id")).isEqualTo("k\\1");
        assertThat((String[]) rs.getArray("tags").getArray()).containsExactly(tag, "plain");
        assertThat(JSON.readTree(rs.getString("policies_json")).get(0).get("detail").asText())
            .isEqualTo("quote ' and \" and \\");
      }
    }
  }

  @Test
  void overlongTextIsCutToItsColumnAndAnOverlongCallIdIsRefusedBeforeAnyWrite()
      throws Exception {
    JdbcUsageSink sink = JdbcUsageSink.builder(admin).table("usage_long").build();
    sink.createTableIfMissing();
    String team = "t".repeat(255) + "\uD83D\uDE00" + "tail";
    sink.accept(withTeam(complete(), "call-long", team));
    assertThat(query("select team_id from usage_long")).as("cut before a surrogate pair")
        .isEqualTo("t".repeat(255));

    UsageRecord fine = withTeam(complete(), "call-fine", "a");
    UsageRecord tooLong = withTeam(complete(), "c".repeat(65), "a");
    assertThatThrownBy(() -> sink.acceptBatch(List.of(fine, tooLong)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 64 characters, was 65");
    assertThat(query("select count(*) from usage_long")).isEqualTo(1L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"usage; DROP TABLE x", "1usage", "a.b.c", "usage-records",
      "\"quoted\"", "billing.", ".usage", "usäge", "usage records", "",
      "a123456789a123456789a123456789a123456789a123456789a123456789abcd"})
  void aTableNameThatIsNotAnIdentifierIsRefusedAtBuildSayingWhatIsAllowed(String name) {
    assertThatThrownBy(() -> JdbcUsageSink.builder(admin).table(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[A-Za-z_][A-Za-z0-9_]{0,62}")
        .hasMessageContaining("schema-qualified");
    assertThatThrownBy(() -> JdbcUsageSink.ddl(name)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSchemaQualifiedTableIsCreatedOnceAndWritten() throws Exception {
    execute("create schema if not exists billing");
    JdbcUsageSink sink = JdbcUsageSink.builder(admin).table("billing.llm_usage").build();
    sink.createTableIfMissing();
    assertThatCode(sink::createTableIfMissing).doesNotThrowAnyException();
    sink.accept(complete());
    assertThat(query("select count(*) from billing.llm_usage")).isEqualTo(1L);
    assertThat(JdbcUsageSink.ddl("billing.llm_usage"))
        .startsWith("CREATE TABLE IF NOT EXISTS billing.llm_usage (\n")
        .contains("  call_id               varchar(64)  PRIMARY KEY,\n")
        .contains("  cost_usd              numeric,\n");
  }

  @Test
  void aBatchSizeOutOfRangeIsRefused() {
    assertThatThrownBy(() -> JdbcUsageSink.builder(admin).batchSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 1 to 10000");
    assertThatThrownBy(() -> JdbcUsageSink.builder(admin).batchSize(10_001))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertNoRecordContent(Throwable e, String secret) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
      assertThat(t.toString()).doesNotContain(secret);
      for (Throwable s : t.getSuppressed()) {
        assertThat(s.toString()).doesNotContain(secret);
      }
      if (t instanceof SQLException sql) {
        for (SQLException n = sql.getNextException(); n != null; n = n.getNextException()) {
          assertThat(n.toString()).doesNotContain(secret);
        }
      }
    }
  }

  private static void assertStored(String table, UsageRecord r) throws Exception {
    try (Connection c = admin.getConnection();
        PreparedStatement ps = c.prepareStatement("select * from " + table + " where call_id = ?")) {
      ps.setString(1, r.callId());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as(r.callId()).isTrue();
        assertRow(rs, r);
      }
    }
  }

  private static void assertRow(ResultSet rs, UsageRecord r) throws Exception {
    Principal p = r.principal();
    Deployment d = r.deployment();
    Usage u = r.usage();
    assertThat(rs.getString("call_id")).isEqualTo(r.callId());
    assertThat(rs.getInt("schema_version")).isEqualTo(UsageRecord.SCHEMA_VERSION);
    assertThat(rs.getObject("ts", OffsetDateTime.class).toInstant()).isEqualTo(r.timestamp());
    assertThat(rs.getString("kind")).isEqualTo(lower(r.kind()));
    assertThat(rs.getString("outcome")).isEqualTo(lower(r.outcome()));
    assertThat(rs.getString("refusal")).isEqualTo(r.refusal() == null ? null : lower(r.refusal()));
    assertThat(rs.getString("error_type")).isEqualTo(r.errorType());
    assertThat(rs.getBoolean("cache_hit")).isEqualTo(r.cacheHit());
    assertThat(rs.getString("org_id")).isEqualTo(p == null ? null : p.orgId());
    assertThat(rs.getString("team_id")).isEqualTo(p == null ? null : p.teamId());
    assertThat(rs.getString("project_id")).isEqualTo(p == null ? null : p.projectId());
    assertThat(rs.getString("user_id")).isEqualTo(p == null ? null : p.userId());
    assertThat(rs.getString("key_id")).isEqualTo(p == null ? null : p.keyId());
    assertThat((String[]) rs.getArray("tags").getArray())
        .containsExactlyElementsOf(new TreeSet<>(r.tags()));
    assertThat(rs.getString("requested_model")).isEqualTo(r.requestedModel());
    assertThat(rs.getString("variant")).isEqualTo(r.variant());
    assertThat(rs.getString("provider")).isEqualTo(d == null ? null : d.provider());
    assertThat(rs.getString("model")).isEqualTo(d == null ? null : d.model());
    assertThat(rs.getString("served_model")).isEqualTo(r.servedModel());
    assertThat(rs.getLong("input_tokens")).isEqualTo(u.inputTokens());
    assertThat(rs.getLong("output_tokens")).isEqualTo(u.outputTokens());
    assertThat(rs.getLong("cached_input_tokens")).isEqualTo(u.cachedInputTokens());
    assertThat(rs.getLong("cache_write_tokens")).isEqualTo(u.cacheWriteTokens());
    assertThat(rs.getLong("cache_write_1h_tokens")).isEqualTo(u.cacheWrite1hTokens());
    assertThat(rs.getLong("reasoning_tokens")).isEqualTo(u.reasoningTokens());
    assertThat(rs.getBoolean("usage_estimated")).isEqualTo(u.estimated());
    assertThat(rs.getBigDecimal("cost_usd")).as("exact, scale included").isEqualTo(r.cost());
    assertThat(rs.getLong("latency_us")).isEqualTo(micros(r.latency()));
    assertThat(rs.getObject("ttft_us", Long.class))
        .isEqualTo(r.timeToFirstToken() == null ? null : micros(r.timeToFirstToken()));
    assertThat(rs.getInt("attempts")).isEqualTo(r.attempts().size());
    JsonNode attempts = JSON.readTree(rs.getString("attempts_json"));
    assertThat(attempts).hasSize(r.attempts().size());
    for (int i = 0; i < r.attempts().size(); i++) {
      Attempt a = r.attempts().get(i);
      JsonNode n = attempts.get(i);
      assertThat(n.get("number").asInt()).isEqualTo(a.number());
      assertThat(n.get("kind").asText()).isEqualTo(lower(a.kind()));
      assertThat(n.get("deployment").asText()).isEqualTo(a.deployment().toString());
      assertThat(n.get("outcome").asText()).isEqualTo(lower(a.outcome()));
      assertThat(n.get("httpStatus").isNull() ? null : n.get("httpStatus").asInt())
          .isEqualTo(a.httpStatus());
      assertThat(n.get("latencyMicros").asLong()).isEqualTo(micros(a.latency()));
      assertThat(n.get("errorType").isNull() ? null : n.get("errorType").asText())
          .isEqualTo(a.errorType());
      assertThat(n.get("reason").isNull() ? null : n.get("reason").asText())
          .isEqualTo(a.reason());
      JsonNode au = n.get("usage");
      assertThat(new Usage(au.get("input").asLong(), au.get("output").asLong(),
          au.get("cachedInput").asLong(), au.get("cacheWrite").asLong(),
          au.get("cacheWrite1h").asLong(), au.get("reasoning").asLong(),
          au.get("estimated").asBoolean())).isEqualTo(a.usage());
    }
    JsonNode policies = JSON.readTree(rs.getString("policies_json"));
    assertThat(policies).hasSize(r.policies().size());
    for (int i = 0; i < r.policies().size(); i++) {
      PolicyVerdict v = r.policies().get(i);
      JsonNode n = policies.get(i);
      assertThat(new PolicyVerdict(n.get("policy").asText(), n.get("verdict").asText(),
          n.get("detail").isNull() ? null : n.get("detail").asText())).isEqualTo(v);
    }
  }

  private static @Nullable Object query(String sql) throws SQLException {
    try (Connection c = admin.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getObject(1);
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** A varied, seeded call: teams, costs of up to 12 decimals or unknown, estimates, refusals. */
  private static UsageRecord generated(Random random, int i) {
    Instant at = START.plus(i * 250_000L + random.nextInt(1_000), ChronoUnit.MICROS);
    String team = TEAMS[random.nextInt(TEAMS.length)];
    Principal principal = Principal.builder().org("acme").team(team)
        .project("p" + random.nextInt(5)).user("u-" + random.nextInt(400)).keyId("key-1").build();
    Set<String> tags = random.nextBoolean() ? Set.of() : Set.of("feature-" + random.nextInt(6));
    Duration latency = Duration.of(1_000 + random.nextInt(5_000_000), ChronoUnit.MICROS);
    if (random.nextInt(20) == 0) {
      Refusal refusal = Refusal.values()[random.nextInt(Refusal.values().length)];
      return new UsageRecord("gen-" + i, at, CallKind.CHAT,
          refusal == Refusal.AUTHENTICATION ? null : principal, "smart", null, null, List.of(),
          Usage.ZERO, BigDecimal.ZERO, latency, null, Outcome.REFUSED,
          refusal == Refusal.BUDGET ? "BudgetExceededException" : "AccessDeniedException", tags,
          false, null, refusal, List.of());
    }
    Deployment deployment = DEPLOYMENTS[random.nextInt(DEPLOYMENTS.length)];
    long in = random.nextInt(20_000);
    long out = random.nextInt(2_000);
    Usage usage = random.nextInt(10) == 0 ? Usage.estimate(in, out)
        : new Usage(in, out, in / 4, in / 8, out / 3, false);
    BigDecimal cost = random.nextInt(20) == 0 ? null
        : BigDecimal.valueOf(random.nextLong(1_000_000_000_000L), 3 + random.nextInt(10));
    boolean stream = random.nextBoolean();
    Attempt attempt = new Attempt(1, deployment, Attempt.Outcome.SUCCEEDED, 200,
        latency.minusNanos(500_000), null, null, usage);
    RoutingDecision routing = new RoutingDecision(List.of("alias smart"),
        random.nextBoolean() ? "a" : "b", List.of(deployment), List.of(), false);
    return new UsageRecord("gen-" + i, at, stream ? CallKind.STREAM : CallKind.CHAT, principal,
        "smart", deployment, deployment.model() + "-2025", List.of(attempt), usage, cost, latency,
        stream ? Duration.of(random.nextInt(900_000), ChronoUnit.MICROS) : null, Outcome.SUCCEEDED,
        null, tags, false, routing, null, List.of());
  }

  /** A call with every field set: a 529, a retry, a failover, policies, tags, a variant. */
  private static UsageRecord complete() {
    Deployment anthropic = new Deployment("anthropic", "claude-sonnet-4-5");
    Deployment openai = new Deployment("openai", "gpt-4.1");
    List<Attempt> attempts = List.of(
        new Attempt(1, anthropic, Attempt.Outcome.FAILED, 529, Duration.ofMillis(20),
            "ProviderOverloadedException", "529 overloaded_error; retrying in 899 ms", Usage.ZERO,
            Attempt.Kind.FIRST),
        new Attempt(2, anthropic, Attempt.Outcome.FAILED, null, Duration.ofMillis(3_000),
            "AttemptTimeoutException", "attempt timed out", Usage.estimate(96, 0),
            Attempt.Kind.RETRY),
        new Attempt(3, openai, Attempt.Outcome.SUCCEEDED, 200, Duration.ofNanos(1_515_980_123),
            null, null, new Usage(1412, 11, 1024, 256, 200, 3, false), Attempt.Kind.FAILOVER));
    Usage total = attempts.stream().map(Attempt::usage).reduce(Usage.ZERO, Usage::plus);
    Principal principal = Principal.builder().org("acme").team("search").project("web")
        .user("u-17").keyId("key-1").scopes("chat").build();
    RoutingDecision routing = new RoutingDecision(List.of("alias smart", "variant cheapest"),
        "cheapest", List.of(anthropic, openai), List.of(), false);
    return new UsageRecord("cd4q-2", micros(Instant.parse("2026-12-07T10:00:00.123456Z")),
        CallKind.STREAM, principal, "smart", openai, "gpt-4.1-2025-04-14", attempts, total,
        new BigDecimal("0.001828200001"), Duration.ofNanos(4_600_123_999L),
        Duration.ofMillis(51), Outcome.SUCCEEDED, null, Set.of("checkout", "beta"), false,
        routing, null, List.of(new PolicyVerdict("pii", "redacted", "EMAIL x2"),
            new PolicyVerdict("prompt-injection", "passed", null)));
  }

  /** Refused by authentication: no principal, no deployment, no attempts, cost unknown. */
  private static UsageRecord refusedBeforeAuthentication() {
    return new UsageRecord("r-1", micros(START), CallKind.EMBED, null, "embed-small", null, null,
        List.of(), Usage.ZERO, null, Duration.ofNanos(12_345), null, Outcome.REFUSED,
        "AuthenticationException", Set.of(), false, null, Refusal.AUTHENTICATION, List.of());
  }

  private static UsageRecord cacheHit() {
    return new UsageRecord("h-1", micros(START.plusSeconds(5)), CallKind.CHAT,
        Principal.of("support", "u-3"), "smart", null, null, List.of(), Usage.ZERO,
        BigDecimal.ZERO, Duration.ofMillis(2), null, Outcome.SUCCEEDED, null, Set.of("faq"),
        true, RoutingDecision.CACHE_HIT, null, List.of());
  }

  private static UsageRecord withTeam(UsageRecord r, String callId, String team) {
    Principal p = r.principal();
    Principal changed = new Principal(p.orgId(), team, p.projectId(), p.userId(), p.keyId(),
        p.scopes(), p.attributes());
    return new UsageRecord(callId, r.timestamp(), r.kind(), changed, r.requestedModel(),
        r.deployment(), r.servedModel(), r.attempts(), r.usage(), r.cost(), r.latency(),
        r.timeToFirstToken(), r.outcome(), r.errorType(), r.tags(), r.cacheHit(), r.routing(),
        r.refusal(), r.policies());
  }

  /** The record with another cost; {@code marker} goes into its error type, to tell copies apart. */
  private static UsageRecord copy(UsageRecord r, String marker, BigDecimal cost) {
    return new UsageRecord(r.callId(), r.timestamp(), r.kind(), r.principal(),
        r.requestedModel(), r.deployment(), r.servedModel(), r.attempts(), r.usage(), cost,
        r.latency(), r.timeToFirstToken(), r.outcome(), marker, r.tags(), r.cacheHit(),
        r.routing(), r.refusal(), r.policies());
  }

  private static Instant micros(Instant at) {
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  private static long micros(Duration d) {
    return d.getSeconds() * 1_000_000L + d.getNano() / 1_000;
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
