package dev.llmgateway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.core.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-memory store holds 100,000 keys, and every lookup finds its own key's principal. */
@Timeout(120)
class ApiKeysAtScaleTest {
  private static final int KEYS = 100_000;

  @Test
  void aHundredThousandKeysEachAuthenticateAsTheirOwnPrincipal() {
    InMemoryKeyStore store = InMemoryKeyStore.create();
    ApiKeys keys = ApiKeys.builder().store(store)
        .clock(new MutableClock(Instant.parse("2026-12-07T10:00:00Z"))).audit(e -> { }).build();
    String[] secrets = new String[KEYS];
    String[] ids = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      CreatedKey key = keys.create(KeySpec.of(Principal.builder().team("team-" + (i % 100))
          .user("user-" + i).build()), "loader");
      secrets[i] = key.secret();
      ids[i] = key.keyId();
    }
    assertThat(store.size()).isEqualTo(KEYS);
    assertThat(keys.list()).hasSize(KEYS);

    for (int i = 0; i < KEYS; i++) {
      Principal p = keys.authenticate(Caller.apiKey(secrets[i]));
      assertThat(p.keyId()).isEqualTo(ids[i]);
      assertThat(p.userId()).isEqualTo("user-" + i);
    }
    // A well-formed key one character away from a stored one is unknown.
    String near = secrets[42].substring(0, secrets[42].length() - 1)
        + (secrets[42].endsWith("A") ? "B" : "A");
    assertThatThrownBy(() -> keys.authenticate(Caller.apiKey(near)))
        .isInstanceOfSatisfying(ApiKeyRejectedException.class, e -> assertThat(e.rejection())
            .isEqualTo(ApiKeyRejectedException.Reason.UNKNOWN));
  }
}
