package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AuditEvent;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The audit trail of refused credentials: one event per refusal, naming the call, no secret. */
@Timeout(60)
class AuditTest {
  private static final String SECRET = "gw-live-9f8e7d6c5b4a39281706";

  @Test
  void aRefusedCredentialIsOneAuditEventWithTheCallAndNoSecret() {
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    StubProvider stub = new StubProvider("stub");
    try (Gateway gateway = Gateway.builder().provider(stub).clock(clock)
        .authenticator(c -> {
          if (c instanceof Caller.ApiKey k && k.secret().equals("gw-good")) {
            return Principal.of("team-a", "user-1");
          }
          throw new AuthenticationException("unknown API key");
        })
        .auditSink(events::add).build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("m", "hi"), Caller.apiKey(SECRET)))
          .isInstanceOf(AuthenticationException.class);
      gateway.chat(ChatRequest.of("m", "hi"), Caller.apiKey("gw-good"));
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("m", "hi"),
          Caller.bearerToken(SECRET))).isInstanceOf(AuthenticationException.class);
    }

    assertThat(events).hasSize(2).allSatisfy(e -> {
      assertThat(e.type()).isEqualTo(AuditEvent.Type.AUTHENTICATION_FAILED);
      assertThat(e.callId()).isNotNull();
      assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
      assertThat(e.reason()).isEqualTo("unknown API key");
      assertThat(e.toString()).doesNotContain(SECRET);
    });
    assertThat(events).extracting(AuditEvent::subject).containsExactly("ApiKey", "BearerToken");
  }
}
