package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AllCandidatesFailedException;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.CircuitState;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A deployment's circuit through the gateway (issue 22.7): its open duration passes on the
 * gateway's clock only, its half-open state lets exactly the configured probes reach the provider
 * while other calls are refused, and the probes' successes — carried from the attempt back to the
 * breaker with their permits — close it.
 */
@Timeout(60)
class HalfOpenProbesTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Deployment DEPLOYMENT = Deployment.parse("stub/m");

  private final MutableClock clock = new MutableClock(START);
  private final StubProvider stub = new StubProvider("stub");
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    callers.shutdownNow();
  }

  private Gateway gateway(int probes) {
    return Gateway.builder().provider(stub).clock(clock)
        .alias("smart", Route.to(DEPLOYMENT.toString()))
        .retry(RetryPolicy.none())
        .circuitBreaker(CircuitBreakerPolicy.builder().consecutiveFailures(1)
            .openDuration(Duration.ofSeconds(30)).halfOpenProbes(probes).build())
        .build();
  }

  private static CircuitState state(Gateway gateway) {
    return gateway.health().get(DEPLOYMENT).state();
  }

  @Test
  void theOpenDurationPassesOnTheGatewaysClockAndAProbesSuccessClosesTheCircuit() {
    stub.on("m").fail(new ProviderUnavailableException("HTTP 503"));
    try (Gateway gateway = gateway(1)) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("smart", "Hi")))
          .isInstanceOf(GatewayException.class);
      assertThat(state(gateway)).isEqualTo(CircuitState.OPEN);

      clock.advance(Duration.ofMillis(29_999));
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("smart", "Hi")))
          .as("refused until the gateway's clock says 30 s, however long the test took")
          .isInstanceOf(AllCandidatesFailedException.class);
      assertThat(stub.calls()).hasSize(1);

      clock.advance(Duration.ofMillis(1));
      ChatResponse probe = gateway.chat(ChatRequest.of("smart", "Hi"));

      assertThat(probe.text()).isEqualTo("Hello, world");
      assertThat(state(gateway)).as("the probe's success came back with its permit")
          .isEqualTo(CircuitState.CLOSED);
    }
  }

  @Test
  void concurrentCallsInHalfOpenSendExactlyTheProbesAndTheirSuccessesClose() throws Exception {
    int probes = 2;
    int calls = 8;
    stub.on("m").fail(new ProviderUnavailableException("HTTP 503"));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(probes);
    for (int i = 0; i < probes; i++) {
      stub.on("m").holdUntil(release, arrived).reply("probe");
    }
    try (Gateway gateway = gateway(probes)) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("smart", "Hi")))
          .isInstanceOf(GatewayException.class);
      clock.advance(Duration.ofSeconds(30));
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch ended = new CountDownLatch(calls - probes); // the probes are held meanwhile
      List<Object> endedFirst = new CopyOnWriteArrayList<>();
      List<Future<Object>> outcomes = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        outcomes.add(callers.submit(() -> {
          go.await();
          Object outcome;
          try {
            outcome = gateway.chat(ChatRequest.of("smart", "Hi"));
          } catch (GatewayException e) {
            outcome = e;
          }
          endedFirst.add(outcome);
          ended.countDown();
          return outcome;
        }));
      }
      go.countDown();
      assertThat(arrived.await(20, TimeUnit.SECONDS)).as("the probes reached the provider")
          .isTrue();
      assertThat(ended.await(20, TimeUnit.SECONDS)).as("the other calls ended").isTrue();
      assertThat(endedFirst).as("calls refused while the probes are held")
          .hasSize(calls - probes).allMatch(o -> o instanceof AllCandidatesFailedException);
      assertThat(stub.calls()).as("the failure and the probes, no more").hasSize(1 + probes);
      assertThat(state(gateway)).isEqualTo(CircuitState.HALF_OPEN);

      release.countDown();
      int answered = 0;
      for (Future<Object> outcome : outcomes) {
        if (outcome.get(20, TimeUnit.SECONDS) instanceof ChatResponse) {
          answered++;
        }
      }

      assertThat(answered).isEqualTo(probes);
      assertThat(state(gateway)).isEqualTo(CircuitState.CLOSED);
    }
  }
}
