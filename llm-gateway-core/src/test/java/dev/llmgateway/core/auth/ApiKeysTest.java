package dev.llmgateway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AuditEvent;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.auth.ApiKeyRejectedException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in API keys: their life (create, list, revoke, rotate, expire), refusals and audit. */
@Timeout(30)
class ApiKeysTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Principal SEARCH = Principal.builder().org("acme").team("search")
      .project("web").user("u-1").scopes("chat").attribute("plan", "pro").build();

  private final MutableClock clock = new MutableClock(T0);
  private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
  private final ApiKeys keys = ApiKeys.builder().clock(clock).audit(events::add).build();

  @Test
  void aCreatedKeyAuthenticatesAsItsPrincipalWithItsOwnKeyId() {
    CreatedKey key = keys.create(KeySpec.of(SEARCH), "alice");

    assertThat(key.secret()).startsWith("gw_" + key.keyId() + "_").hasSize(3 + 16 + 1 + 43);
    Principal p = keys.authenticate(key.caller());
    assertThat(p.keyId()).isEqualTo(key.keyId());
    assertThat(p).usingRecursiveComparison().ignoringFields("keyId").isEqualTo(SEARCH);
  }

  @Test
  void everyKeyIsDifferent() {
    CreatedKey a = keys.create(KeySpec.of(SEARCH), "alice");
    CreatedKey b = keys.create(KeySpec.of(SEARCH), "alice");
    assertThat(a.secret()).isNotEqualTo(b.secret());
    assertThat(a.keyId()).isNotEqualTo(b.keyId());
  }

  @Test
  void listShowsMetadataWithStatusAndNeverTheKey() {
    CreatedKey a = keys.create(KeySpec.of(SEARCH), "alice");
    clock.advance(Duration.ofSeconds(1));
    CreatedKey b = keys.create(KeySpec.of(SEARCH).expiringAfter(Duration.ofDays(30)), "alice");
    keys.revoke(a.keyId(), "bob");

    List<KeyInfo> list = keys.list();
    assertThat(list).extracting(KeyInfo::keyId).containsExactly(a.keyId(), b.keyId());
    assertThat(list).extracting(KeyInfo::status)
        .containsExactly(KeyInfo.Status.REVOKED, KeyInfo.Status.ACTIVE);
    assertThat(list.get(1).expiresAt()).isEqualTo(T0.plusSeconds(1).plus(Duration.ofDays(30)));
    assertThat(list.toString()).doesNotContain(a.secret()).doesNotContain(b.secret());
    assertThat(keys.info(b.keyId())).contains(list.get(1));
    assertThat(keys.info("zzzzzzzzzzzzzzzz")).isEmpty();
  }

  @Test
  void aRevokedKeyIsRefusedAsRevoked() {
    CreatedKey key = keys.create(KeySpec.of(SEARCH), "alice");
    assertThat(keys.revoke(key.keyId(), "bob")).isTrue();
    assertThat(keys.revoke(key.keyId(), "bob")).isFalse();

    assertRefused(key.caller(), Reason.REVOKED).hasMessageContaining(key.keyId());
  }

  @Test
  void aRotatedKeyWorksUntilItsGracePeriodEndsAndTheNewOneAtOnce() {
    CreatedKey old = keys.create(KeySpec.of(SEARCH), "alice");
    CreatedKey next = keys.rotate(old.keyId(), Duration.ofHours(1), "alice");

    assertThat(keys.authenticate(next.caller()).keyId()).isEqualTo(next.keyId());
    assertThat(keys.authenticate(old.caller()).keyId()).isEqualTo(old.keyId());
    assertThat(keys.info(old.keyId()).orElseThrow().status()).isEqualTo(KeyInfo.Status.IN_GRACE);

    clock.advance(Duration.ofMinutes(59));
    assertThat(keys.authenticate(old.caller())).isNotNull();
    clock.advance(Duration.ofMinutes(1));
    assertRefused(old.caller(), Reason.ROTATED_OUT).hasMessageContaining(next.keyId());
    assertThat(keys.authenticate(next.caller())).isNotNull();
    assertThat(keys.info(old.keyId()).orElseThrow().status())
        .isEqualTo(KeyInfo.Status.ROTATED_OUT);
  }

  @Test
  void rotatingWithNoGraceEndsTheOldKeyAtOnce() {
    CreatedKey old = keys.create(KeySpec.of(SEARCH), "alice");
    keys.rotate(old.keyId(), Duration.ZERO, "alice");
    assertRefused(old.caller(), Reason.ROTATED_OUT);
  }

  @Test
  void aRotatedKeyKeepsItsLifetimeFromItsNewCreation() {
    CreatedKey old = keys.create(KeySpec.of(SEARCH).expiringAfter(Duration.ofDays(10)), "alice");
    clock.advance(Duration.ofDays(9));
    CreatedKey next = keys.rotate(old.keyId(), Duration.ofDays(5), "alice");
    assertThat(next.info().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(19)));

    clock.advance(Duration.ofDays(1));
    // The old key's own expiry comes before its grace end: expiry still applies.
    assertRefused(old.caller(), Reason.EXPIRED);
  }

  @Test
  void aKeyCannotBeRotatedTwiceNorAfterRevocation() {
    CreatedKey a = keys.create(KeySpec.of(SEARCH), "alice");
    CreatedKey b = keys.rotate(a.keyId(), Duration.ofHours(1), "alice");
    assertThatThrownBy(() -> keys.rotate(a.keyId(), Duration.ZERO, "alice"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(b.keyId());
    keys.revoke(b.keyId(), "alice");
    assertThatThrownBy(() -> keys.rotate(b.keyId(), Duration.ZERO, "alice"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("revoked");
  }

  @Test
  void anExpiredKeyIsRefusedAsExpired() {
    CreatedKey key = keys.create(KeySpec.of(SEARCH).expiringAfter(Duration.ofMinutes(5)),
        "alice");
    clock.advance(Duration.ofMinutes(4));
    assertThat(keys.authenticate(key.caller())).isNotNull();
    clock.advance(Duration.ofMinutes(1));
    assertRefused(key.caller(), Reason.EXPIRED).hasMessageContaining(key.keyId());
    assertThat(keys.info(key.keyId()).orElseThrow().status()).isEqualTo(KeyInfo.Status.EXPIRED);
  }

  @Test
  void lastUsedIsRecordedToTheSecond() {
    CreatedKey key = keys.create(KeySpec.of(SEARCH), "alice");
    assertThat(keys.lastUsed(key.keyId())).isEmpty();

    keys.authenticate(key.caller());
    assertThat(keys.lastUsed(key.keyId())).contains(T0);
    clock.advance(Duration.ofMillis(999));
    keys.authenticate(key.caller());
    assertThat(keys.lastUsed(key.keyId())).contains(T0);
    clock.advance(Duration.ofMillis(1));
    keys.authenticate(key.caller());
    assertThat(keys.lastUsed(key.keyId())).contains(T0.plusSeconds(1));
    assertThat(keys.info(key.keyId()).orElseThrow().lastUsed()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void lastUsedSurvivesRevocation() {
    CreatedKey key = keys.create(KeySpec.of(SEARCH), "alice");
    keys.authenticate(key.caller());
    keys.revoke(key.keyId(), "bob");
    assertThat(keys.lastUsed(key.keyId())).contains(T0);
  }

  @Test
  void anUnknownWellFormedKeyIsRefusedAsUnknown() {
    CreatedKey key = keys.create(KeySpec.of(SEARCH), "alice");
    ApiKeys other = ApiKeys.builder().clock(clock).audit(e -> { }).build();
    assertThatThrownBy(() -> other.authenticate(key.caller()))
        .isInstanceOfSatisfying(ApiKeyRejectedException.class,
            e -> assertThat(e.rejection()).isEqualTo(Reason.UNKNOWN))
        .hasMessageNotContaining(key.secret());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "sk_abcdefghijklmnop_0123456789012345678901234567890123456789012",
      "gw_abcdefghijklmnop_012345678901234567890123456789",
      "gw_abcdefghijklmnop_0123456789012345678901234567890123456789012x",
      "gw_abcdefghijklmnop_01234567890123456789 1234567890123456789012",
      "gw_abcdefghijklmnop_0123456789012345678901234567890123456789\u00e9ab",
      "gw_abcdefghijklmnop_0123456789012345678901234567890123456789012\n"})
  void aMalformedKeyIsRefusedBeforeHashingWithoutBeingQuoted(String key) {
    assertRefused(Caller.apiKey(key), Reason.MALFORMED).hasMessageNotContaining(key.trim())
        .hasMessageNotContaining("0123456789");
  }

  @Test
  void aKeyOverTheLengthBoundIsRefusedUnread() {
    String key = "gw_" + "a".repeat(1_000_000);
    assertRefused(Caller.apiKey(key), Reason.MALFORMED).hasMessageContaining("longer than 256");
  }

  @Test
  void otherCallersAreNotForApiKeys() {
    assertThat(keys.authenticate(Caller.bearerToken("eyJ.x.y"))).isNull();
    assertThat(keys.authenticate(Principal.ANONYMOUS)).isNull();
  }

  @Test
  void aCustomPrefixIsHonoured() {
    ApiKeys acme = ApiKeys.builder().prefix("acme_").clock(clock).audit(e -> { }).build();
    CreatedKey key = acme.create(KeySpec.of(SEARCH), "alice");
    assertThat(key.secret()).startsWith("acme_");
    assertThat(acme.authenticate(key.caller())).isNotNull();
    assertThatThrownBy(() -> ApiKeys.builder().prefix("Bad-"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void adminChangesAreAuditedWithActorAndKeyId() {
    CreatedKey a = keys.create(KeySpec.of(SEARCH), "alice");
    clock.advance(Duration.ofMinutes(1));
    CreatedKey b = keys.rotate(a.keyId(), Duration.ofHours(1), "bob");
    keys.revoke(b.keyId(), "carol");

    assertThat(events).extracting(AuditEvent::type).containsExactly(
        AuditEvent.Type.KEY_CREATED, AuditEvent.Type.KEY_CREATED, AuditEvent.Type.KEY_ROTATED,
        AuditEvent.Type.KEY_REVOKED);
    assertThat(events).extracting(AuditEvent::actor)
        .containsExactly("alice", "bob", "bob", "carol");
    assertThat(events).extracting(AuditEvent::subject)
        .containsExactly(a.keyId(), b.keyId(), a.keyId(), b.keyId());
    assertThat(events.get(0).timestamp()).isEqualTo(T0);
    assertThat(events.get(2).timestamp()).isEqualTo(T0.plusSeconds(60));
    assertThat(events.get(2).reason()).contains(b.keyId()).contains("2026-12-07T11:01:00Z");
    assertThat(events).allSatisfy(e -> assertThat(e.callId()).isNull());
  }

  @Test
  void adminCallsCheckTheirArgumentsWithoutQuotingAKeyPassedByMistake() {
    CreatedKey key = keys.create(KeySpec.of(SEARCH), "alice");
    assertThatThrownBy(() -> keys.revoke(key.secret(), "alice"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a key id")
        .hasMessageNotContaining(key.secret());
    assertThatThrownBy(() -> keys.revoke("zzzzzzzzzzzzzzzz", "alice"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no key has id");
    assertThatThrownBy(() -> keys.revoke(key.keyId(), " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actor");
    assertThatThrownBy(() -> keys.revoke(key.keyId(), "eve\nforged line"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control");
    assertThatThrownBy(() -> keys.rotate(key.keyId(), Duration.ofSeconds(-1), "alice"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    assertThatThrownBy(() -> KeySpec.of(Principal.builder().keyId("k").build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyId");
    assertThatThrownBy(() -> KeySpec.of(SEARCH).expiringAfter(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThat(events).hasSize(1);
  }

  @Test
  void aFullStoreRefusesNewKeys() {
    ApiKeys small = ApiKeys.builder().store(InMemoryKeyStore.withCapacity(1)).clock(clock)
        .audit(events::add).build();
    small.create(KeySpec.of(SEARCH), "alice");
    assertThatThrownBy(() -> small.create(KeySpec.of(SEARCH), "alice"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("full (1 keys)");
  }

  private org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      Caller caller, Reason reason) {
    return assertThatThrownBy(() -> keys.authenticate(caller))
        .isInstanceOfSatisfying(ApiKeyRejectedException.class, e -> {
          assertThat(e.rejection()).isEqualTo(reason);
          assertThat(e.getMessage()).startsWith("API key refused (" + reason + "): ");
        });
  }
}
