package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.GatewayListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listeners observe calls without their callers' secrets: an API key or a bearer token reaches
 * the authentication step, never a listener; a principal the host application passed is shown.
 */
@Timeout(30)
class ListenerSeesRedactedCallerTest {
  private static final String KEY = "sk-live-very-secret-0123456789";

  @Test
  void aListenerSeesTheKindOfCredentialButNeverItsSecret() {
    List<Caller> seen = new CopyOnWriteArrayList<>();
    List<Principal> principals = new CopyOnWriteArrayList<>();
    List<CallContext> contexts = new CopyOnWriteArrayList<>();
    try (Gateway gateway = Gateway.builder().provider(new StubProvider("p"))
        .authenticator(caller -> caller instanceof Caller.ApiKey k && k.secret().equals(KEY)
            || caller instanceof Caller.BearerToken t && t.token().equals(KEY)
            ? Principal.of("team-a", "user-1") : null)
        .listener(new GatewayListener() {
          @Override
          public void onCallStart(CallContext call) {
            seen.add(call.caller());
            contexts.add(call);
          }

          @Override
          public void onCallEnd(CallContext call, UsageRecord record) {
            seen.add(call.caller());
            principals.add(call.principal());
          }
        }).build()) {

      gateway.chat(ChatRequest.of("m", "Hi"), Caller.apiKey(KEY));
      gateway.chat(ChatRequest.of("m", "Hi"), Caller.bearerToken(KEY));
    }

    assertThat(seen).hasSize(4).noneMatch(c -> c instanceof Caller.ApiKey k
        && k.secret().equals(KEY) || c instanceof Caller.BearerToken t && t.token().equals(KEY));
    assertThat(seen.get(0)).isInstanceOf(Caller.ApiKey.class);
    assertThat(seen.get(2)).isInstanceOf(Caller.BearerToken.class);
    assertThat(principals.get(0).teamId()).isEqualTo("team-a");
    assertThatThrownBy(() -> contexts.get(0).principal(Principal.ANONYMOUS))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aPrincipalPassedByTheHostApplicationIsShownAsIs() {
    List<Caller> seen = new CopyOnWriteArrayList<>();
    Principal alice = Principal.of("team-b", "alice");
    try (Gateway gateway = Gateway.builder().provider(new StubProvider("p"))
        .listener(new GatewayListener() {
          @Override
          public void onCallStart(CallContext call) {
            seen.add(call.caller());
          }
        }).build()) {
      gateway.chat(ChatRequest.of("m", "Hi"), alice);
    }
    assertThat(seen).containsExactly(alice);
  }
}
