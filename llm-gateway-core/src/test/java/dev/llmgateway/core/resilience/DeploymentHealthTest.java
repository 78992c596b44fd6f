package dev.llmgateway.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Deployment;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeploymentHealthTest {
  private static final Deployment DEPLOYMENT = new Deployment("anthropic", "claude-sonnet-4-5");
  private static final Instant LATER = Instant.parse("2025-01-01T12:00:30Z");

  private static DeploymentHealth health(CircuitState state, Instant openUntil,
      Instant coolingDownUntil) {
    return new DeploymentHealth(DEPLOYMENT, state, openUntil, coolingDownUntil, 0.2, 10, 2, 1, 3,
        4, Duration.ofMillis(120), Duration.ofMillis(300), Duration.ofMillis(900));
  }

  @Test
  void closedAndHalfOpenAreAvailableOpenIsNot() {
    assertThat(health(CircuitState.CLOSED, null, null).available()).isTrue();
    assertThat(health(CircuitState.HALF_OPEN, null, null).available()).isTrue();
    assertThat(health(CircuitState.OPEN, LATER, null).available()).isFalse();
  }

  @Test
  void coolingDownIsUnavailableWhateverTheState() {
    assertThat(health(CircuitState.CLOSED, null, LATER).available()).isFalse();
    assertThat(health(CircuitState.HALF_OPEN, null, LATER).available()).isFalse();
  }

  @Test
  void toStringIsCompact() {
    assertThat(health(CircuitState.OPEN, LATER, LATER)).hasToString(
        "anthropic/claude-sonnet-4-5 OPEN until 2025-01-01T12:00:30Z, cooling down until"
            + " 2025-01-01T12:00:30Z, failures 2/10 (20%), consecutive 1, in flight 3,"
            + " latency p50=120ms p90=300ms p99=900ms (n=4)");
    assertThat(new DeploymentHealth(DEPLOYMENT, CircuitState.CLOSED, null, null, 0, 0, 0, 0, 0, 0,
        null, null, null)).hasToString("anthropic/claude-sonnet-4-5 CLOSED, failures 0/0 (0%),"
            + " consecutive 0, in flight 0, latency n/a");
  }

  @Test
  void deploymentAndStateAreRequired() {
    assertThatThrownBy(() -> new DeploymentHealth(DEPLOYMENT, null, null, null, 0, 0, 0, 0, 0, 0,
        null, null, null)).isInstanceOf(NullPointerException.class).hasMessage("state");
  }
}
