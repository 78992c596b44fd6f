package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ProviderOverloadedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.core.resilience.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gateway built with no resilience settings behaves as the official OpenAI and Anthropic SDKs
 * do: a transient failure (a 429, an overloaded or unavailable provider) is retried twice with
 * exponential backoff and jitter before the call moves on, a client error is not retried, and
 * {@code RetryPolicy.none()} turns retries off. The waits run on a {@link ManualScheduler}, fired
 * by the test, so nothing here waits for the clock.
 */
@Timeout(60)
class SdkLikeDefaultsTest {

  @Test
  void transientFailuresAreRetriedTwiceWithBackoffAndJitterByDefault() throws Exception {
    StubProvider stub = new StubProvider("stub");
    stub.on("m").fail(new RateLimitedException("slow down", null))
        .fail(new ProviderOverloadedException("overloaded")).reply("third time");
    ManualScheduler timers = new ManualScheduler();
    try (Gateway gateway = Gateway.builder().provider(stub).scheduler(timers)
        .executor(Runnable::run).build()) {
      CompletableFuture<ChatResponse> call =
          CompletableFuture.supplyAsync(() -> gateway.chat(ChatRequest.of("stub/m", "Hi")));
      List<Duration> waits = fireBackoffs(timers, call, 2);
      ChatResponse answer = call.get(30, TimeUnit.SECONDS);

      assertThat(answer.text()).isEqualTo("third time");
      assertThat(answer.attempts()).extracting(Attempt::kind).containsExactly(
          Attempt.Kind.FIRST, Attempt.Kind.RETRY, Attempt.Kind.RETRY);
      assertThat(waits.get(0)).as("500 ms ± 25 %")
          .isBetween(Duration.ofMillis(375), Duration.ofMillis(625));
      assertThat(waits.get(1)).as("doubled: 1 s ± 25 %")
          .isBetween(Duration.ofMillis(750), Duration.ofMillis(1250));
    }
    assertThat(RetryPolicy.defaults().maxAttempts()).isEqualTo(3);
    assertThat(RetryPolicy.defaults().maxRetryAfter()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aClientErrorIsNotRetriedAndRetryPolicyNoneTurnsRetriesOff() {
    StubProvider stub = new StubProvider("stub").recordCalls(true);
    stub.on("bad").fail(new InvalidRequestException("no such parameter"));
    stub.on("busy").fail(new RateLimitedException("slow down", null));
    try (Gateway defaults = Gateway.builder().provider(stub).build();
        Gateway none = Gateway.builder().provider(stub).retry(RetryPolicy.none()).build()) {
      assertThat(outcome(defaults, "stub/bad")).isInstanceOf(InvalidRequestException.class);
      assertThat(stub.calls("bad")).hasSize(1);
      assertThat(outcome(none, "stub/busy")).isInstanceOf(RateLimitedException.class);
      assertThat(stub.calls("busy")).hasSize(1);
    }
  }

  /** Fires the backoff waits of {@code call} as they come: {@code count} of them. */
  private static List<Duration> fireBackoffs(ManualScheduler timers,
      CompletableFuture<?> call, int count) {
    java.util.ArrayList<Duration> fired = new java.util.ArrayList<>();
    while (fired.size() < count && !call.isDone()) {
      List<Duration> due = timers.delays().stream()
          .filter(d -> d.compareTo(Duration.ofMinutes(1)) < 0).toList();
      if (due.isEmpty()) {
        Thread.onSpinWait(); // the call has not reached its next backoff yet
        continue;
      }
      fired.add(due.get(0));
      timers.fire(due.get(0));
    }
    return fired;
  }

  private static Object outcome(Gateway gateway, String model) {
    try {
      return gateway.chat(ChatRequest.of(model, "Hi"));
    } catch (RuntimeException e) {
      return e;
    }
  }
}
