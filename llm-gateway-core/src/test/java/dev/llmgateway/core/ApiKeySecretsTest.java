package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.llmgateway.AuditEvent;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.audit.Slf4jAuditSink;
import dev.llmgateway.core.auth.ApiKeys;
import dev.llmgateway.core.auth.CreatedKey;
import dev.llmgateway.core.auth.InMemoryKeyStore;
import dev.llmgateway.core.auth.KeySpec;
import dev.llmgateway.core.usage.UsageRecordJson;
import dev.llmgateway.spi.AuditSink;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No API key, no part of one and no key hash appears in any exception message, log line (every
 * logger under {@code dev.llmgateway} at DEBUG, the SLF4J audit sink included), audit event, usage
 * record (its {@code toString}, story and JSON form) or {@code toString()} of the key types, over
 * a key's whole life: created, used, refused malformed, unknown, rotated out, revoked, expired.
 */
@Timeout(60)
class ApiKeySecretsTest {

  @Test
  void noKeyNorItsHashAppearsAnywhere() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    AuditSink logged = Slf4jAuditSink.create();
    AuditSink audit = e -> {
      events.add(e);
      logged.accept(e);
    };
    InMemoryKeyStore store = InMemoryKeyStore.create();
    InMemoryUsageSink usage = new InMemoryUsageSink();
    List<String> seen = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    try (LogCapture logs = new LogCapture()) {
      ApiKeys keys = ApiKeys.builder().store(store).clock(clock).audit(audit).build();
      try (Gateway gateway = Gateway.builder().provider(new StubProvider("p")).clock(clock)
          .authenticator(keys).auditSink(audit).usageSink(usage).logCalls(true).build()) {
        CreatedKey a = keys.create(KeySpec.of(Principal.builder().org("acme").team("search")
            .user("u-1").build()).expiringAfter(Duration.ofHours(2)), "alice");
        CreatedKey b = keys.create(KeySpec.of(Principal.of("support", "u-2")), "alice");
        secrets.add(a.secret());
        secrets.add(b.secret());
        seen.add(a.toString());
        seen.add(a.info().toString());
        gateway.chat(ChatRequest.of("m", "Hi"), a.caller());
        CreatedKey b2 = keys.rotate(b.keyId(), Duration.ofMinutes(5), "bob");
        secrets.add(b2.secret());
        seen.add(b2.toString());
        gateway.chat(ChatRequest.of("m", "Hi"), b.caller());
        gateway.chat(ChatRequest.of("m", "Hi"), b2.caller());

        String unknown = b.secret().substring(0, b.secret().length() - 4) + "AAAA";
        secrets.add(unknown);
        List<Caller> refused = List.of(
            Caller.apiKey(a.secret() + "x"),
            Caller.apiKey("sk-" + a.secret()),
            Caller.apiKey(a.secret().replace('_', ' ')),
            Caller.apiKey(unknown));
        for (Caller c : refused) {
          seen.add(refusal(gateway, c));
        }
        clock.advance(Duration.ofMinutes(5));
        seen.add(refusal(gateway, b.caller()));
        keys.revoke(b2.keyId(), "carol");
        seen.add(refusal(gateway, b2.caller()));
        clock.advance(Duration.ofHours(2));
        seen.add(refusal(gateway, a.caller()));
        seen.add(keys.list().toString());
        seen.add(keys.toString());
        seen.add(store.toString());
        seen.add(store.list().toString());
        seen.add(gateway.toString());
        seen.add(a.caller().toString());
      }
      for (ILoggingEvent line : logs.lines()) {
        seen.add(line.getFormattedMessage());
        seen.add(String.valueOf(line.getMDCPropertyMap()));
        if (line.getThrowableProxy() != null) {
          seen.add(line.getThrowableProxy().getMessage());
        }
      }
      assertThat(logs.lines(LogCapture.naming("audit KEY_ROTATED"))).hasSize(1);
    }
    for (AuditEvent e : events) {
      seen.add(e.toString());
    }
    for (UsageRecord r : usage.records()) {
      seen.add(r.toString());
      seen.add(r.story());
      seen.add(UsageRecordJson.toJson(r));
    }
    assertThat(events).extracting(AuditEvent::type).contains(AuditEvent.Type.KEY_CREATED,
        AuditEvent.Type.KEY_ROTATED, AuditEvent.Type.KEY_REVOKED,
        AuditEvent.Type.AUTHENTICATION_FAILED);
    assertThat(usage.records()).hasSize(10);

    List<String> forbidden = new ArrayList<>();
    for (String secret : secrets) {
      forbidden.add(secret);
      forbidden.add(secret.substring(secret.indexOf('_', 3) + 1, secret.length() - 4));
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.US_ASCII));
      forbidden.add(HexFormat.of().formatHex(hash));
      forbidden.add(HexFormat.of().withUpperCase().formatHex(hash));
      forbidden.add(Base64.getEncoder().withoutPadding().encodeToString(hash));
      forbidden.add(Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
    }
    assertThat(seen).isNotEmpty().allSatisfy(text -> {
      for (String f : forbidden) {
        assertThat(text).doesNotContain(f);
      }
    });
  }

  private static String refusal(Gateway gateway, Caller caller) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(
        () -> gateway.chat(ChatRequest.of("m", "Hi"), caller));
    assertThat(t).isInstanceOf(AuthenticationException.class);
    return t.getMessage() + " | " + t;
  }
}
