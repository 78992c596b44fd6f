package dev.llmgateway.it.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.CircuitState;
import dev.llmgateway.core.resilience.DeploymentHealth;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Circuit breakers per deployment over real sockets, on an injected clock: consecutive failures
 * open a circuit and routing skips it with the reason; after the open duration a probe closes it;
 * a 429 cools a deployment down for its Retry-After; client errors count for nothing; the health
 * snapshot tells the state and the latency.
 */
class CircuitBreakerOverTheWireTest {
  private static final Deployment A = Deployment.parse("a/gpt-4.1");

  @RegisterExtension
  final TwoMockProviders wire = new TwoMockProviders();
  private final OpenAiMockServer a = wire.a;
  private final OpenAiMockServer b = wire.b;
  private final MutableClock clock = new MutableClock();
  private Gateway gateway;

  private GatewayBuilder builder() {
    return wire.builder(null)
        .clock(clock)
        .circuitBreaker(CircuitBreakerPolicy.builder().consecutiveFailures(2)
            .openDuration(Duration.ofSeconds(30)).build());
  }

  private ChatResponse call() {
    return gateway.chat(ChatRequest.of("smart", "Hi"));
  }

  @Test
  void consecutiveFailuresOpenTheCircuitAndAProbeClosesItAfterTheOpenDuration() {
    gateway = wire.build(builder());
    a.error(MockError.SERVER_ERROR).error(MockError.UNAVAILABLE);
    for (int i = 0; i < 3; i++) {
      b.replyText("b", Usage.of(1, 1));
    }
    call();
    call();

    ChatResponse third = call();

    assertThat(a.requestCount()).as("the open circuit is skipped").isEqualTo(2);
    Attempt skipped = third.attempts().get(0);
    assertThat(skipped.outcome()).isEqualTo(Attempt.Outcome.SKIPPED);
    assertThat(skipped.reason()).startsWith("circuit open until 2026-11-25T12:00:30Z");
    DeploymentHealth health = gateway.health().get(A);
    assertThat(health.state()).isEqualTo(CircuitState.OPEN);
    assertThat(health.available()).isFalse();
    assertThat(health.consecutiveFailures()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(30));
    a.replyText("a is back", Usage.of(1, 1));

    assertThat(call().text()).isEqualTo("a is back");
    assertThat(gateway.health().get(A).state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void a429CoolsTheDeploymentDownForItsRetryAfter() {
    gateway = wire.build(builder());
    a.error(MockError.RATE_LIMITED);
    b.replyText("b", Usage.of(1, 1)).replyText("b again", Usage.of(1, 1));
    call();

    ChatResponse cooled = call();

    assertThat(cooled.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SKIPPED);
    assertThat(cooled.attempts().get(0).reason()).contains("cooling down");
    assertThat(gateway.health().get(A).coolingDownUntil())
        .isEqualTo(clock.instant().plusSeconds(2));
    assertThat(gateway.health().get(A).state()).as("a 429 is no failure")
        .isEqualTo(CircuitState.CLOSED);

    clock.advance(Duration.ofSeconds(2));
    a.replyText("a again", Usage.of(1, 1));
    assertThat(call().text()).isEqualTo("a again");
  }

  @Test
  void clientErrorsNeverOpenTheCircuit() {
    gateway = wire.build(builder());
    for (int i = 0; i < 3; i++) {
      a.error(MockError.INVALID_REQUEST);
      try {
        call();
      } catch (RuntimeException expected) {
        // the caller's mistake, not the deployment's
      }
    }

    DeploymentHealth health = gateway.health().get(A);
    assertThat(health.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(health.failuresInWindow()).isZero();
    assertThat(a.requestCount()).isEqualTo(3);
  }

  @Test
  void theHealthSnapshotTellsLatencyPercentilesAndFailureRate() {
    gateway = wire.build(builder().circuitBreaker(CircuitBreakerPolicy.defaults()));
    for (int i = 0; i < 4; i++) {
      a.replyText("ok", Usage.of(1, 1));
    }
    a.error(MockError.SERVER_ERROR);
    b.replyText("b", Usage.of(1, 1));
    for (int i = 0; i < 5; i++) {
      call();
    }

    DeploymentHealth health = gateway.health().get(A);
    assertThat(health.callsInWindow()).isEqualTo(5);
    assertThat(health.failuresInWindow()).isEqualTo(1);
    assertThat(health.failureRate()).isEqualTo(0.2);
    assertThat(health.latencySamples()).isEqualTo(4);
    assertThat(health.latencyP50()).isPositive();
    assertThat(health.latencyP99()).isGreaterThanOrEqualTo(health.latencyP50());
    assertThat(health.inFlight()).isZero();
    assertThat(gateway.health()).containsKeys(A, Deployment.parse("b/gpt-4.1"));
  }
}
