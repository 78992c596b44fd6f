package dev.llmgateway.core.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The execute step asks the call's gates before each attempt and skips what they refuse. */
@Timeout(60)
class AttemptGateTest {

  private static Interceptor gates(Set<String> refused, List<String> asked) {
    return chain -> {
      Call call = (Call) chain.call();
      AttemptGate.add(call, (c, d) -> {
        asked.add("first " + d);
        return null;
      });
      AttemptGate.add(call, (c, d) -> {
        asked.add("second " + d);
        return refused.contains(d.toString())
            ? new RateLimitedException("deployment " + d + " is at its limit", Duration.ofSeconds(3))
            : null;
      });
      return chain.proceed(chain.request());
    };
  }

  @Test
  void aRefusedDeploymentIsSkippedWithTheReasonAndTheCallFailsOver() {
    StubProvider stub = new StubProvider("stub");
    stub.onAnyModel().reply("ok");
    List<String> asked = new CopyOnWriteArrayList<>();
    try (Gateway gateway = Gateway.builder().provider(stub)
        .alias("a", Route.fallback("stub/m1", "stub/m2"))
        .interceptor(InterceptorPosition.BEFORE_ROUTING, gates(Set.of("stub/m1"), asked))
        .build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("a", "hi"));

      assertThat(response.deployment()).isEqualTo(Deployment.parse("stub/m2"));
      assertThat(response.routing().skipped()).singleElement()
          .satisfies(s -> assertThat(s.reason()).isEqualTo("deployment stub/m1 is at its limit"));
      assertThat(asked).containsExactly("first stub/m1", "second stub/m1", "first stub/m2",
          "second stub/m2");
    }
  }

  @Test
  void whenTheGateRefusesEveryCandidateTheCallFailsWithItsTypedError() {
    StubProvider stub = new StubProvider("stub");
    stub.onAnyModel().reply("ok");
    try (Gateway gateway = Gateway.builder().provider(stub)
        .alias("a", Route.to("stub/m1"))
        .interceptor(InterceptorPosition.BEFORE_ROUTING,
            gates(Set.of("stub/m1"), new CopyOnWriteArrayList<>()))
        .build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("a", "hi")))
          .isInstanceOfSatisfying(RateLimitedException.class,
              e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3)));
      assertThat(stub.calls()).isEmpty();
    }
  }
}
