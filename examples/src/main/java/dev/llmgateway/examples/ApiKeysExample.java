package dev.llmgateway.examples;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.auth.ApiKeys;
import dev.llmgateway.core.auth.CreatedKey;
import dev.llmgateway.core.auth.KeyInfo;
import dev.llmgateway.core.auth.KeySpec;
import dev.llmgateway.spi.AuditSink;
import dev.llmgateway.testing.FakeProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * API keys for two teams, one key each: created at run time (the raw key shown once), used, one
 * rotated with a grace period (the old key works until it ends), one revoked, all listed with
 * their last use; and a principal the host application authenticated itself, trusted as is. Key
 * administration and refused keys go to one audit trail, printed here.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.ApiKeysExample}
 */
public final class ApiKeysExample {
  private ApiKeysExample() {}

  public static void main(String[] args) {
    FakeProvider fake = FakeProvider.create();
    fake.onAnyModel().alwaysReply(r -> "hello from " + r.model());
    ManualClock clock = new ManualClock(Instant.parse("2026-12-07T09:00:00Z"));
    AuditSink audit = e -> System.out.println("  audit " + e.type() + " subject=" + e.subject()
        + (e.actor() != null ? " actor=" + e.actor() : "") + ": " + e.reason());
    // The same clock and audit sink for the keys and the gateway: one time line, one trail.
    ApiKeys keys = ApiKeys.builder().clock(clock).audit(audit).build();
    InMemoryUsageSink usage = new InMemoryUsageSink();

    try (Gateway gateway = Gateway.builder().provider(fake).clock(clock)
        .authenticator(keys).auditSink(audit).usageSink(usage).build()) {
      CreatedKey search = keys.create(KeySpec.of(Principal.builder().org("acme").team("search")
          .build()), "admin@acme");
      CreatedKey support = keys.create(KeySpec.of(Principal.builder().org("acme")
          .team("support").build()).expiringAfter(Duration.ofDays(90)), "admin@acme");
      System.out.println("created " + search + " (its secret starts with "
          + search.secret().substring(0, 3) + ", shown to its owner once)");
      System.out.println("created " + support);

      call(gateway, "search key", search.caller(), usage);
      call(gateway, "support key", support.caller(), usage);

      CreatedKey support2 = keys.rotate(support.keyId(), Duration.ofHours(1), "admin@acme");
      call(gateway, "old support key, in grace", support.caller(), usage);
      clock.advance(Duration.ofHours(1));
      call(gateway, "old support key, grace over", support.caller(), usage);
      call(gateway, "new support key", support2.caller(), usage);

      keys.revoke(search.keyId(), "security@acme");
      call(gateway, "revoked search key", search.caller(), usage);

      call(gateway, "host's own principal", Principal.of("ops", "user-7"), usage);

      System.out.println("keys:");
      for (KeyInfo key : keys.list()) {
        System.out.println("  " + key.keyId() + " team=" + key.principal().teamId() + " "
            + key.status() + " last used " + key.lastUsed());
      }
    } finally {
      fake.close();
    }
  }

  private static void call(Gateway gateway, String who, Caller caller, InMemoryUsageSink usage) {
    try {
      String answer = gateway.chat(ChatRequest.of("gpt-4.1-mini", "Hi"), caller).text();
      System.out.println(who + " -> team " + usage.last().principal().teamId() + ": " + answer);
    } catch (AuthenticationException e) {
      System.out.println(who + " -> refused: " + e.getMessage());
    }
  }

  /** A clock the example moves by hand, to show a grace period end without waiting an hour. */
  private static final class ManualClock extends Clock {
    private volatile Instant now;

    ManualClock(Instant start) {
      this.now = start;
    }

    void advance(Duration amount) {
      now = now.plus(amount);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(now, zone);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
