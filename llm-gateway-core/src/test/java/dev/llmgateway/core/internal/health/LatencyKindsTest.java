package dev.llmgateway.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A deployment's unary latencies and its streams' times to first token are kept apart: a hedge
 * reads the percentile of its own kind, so fast first tokens do not pull a unary hedge forward, nor
 * slow whole answers push a stream's hedge back.
 */
@Timeout(30)
class LatencyKindsTest {

  @Test
  void unaryLatenciesAndFirstTokensHaveTheirOwnPercentiles() {
    Breaker breaker = new Breaker(Deployment.parse("p/m"), CircuitBreakerPolicy.defaults(),
        new MutableClock(Instant.EPOCH));
    for (int i = 0; i < 100; i++) {
      assertThat(breaker.acquire()).isNotNull();
      breaker.onSuccess(Breaker.Permit.CLOSED, TimeUnit.MILLISECONDS.toNanos(800), false);
      assertThat(breaker.acquire()).isNotNull();
      breaker.onSuccess(Breaker.Permit.CLOSED, TimeUnit.MILLISECONDS.toNanos(40), true);
    }

    assertThat(breaker.latencyPercentileNanos(0.95, false))
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(800));
    assertThat(breaker.latencyPercentileNanos(0.95, true))
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
    assertThat(breaker.latencyPercentileNanos(0.95)).as("the unary one, as before")
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(800));
    assertThat(breaker.inFlight()).isZero();
  }

  @Test
  void aDeploymentThatOnlyStreamedReportsItsFirstTokensInHealth() {
    Breaker breaker = new Breaker(Deployment.parse("p/m"), CircuitBreakerPolicy.defaults(),
        new MutableClock(Instant.EPOCH));
    assertThat(breaker.acquire()).isNotNull();
    breaker.onSuccess(Breaker.Permit.CLOSED, TimeUnit.MILLISECONDS.toNanos(25), true);

    assertThat(breaker.snapshot().latencyP50()).isNotNull();
    assertThat(breaker.latencyPercentileNanos(0.5, false)).isEqualTo(-1);
  }
}
