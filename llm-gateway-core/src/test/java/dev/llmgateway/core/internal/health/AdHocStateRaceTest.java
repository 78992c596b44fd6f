package dev.llmgateway.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Deployment;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.Race;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.resilience.DeploymentHealth;
import dev.llmgateway.core.route.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Callers racing to be the first to call an ad-hoc deployment share one state: thousands of
 * rounds, each a new model name that several calls send at once; every call must end on the one
 * breaker that {@code health()} then shows.
 */
@Timeout(120)
class AdHocStateRaceTest {
  private static final int RACERS = 6;
  private static final int ROUNDS = 2_000;

  @Test
  void concurrentFirstCallsOfOneAdHocModelShareOneState() throws Exception {
    StubProvider stub = new StubProvider("stub").recordCalls(false);
    try (Gateway gateway = Gateway.builder().provider(stub)
            .clock(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")))
            .alias("known", Route.to("stub/configured"))
            .maxAdHocDeployments(16)
            .build();
        Race race = new Race(RACERS)) {
      race.run(0x5eed_0223L, ROUNDS, r -> {
        String model = "stub/race-" + r;
        return new Race.Round() {
          @Override
          public List<Runnable> racers() {
            List<Runnable> list = new ArrayList<>();
            for (int t = 0; t < RACERS; t++) {
              list.add(() -> gateway.chat(ChatRequest.of(model, "hi")));
            }
            return list;
          }

          @Override
          public void check() {
            DeploymentHealth health = gateway.health().get(Deployment.parse(model));
            assertThat(health).isNotNull();
            assertThat(health.latencySamples()).as("successes on the one state")
                .isEqualTo(RACERS);
            assertThat(health.inFlight()).isZero();
          }
        };
      });
      assertThat(gateway.health()).hasSizeLessThanOrEqualTo(1 + 16);
    }
  }
}
