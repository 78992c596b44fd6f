package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AuditEvent;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.auth.ApiKeys;
import dev.llmgateway.core.auth.CallerPolicy;
import dev.llmgateway.core.auth.CreatedKey;
import dev.llmgateway.core.auth.KeySpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a gateway accepts: credentials, principals from the host application, or both. */
@Timeout(30)
class CallerPolicyTest {
  private static final Principal HOST_USER = Principal.of("support", "user-7");
  private static final ChatRequest HI = ChatRequest.of("m", "Hi");

  private final ApiKeys keys = ApiKeys.builder().audit(e -> { }).build();
  private final CreatedKey key = keys.create(KeySpec.of(Principal.builder().team("search")
      .build()), "alice");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();

  private GatewayBuilder gateway() {
    return Gateway.builder().provider(new StubProvider("p")).usageSink(usage)
        .auditSink(audit::add);
  }

  @Test
  void bothIsTheDefaultAndAcceptsKeysAndPrincipals() {
    try (Gateway g = gateway().authenticator(keys).build()) {
      g.chat(HI, key.caller());
      g.chat(HI, HOST_USER);
    }
    assertThat(usage.records()).extracting(r -> r.principal().teamId())
        .containsExactly("search", "support");
  }

  @Test
  void credentialsOnlyRefusesAPrincipalAndMetersItRefused() {
    try (Gateway g = gateway().authenticator(keys).callers(CallerPolicy.CREDENTIALS_ONLY)
        .build()) {
      assertThat(g.chat(HI, key.caller()).text()).isEqualTo("Hello, world");
      assertThatThrownBy(() -> g.chat(HI, HOST_USER))
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("CREDENTIALS_ONLY");
      // Without a caller the call goes through the authenticator, which takes no principal.
      assertThatThrownBy(() -> g.chat(HI)).isInstanceOf(AuthenticationException.class);
    }
    assertThat(usage.records()).extracting(UsageRecord::outcome).containsExactly(
        UsageRecord.Outcome.SUCCEEDED, UsageRecord.Outcome.REFUSED, UsageRecord.Outcome.REFUSED);
    assertThat(usage.records().get(1).refusal()).isEqualTo(UsageRecord.Refusal.AUTHENTICATION);
    assertThat(audit).extracting(AuditEvent::type)
        .containsOnly(AuditEvent.Type.AUTHENTICATION_FAILED).hasSize(2);
    assertThat(audit.get(0).subject()).isEqualTo("Principal");
  }

  @Test
  void principalsOnlyRefusesCredentials() {
    try (Gateway g = gateway().callers(CallerPolicy.PRINCIPALS_ONLY).build()) {
      g.chat(HI, HOST_USER);
      g.chat(HI);
      assertThatThrownBy(() -> g.chat(HI, key.caller()))
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("PRINCIPALS_ONLY").hasMessageNotContaining(key.secret());
    }
    assertThat(usage.records()).extracting(UsageRecord::outcome).containsExactly(
        UsageRecord.Outcome.SUCCEEDED, UsageRecord.Outcome.SUCCEEDED,
        UsageRecord.Outcome.REFUSED);
    assertThat(audit).singleElement().extracting(AuditEvent::subject).isEqualTo("ApiKey");
  }

  @Test
  void buildRefusesPoliciesThatContradictTheOtherSettings() {
    assertThatThrownBy(() -> gateway().callers(CallerPolicy.CREDENTIALS_ONLY).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs an authenticator");
    assertThatThrownBy(() -> gateway().callers(CallerPolicy.CREDENTIALS_ONLY)
        .authenticator(keys).defaultCaller(HOST_USER).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("default caller");
    assertThatThrownBy(() -> gateway().callers(CallerPolicy.PRINCIPALS_ONLY)
        .authenticator(keys).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("authenticator");
  }

  @Test
  void aDerivedGatewayKeepsThePolicy() {
    try (Gateway g = gateway().callers(CallerPolicy.PRINCIPALS_ONLY).build();
        Gateway derived = g.newBuilder().build()) {
      assertThatThrownBy(() -> derived.chat(HI, Caller.apiKey("gw_x")))
          .hasMessageContaining("PRINCIPALS_ONLY");
    }
  }
}
