package dev.llmgateway.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.Principal;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.access.AccessPolicy;
import dev.llmgateway.core.access.AccessRule;
import dev.llmgateway.core.resilience.HedgePolicy;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Downgrade;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockFault;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Access rules over real sockets: a deployment the caller is denied is never sent a request — not
 * on failover, not on a budget downgrade, not by a hedge — for unary and streamed calls. The
 * denied provider is an Anthropic wire mock whose request count must stay zero; a caller without
 * the rule shows the same route does reach it.
 */
@Timeout(60)
class AccessOverTheWireTest {
  private static final Principal DENIED_ANTHROPIC =
      Principal.builder().org("acme").team("research").keyId("k-research").build();
  private static final Principal UNRESTRICTED =
      Principal.builder().org("acme").team("platform").keyId("k-platform").build();
  private static final AccessPolicy POLICY = AccessPolicy.builder()
      .team("research", AccessRule.builder("no-anthropic").denyProviders("anthropic").build())
      .team("platform", AccessRule.builder("platform").build())
      .build();

  private final OpenAiMockServer openai = OpenAiMockServer.start();
  private final AnthropicMockServer anthropic = AnthropicMockServer.start();
  private final OpenAiMockServer backup = OpenAiMockServer.start();
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private Gateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
    openai.close();
    anthropic.close();
    backup.close();
  }

  private GatewayBuilder builder() {
    return Gateway.builder().retry(RetryPolicy.none()).usageSink(usage).access(POLICY)
        .provider(OpenAiPresets.openAi().name("openai").baseUrl(openai.baseUrl())
            .apiKey("sk-access-openai-1").build())
        .provider(AnthropicProvider.builder().baseUrl(anthropic.baseUrl())
            .apiKey("sk-ant-access-1").build())
        .provider(OpenAiPresets.openAi().name("backup").baseUrl(backup.baseUrl())
            .apiKey("sk-access-backup-1").build());
  }

  private static ChatResponse call(Gateway gateway, String model, Principal caller,
      boolean streamed) {
    ChatRequest request = ChatRequest.of(model, "Hello there");
    return streamed ? gateway.stream(request, caller).collect() : gateway.chat(request, caller);
  }

  private void answer(OpenAiMockServer server, String text, boolean streamed) {
    if (streamed) {
      server.streamText(List.of(text.substring(0, 3), text.substring(3)), Usage.of(5, 2));
    } else {
      server.replyText(text, Usage.of(5, 2));
    }
  }

  @ParameterizedTest(name = "streamed={0}")
  @ValueSource(booleans = {false, true})
  void failoverFromAFailingAllowedDeploymentNeverReachesTheDeniedOne(boolean streamed) {
    gateway = builder()
        .alias("smart", Route.fallback("openai/gpt-4.1", "anthropic/claude-sonnet-4")).build();
    openai.error(MockError.SERVER_ERROR);

    assertThatThrownBy(() -> call(gateway, "smart", DENIED_ANTHROPIC, streamed))
        .isInstanceOf(GatewayException.class)
        .isNotInstanceOf(AccessDeniedException.class);

    assertThat(openai.requestCount()).isEqualTo(1);
    assertThat(anthropic.requestCount()).as("the denied mock").isZero();
    assertThat(usage.last().attempts()).extracting(Attempt::deployment)
        .containsExactly(Deployment.parse("openai/gpt-4.1"));

    openai.error(MockError.SERVER_ERROR);
    if (streamed) {
      anthropic.streamText(List.of("fail", "ed over"), Usage.of(5, 2));
    } else {
      anthropic.replyText("failed over", Usage.of(5, 2));
    }
    assertThat(call(gateway, "smart", UNRESTRICTED, streamed).text())
        .as("the same route fails over for a caller without the rule").isEqualTo("failed over");
    assertThat(anthropic.requestCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "streamed={0}")
  @ValueSource(booleans = {false, true})
  void aDowngradeToADeniedDeploymentIsNeverSent(boolean streamed) {
    gateway = builder()
        .alias("smart", Route.fallback("openai/gpt-4.1").downgradeTo("budget"))
        .alias("budget", Route.fallback("anthropic/claude-haiku-4-5", "openai/gpt-4.1-mini"))
        .interceptor(InterceptorPosition.BEFORE_ROUTING, chain -> {
          chain.call().tag(Downgrade.class, new Downgrade("team budget at 95%"));
          return chain.proceed(chain.request());
        })
        .build();
    answer(openai, "downgraded", streamed);

    ChatResponse response = call(gateway, "smart", DENIED_ANTHROPIC, streamed);

    assertThat(response.text()).isEqualTo("downgraded");
    RoutingDecision routing = response.routing();
    assertThat(routing.downgraded()).isTrue();
    assertThat(routing.plan()).containsExactly(Deployment.parse("openai/gpt-4.1-mini"));
    assertThat(routing.skipped()).singleElement().satisfies(s -> {
      assertThat(s.deployment()).isEqualTo(Deployment.parse("anthropic/claude-haiku-4-5"));
      assertThat(s.reason()).startsWith("denied by access rule 'no-anthropic'");
    });
    assertThat(openai.takeRequest().body()).contains("gpt-4.1-mini");
    assertThat(anthropic.requestCount()).as("the denied mock").isZero();
  }

  @ParameterizedTest(name = "streamed={0}")
  @ValueSource(booleans = {false, true})
  void aHedgeGoesPastTheDeniedCandidate(boolean streamed) {
    gateway = builder()
        .alias("hedged", Route.fallback("openai/gpt-4.1", "anthropic/claude-sonnet-4",
            "backup/gpt-4.1").hedge(HedgePolicy.after(Duration.ofMillis(60))))
        .build();
    openai.fault(streamed ? MockFault.STALL_MID_STREAM : MockFault.STALL_BEFORE_HEADERS,
        List.of());
    answer(backup, "the hedge won", streamed);

    ChatResponse response = call(gateway, "hedged", DENIED_ANTHROPIC, streamed);

    assertThat(response.text()).isEqualTo("the hedge won");
    assertThat(response.deployment()).isEqualTo(Deployment.parse("backup/gpt-4.1"));
    assertThat(response.attempts()).extracting(Attempt::kind)
        .containsExactlyInAnyOrder(Attempt.Kind.FIRST, Attempt.Kind.HEDGE);
    assertThat(anthropic.requestCount()).as("the denied mock").isZero();
  }

  @Test
  void aDeploymentNamedDirectlyThatIsDeniedIsRefusedBeforeAnyRequest() {
    gateway = builder().build();

    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("anthropic/claude-sonnet-4", "Hi"),
        DENIED_ANTHROPIC))
        .isInstanceOfSatisfying(AccessDeniedException.class,
            e -> assertThat(e.rule()).isEqualTo("no-anthropic"))
        .hasMessageNotContaining("sk-ant-access-1");

    assertThat(anthropic.requestCount()).isZero();
    assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.REFUSED);
    assertThat(usage.last().refusal()).isEqualTo(UsageRecord.Refusal.ACCESS);
  }
}
