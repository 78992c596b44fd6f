package dev.llmgateway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.spi.Authenticator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Composite authenticators: one gateway accepting API keys and bearer tokens. */
@Timeout(30)
class AuthenticatorsTest {
  private static final Principal TOKEN_USER = Principal.builder().team("jwt").build();
  private final ApiKeys keys = ApiKeys.builder().audit(e -> { }).build();
  private final CreatedKey key = keys.create(KeySpec.of(Principal.builder().team("keys").build()),
      "alice");
  private final List<Caller> tokensAsked = new ArrayList<>();
  /** Stands in for the JWT authenticator: accepts the token "good", refuses other tokens. */
  private final Authenticator tokens = caller -> {
    if (!(caller instanceof Caller.BearerToken t)) {
      return null;
    }
    tokensAsked.add(caller);
    if (t.token().equals("good")) {
      return TOKEN_USER;
    }
    throw new AuthenticationException("token refused");
  };

  @Test
  void firstOfAcceptsKeysAndTokens() {
    Authenticator both = Authenticators.firstOf(keys, tokens);
    assertThat(both.authenticate(key.caller()).teamId()).isEqualTo("keys");
    assertThat(both.authenticate(Caller.bearerToken("good"))).isEqualTo(TOKEN_USER);
    assertThat(both.authenticate(Principal.ANONYMOUS)).isNull();
    assertThat(tokensAsked).hasSize(1);
  }

  @Test
  void firstOfStopsAtARefusal() {
    Authenticator both = Authenticators.firstOf(keys, tokens);
    assertThatThrownBy(() -> both.authenticate(Caller.apiKey("gw_nope")))
        .isInstanceOf(ApiKeyRejectedException.class);
    assertThat(tokensAsked).isEmpty();
    assertThatThrownBy(() -> both.authenticate(Caller.bearerToken("bad")))
        .hasMessage("token refused");
  }

  @Test
  void byCredentialRoutesByKindAndNamesAKindNotAccepted() {
    Authenticator both = Authenticators.byCredential(keys, tokens);
    assertThat(both.authenticate(key.caller()).teamId()).isEqualTo("keys");
    assertThat(both.authenticate(Caller.bearerToken("good"))).isEqualTo(TOKEN_USER);
    assertThat(both.authenticate(Principal.ANONYMOUS)).isNull();

    Authenticator keysOnly = Authenticators.byCredential(keys, null);
    assertThatThrownBy(() -> keysOnly.authenticate(Caller.bearerToken("good")))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("accepts no bearer tokens").hasMessageNotContaining("good");
    assertThatThrownBy(() -> Authenticators.byCredential(null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(Authenticators::firstOf).isInstanceOf(IllegalArgumentException.class);
  }
}
