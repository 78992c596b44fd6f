package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The api types that can carry an end user's id or a principal's attributes never print them. */
@Timeout(10)
class UserIdsNeverPrintedTest {
  private static final String USER = "alice.sentinel@example.com";
  private static final String ATTRIBUTE = "555-12-3456";

  private final Principal principal = Principal.builder().org("acme").team("support")
      .project("helpdesk").user(USER).keyId("key-7").scopes("chat", "embed")
      .attribute("ssn", ATTRIBUTE).build();

  @Test
  void aPrincipalPrintsItsUserRedactedAndOnlyTheNamesOfItsAttributes() {
    assertThat(principal.toString())
        .isEqualTo("Principal[org=acme, team=support, project=helpdesk, user=<redacted>, "
            + "keyId=key-7, scopes=[chat, embed], attributes=[ssn]]")
        .doesNotContain(USER).doesNotContain(ATTRIBUTE);
    assertThat(Principal.ANONYMOUS).hasToString("Principal[]");
    assertThat(Principal.of("t", USER)).hasToString("Principal[team=t, user=<redacted>]");
  }

  @Test
  void aUsageRecordPrintsItsPrincipalRedactedOnOneLineAndInItsStory() {
    Deployment d = new Deployment("openai", "gpt-4.1");
    UsageRecord record = new UsageRecord("call-1", Instant.EPOCH, CallKind.CHAT, principal,
        "smart", d, "gpt-4.1-2025-04-14", List.of(new Attempt(1, d, Attempt.Outcome.FAILED, 400,
            Duration.ofMillis(5), "InvalidRequestException",
            "invalid_request_error: (provider message withheld)", Usage.ZERO)),
        Usage.ZERO, BigDecimal.ZERO, Duration.ofMillis(9), null, UsageRecord.Outcome.FAILED,
        "InvalidRequestException", Set.of("feature-x"), false, null);

    assertThat(record.toString()).contains("user=<redacted>").contains("call-1")
        .doesNotContain(USER).doesNotContain(ATTRIBUTE);
    assertThat(record.story()).contains("user=<redacted>").contains("call-1")
        .doesNotContain(USER).doesNotContain(ATTRIBUTE);
  }

  @Test
  void aPrincipalIsStillEqualByValue() {
    Principal same = Principal.builder().org("acme").team("support").project("helpdesk")
        .user(USER).keyId("key-7").scopes("embed", "chat").attribute("ssn", ATTRIBUTE).build();

    assertThat(same).isEqualTo(principal).hasSameHashCodeAs(principal);
    assertThat(same.userId()).isEqualTo(USER);
  }
}
