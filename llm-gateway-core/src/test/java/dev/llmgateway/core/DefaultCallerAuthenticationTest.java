package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.Authenticator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gateway with an authenticator never serves an unauthenticated call by default: a call made
 * without a caller goes through the authenticator, which decides whether anonymous calls are
 * allowed; a default caller the application chose is trusted as before.
 */
@Timeout(30)
class DefaultCallerAuthenticationTest {
  private static final Principal TEAM = Principal.of("team-a", "user-1");

  @Test
  void aCallWithoutACallerIsRefusedWhenTheAuthenticatorAcceptsOnlyKeys() {
    List<Caller> asked = new CopyOnWriteArrayList<>();
    InMemoryUsageSink usage = new InMemoryUsageSink();
    Authenticator keysOnly = caller -> {
      asked.add(caller);
      return caller instanceof Caller.ApiKey k && k.secret().equals("k-1") ? TEAM : null;
    };
    try (Gateway gateway = Gateway.builder().provider(new StubProvider("p"))
        .authenticator(keysOnly).usageSink(usage).build()) {

      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("m", "Hi")))
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("pass a Caller");
      assertThat(gateway.chat(ChatRequest.of("m", "Hi"), Caller.apiKey("k-1")).text())
          .isEqualTo("Hello, world");
    }
    assertThat(asked.get(0)).isSameAs(Principal.ANONYMOUS);
    assertThat(usage.records()).extracting(UsageRecord::outcome)
        .containsExactly(UsageRecord.Outcome.REFUSED, UsageRecord.Outcome.SUCCEEDED);
  }

  @Test
  void theAuthenticatorMayAllowAnonymousCallsAsAPrincipalOfItsChoosing() {
    Principal guest = Principal.of("guests", "anonymous");
    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (Gateway gateway = Gateway.builder().provider(new StubProvider("p"))
        .authenticator(caller -> caller == Principal.ANONYMOUS ? guest : null)
        .usageSink(usage).build()) {
      gateway.chat(ChatRequest.of("m", "Hi"));
    }
    assertThat(usage.records()).singleElement().extracting(UsageRecord::principal)
        .isEqualTo(guest);
  }

  @Test
  void aDefaultCallerTheApplicationChoseIsTrustedAsBefore() {
    List<Caller> asked = new CopyOnWriteArrayList<>();
    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (Gateway gateway = Gateway.builder().provider(new StubProvider("p"))
        .authenticator(caller -> {
          asked.add(caller);
          return null;
        })
        .defaultCaller(TEAM).usageSink(usage).build()) {
      gateway.chat(ChatRequest.of("m", "Hi"));
    }
    assertThat(asked).isEmpty();
    assertThat(usage.records()).singleElement().extracting(UsageRecord::principal)
        .isEqualTo(TEAM);
  }

  @Test
  void withoutAnAuthenticatorACallWithoutACallerRunsAsAnonymous() {
    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (Gateway gateway = Gateway.builder().provider(new StubProvider("p"))
        .usageSink(usage).build()) {
      gateway.chat(ChatRequest.of("m", "Hi"));
    }
    assertThat(usage.records()).singleElement().extracting(UsageRecord::principal)
        .isEqualTo(Principal.ANONYMOUS);
  }
}
