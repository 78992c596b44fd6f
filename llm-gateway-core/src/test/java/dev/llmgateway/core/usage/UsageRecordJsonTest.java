package dev.llmgateway.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallKind;
import dev.llmgateway.FeedbackRecord;
import dev.llmgateway.PolicyVerdict;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UsageRecordJsonTest {

  @Test
  void writesTheSchemasExampleFieldByFieldInItsOrder() {
    assertThat(UsageRecordJson.toJson(Records.full())).isEqualTo("{\"schema\":1,\"record\":\"call\","
        + "\"callId\":\"cd4q-2\",\"timestamp\":\"2026-12-07T10:00:00.123Z\",\"kind\":\"chat\","
        + "\"outcome\":\"succeeded\",\"errorType\":null,\"refusal\":null,\"cacheHit\":false,"
        + "\"principal\":{\"org\":\"acme\",\"team\":\"search\",\"project\":\"web\","
        + "\"user\":\"u-17\",\"keyId\":\"key-1\"},\"tags\":[\"beta\",\"checkout\"],"
        + "\"requestedModel\":\"smart\",\"variant\":\"cheapest\","
        + "\"deployment\":\"openai/gpt-4.1-mini\",\"servedModel\":\"gpt-4.1-mini-2025-04-14\","
        + "\"usage\":{\"input\":96,\"output\":9,\"cachedInput\":0,\"cacheWrite\":0,"
        + "\"cacheWrite1h\":0,\"reasoning\":0,\"estimated\":false},\"cost\":\"0.000264\","
        + "\"latencyMicros\":1515980,\"timeToFirstTokenMicros\":null,\"attempts\":["
        + "{\"number\":1,\"kind\":\"first\",\"deployment\":\"openai/gpt-4.1\","
        + "\"outcome\":\"failed\",\"httpStatus\":529,\"latencyMicros\":20100,"
        + "\"errorType\":\"ProviderOverloadedException\",\"reason\":\"529 overloaded_error\","
        + "\"usage\":{\"input\":0,\"output\":0,\"cachedInput\":0,\"cacheWrite\":0,"
        + "\"cacheWrite1h\":0,\"reasoning\":0,\"estimated\":false}},"
        + "{\"number\":2,\"kind\":\"failover\",\"deployment\":\"openai/gpt-4.1-mini\","
        + "\"outcome\":\"succeeded\",\"httpStatus\":200,\"latencyMicros\":1495000,"
        + "\"errorType\":null,\"reason\":null,\"usage\":{\"input\":96,\"output\":9,"
        + "\"cachedInput\":0,\"cacheWrite\":0,\"cacheWrite1h\":0,\"reasoning\":0,"
        + "\"estimated\":false}}],\"policies\":[]}");
  }

  @Test
  void aRecordReadBackIsWrittenAsTheSameLineAndKeepsItsFigures() {
    UsageRecord original = Records.full();
    String line = UsageRecordJson.toJson(original);

    UsageRecord read = UsageRecordJson.read(line + "\n");

    assertThat(read).isNotNull();
    assertThat(UsageRecordJson.toJson(read)).isEqualTo(line);
    assertThat(read.callId()).isEqualTo("cd4q-2");
    assertThat(read.cost()).isEqualTo(new BigDecimal("0.000264"));
    assertThat(read.usage()).isEqualTo(original.usage());
    assertThat(read.attempts()).isEqualTo(original.attempts());
    assertThat(read.principal().userId()).isEqualTo("u-17");
    assertThat(read.variant()).isEqualTo("cheapest");
    assertThat(read.tags()).isEqualTo(original.tags());
    assertThat(read.latency()).isEqualTo(original.latency());
  }

  @Test
  void everyOutcomeRefusalAndPolicyVerdictIsWrittenAndReadBack() {
    UsageRecord refused = with(Records.call("r"), UsageRecord.Outcome.REFUSED,
        "AuthenticationException", null, CallKind.CHAT, UsageRecord.Refusal.AUTHENTICATION,
        List.of());
    UsageRecord streamFailed = with(Records.call("s"), UsageRecord.Outcome.STREAM_FAILED,
        "ProviderUnavailableException", Duration.ofMillis(5), CallKind.STREAM, null,
        List.of(new PolicyVerdict("pii", "redacted", "EMAIL x2")));
    UsageRecord failed = with(Records.call("f"), UsageRecord.Outcome.FAILED,
        "ProviderUnavailableException", null, CallKind.STREAM, null, List.of());
    UsageRecord notStarted = with(Records.call("n"), UsageRecord.Outcome.NOT_STARTED, null, null,
        CallKind.STREAM, null, List.of());

    assertThat(UsageRecordJson.toJson(refused))
        .contains("\"outcome\":\"refused\",\"errorType\":\"AuthenticationException\","
            + "\"refusal\":\"authentication\"");
    assertThat(UsageRecordJson.toJson(streamFailed)).contains("\"outcome\":\"stream_failed\"")
        .contains("\"policies\":[{\"policy\":\"pii\",\"verdict\":\"redacted\","
            + "\"detail\":\"EMAIL x2\"}]");
    assertThat(UsageRecordJson.toJson(failed)).contains("\"outcome\":\"failed\"");
    assertThat(UsageRecordJson.toJson(notStarted)).contains("\"outcome\":\"not_started\"");
    for (UsageRecord r : List.of(refused, streamFailed, failed, notStarted)) {
      String line = UsageRecordJson.toJson(r);
      UsageRecord back = UsageRecordJson.read(line);
      assertThat(back.outcome()).isEqualTo(r.outcome());
      assertThat(back.refusal()).isEqualTo(r.refusal());
      assertThat(back.policies()).isEqualTo(r.policies());
      assertThat(UsageRecordJson.toJson(back)).isEqualTo(line);
    }
  }

  @Test
  void aLineOfANewerSchemaIsRefusedAndATornOneIsNotARecord() {
    assertThatThrownBy(() -> UsageRecordJson.read("{\"schema\":2,\"record\":\"call\"}"))
        .isInstanceOf(UsageRecordJson.NewerSchemaException.class)
        .hasMessageContaining("schema 2");
    String line = UsageRecordJson.toJson(Records.call("torn"));
    assertThatThrownBy(() -> UsageRecordJson.read(line.substring(0, line.length() / 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("search");
  }

  @Test
  void feedbackIsItsOwnRecordTypeThatReadsAsNoCall() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    UsageRecordJson.writeFeedback(new FeedbackRecord("cd4q-2", Records.AT, 0.8), out);
    String line = out.toString(StandardCharsets.UTF_8);

    assertThat(line).isEqualTo("{\"schema\":1,\"record\":\"feedback\",\"callId\":\"cd4q-2\","
        + "\"timestamp\":\"2026-12-07T10:00:00.123Z\",\"score\":0.8}\n");
    assertThat(UsageRecordJson.read(line)).isNull();
    assertThatThrownBy(() -> new FeedbackRecord("x", Records.AT, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anUnknownCostAndNoPrincipalAreNull() {
    UsageRecord r = new UsageRecord("u", Records.AT, CallKind.EMBED, null, "m", null, null,
        List.of(), Usage.ZERO, null, Duration.ZERO, null, UsageRecord.Outcome.REFUSED,
        "AuthenticationException", Set.of(), false, null, UsageRecord.Refusal.AUTHENTICATION,
        List.of());
    String line = UsageRecordJson.toJson(r);

    assertThat(line).contains("\"kind\":\"embed\",\"outcome\":\"refused\"",
        "\"refusal\":\"authentication\"", "\"principal\":null", "\"cost\":null");
    assertThat(UsageRecordJson.read(line).principal()).isNull();
  }

  private static UsageRecord with(UsageRecord r, UsageRecord.Outcome outcome, String errorType,
      Duration ttft, CallKind kind, UsageRecord.Refusal refusal, List<PolicyVerdict> policies) {
    return new UsageRecord(r.callId(), r.timestamp(), kind, r.principal(), r.requestedModel(),
        r.deployment(), r.servedModel(), r.attempts(), r.usage(), r.cost(), r.latency(), ttft,
        outcome, errorType, r.tags(), r.cacheHit(), r.routing(), refusal, policies);
  }
}
