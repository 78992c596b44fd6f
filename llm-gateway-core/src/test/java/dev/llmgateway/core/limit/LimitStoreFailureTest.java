package dev.llmgateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.usage.UsageDelivery;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A limit store that fails: the call is refused by {@code LIMIT} with a typed, retriable {@link
 * LimitStoreException} that does not quote the store's message; a deployment whose limit store
 * fails is skipped and the call fails over.
 */
@Timeout(60)
class LimitStoreFailureTest {
  private static final Principal CALLER = Principal.builder().org("acme").team("t").build();

  /** Fails for the counters of the named limits, else counts in memory. */
  private static LimitStore failingFor(Set<String> limits) {
    InMemoryLimitStore memory = new InMemoryLimitStore();
    return new LimitStore() {
      @Override
      public Acquisition acquire(List<LimitRequest> requests, long nowMillis) {
        for (LimitRequest r : requests) {
          if (limits.contains(r.counter().limit())) {
            throw new IllegalStateException("store down at key llmgw:t:acme:secret-ish");
          }
        }
        return memory.acquire(requests, nowMillis);
      }

      @Override
      public void settle(List<Settlement> settlements, long nowMillis) {
        memory.settle(settlements, nowMillis);
      }
    };
  }

  @Test
  void aFailingStoreRefusesTheCallTypedAndRetriableWithoutItsMessage() {
    StubProvider stub = new StubProvider("stub");
    stub.onAnyModel().reply("ok");
    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (Gateway g = Gateway.builder().provider(stub).alias("a", Route.to("stub/m1"))
        .usageSink(usage, UsageDelivery.inline())
        .rateLimits(RateLimits.builder().store(failingFor(Set.of("team-rpm")))
            .limit(RateLimit.requestsPerMinute(10).perTeam()).build())
        .build()) {
      assertThatThrownBy(() -> g.chat(ChatRequest.of("a", "hi"), CALLER))
          .isInstanceOfSatisfying(LimitStoreException.class, e -> {
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.getMessage()).contains("rate limit store failed")
                .doesNotContain("secret-ish");
            assertThat(e.getCause()).isNull();
          });
    }
    assertThat(stub.calls()).isEmpty();
    assertThat(usage.records()).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(UsageRecord.Outcome.REFUSED);
      assertThat(r.refusal()).isEqualTo(UsageRecord.Refusal.LIMIT);
    });
  }

  @Test
  void aDeploymentWhoseLimitStoreFailsIsSkippedAndTheCallFailsOver() {
    StubProvider stub = new StubProvider("stub");
    stub.onAnyModel().reply("ok");
    try (Gateway g = Gateway.builder().provider(stub)
        .alias("a", Route.fallback("stub/m1", "stub/m2"))
        .rateLimits(RateLimits.builder()
            .store(failingFor(Set.of("deployment-stub/m1-rpm")))
            .limit(RateLimit.requestsPerMinute(10).forDeployment("stub/m1"))
            .build())
        .build()) {
      var answer = g.chat(ChatRequest.of("a", "hi"), CALLER);
      assertThat(answer.deployment()).hasToString("stub/m2");
      assertThat(answer.routing().skipped()).singleElement()
          .satisfies(s -> assertThat(s.reason()).contains("rate limit store failed"));
    }
  }
}
