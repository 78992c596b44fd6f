package dev.llmgateway.it.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.RequestOptions;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.resilience.DeploymentPolicy;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retries over real sockets: backoff with jitter and a cap, the server's Retry-After honoured up
 * to a cap and never past the call's deadline, per-class behaviour, and the precedence of
 * gateway, route and deployment policies. Waits run on a scheduler that records them instead.
 */
class RetryOverTheWireTest {
  @RegisterExtension
  final TwoMockProviders wire = new TwoMockProviders();
  private final OpenAiMockServer a = wire.a;
  private final OpenAiMockServer b = wire.b;
  private final InstantScheduler scheduler = new InstantScheduler();
  private Gateway gateway;

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private GatewayBuilder builder(RetryPolicy retry) {
    return wire.builder(null)
        .retry(retry)
        .scheduler(scheduler);
  }

  private static RetryPolicy.Builder retries(int attempts) {
    return RetryPolicy.builder().maxAttempts(attempts);
  }

  @Test
  void a429IsRetriedAfterItsRetryAfter() {
    gateway = wire.build(builder(retries(2).build()));
    a.error(MockError.RATE_LIMITED).replyText("second time lucky", Usage.of(5, 3));

    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "Hi"));

    assertThat(answer.text()).isEqualTo("second time lucky");
    assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(2));
    List<Attempt> attempts = answer.attempts();
    assertThat(attempts).extracting(Attempt::kind)
        .containsExactly(Attempt.Kind.FIRST, Attempt.Kind.RETRY);
    assertThat(attempts.get(0).httpStatus()).isEqualTo(429);
    assertThat(attempts.get(0).reason()).endsWith("retrying in 2000 ms (Retry-After)");
    assertThat(attempts).extracting(a -> a.deployment().provider()).containsExactly("a", "a");
    assertThat(b.requestCount()).isZero();
  }

  @Test
  void aRetryAfterAboveTheCapFailsOverAtOnce() {
    gateway = wire.build(builder(retries(3).maxRetryAfter(Duration.ofSeconds(1)).build()));
    a.error(MockError.RATE_LIMITED);
    b.replyText("from b", Usage.of(5, 2));

    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "Hi"));

    assertThat(answer.deployment().provider()).isEqualTo("b");
    assertThat(scheduler.delays()).as("no wait").isEmpty();
    assertThat(answer.attempts().get(0).reason())
        .endsWith("Retry-After 2000 ms exceeds the 1000 ms cap; failing over");
    assertThat(answer.attempts().get(1).kind()).isEqualTo(Attempt.Kind.FAILOVER);
  }

  @Test
  void aRetryAfterLongerThanTheTimeLeftFailsOverAtOnce() {
    // the call's 1 s deadline has its own timer: not run here, only a wait would be
    InstantScheduler waits = new InstantScheduler(Duration.ofMillis(500));
    gateway = wire.build(builder(retries(3).build()).scheduler(waits));
    a.error(MockError.RATE_LIMITED);
    b.replyText("from b", Usage.of(5, 2));
    ChatRequest request = ChatRequest.builder("smart").user("Hi")
        .options(RequestOptions.DEFAULT.withDeadline(Duration.ofSeconds(1))).build();

    ChatResponse answer = gateway.chat(request);
    waits.shutdownNow();

    assertThat(answer.deployment().provider()).isEqualTo("b");
    assertThat(waits.delays()).isEmpty();
    assertThat(answer.attempts().get(0).reason())
        .contains("would pass the call's deadline; failing over");
  }

  @Test
  void serverErrorsBackOffExponentiallyWithJitterUpToTheCap() {
    gateway = wire.build(builder(retries(4)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(150)).jitter(0.2).build()));
    a.error(MockError.SERVER_ERROR).error(MockError.UNAVAILABLE).error(MockError.OVERLOADED)
        .replyText("finally", Usage.of(5, 1));

    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "Hi"));

    assertThat(answer.text()).isEqualTo("finally");
    List<Duration> waits = scheduler.delays();
    assertThat(waits).hasSize(3);
    assertThat(waits.get(0)).isBetween(Duration.ofMillis(80), Duration.ofMillis(120));
    assertThat(waits.get(1)).as("doubled, then capped at 150 ms")
        .isBetween(Duration.ofMillis(120), Duration.ofMillis(180));
    assertThat(waits.get(2)).isBetween(Duration.ofMillis(120), Duration.ofMillis(180));
    assertThat(answer.attempts()).extracting(Attempt::httpStatus)
        .as("OpenAI says overloaded with a 503").containsExactly(500, 503, 503, 200);
  }

  @Test
  void exhaustedRetriesFailOverToTheNextCandidate() {
    gateway = wire.build(builder(retries(2).backoff(Duration.ZERO, Duration.ZERO).build()));
    a.error(MockError.SERVER_ERROR).error(MockError.SERVER_ERROR);
    b.replyText("from b", Usage.of(5, 2));

    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "Hi"));

    assertThat(answer.attempts()).extracting(Attempt::kind).containsExactly(
        Attempt.Kind.FIRST, Attempt.Kind.RETRY, Attempt.Kind.FAILOVER);
    assertThat(answer.attempts().get(1).reason()).endsWith("retries exhausted; failing over");
    assertThat(a.requestCount()).isEqualTo(2);
  }

  @Test
  void aClientErrorFailsFastWithoutRetryOrFailover() {
    gateway = wire.build(builder(retries(3).build()));
    a.error(MockError.INVALID_REQUEST);

    Throwable thrown = catchThrowable(() -> gateway.chat(ChatRequest.of("smart", "Hi")));

    assertThat(thrown).isInstanceOf(InvalidRequestException.class);
    assertThat(a.requestCount()).isEqualTo(1);
    assertThat(b.requestCount()).isZero();
  }

  @Test
  void anExhaustedQuotaSkipsRetriesAndFailsOver() {
    gateway = wire.build(builder(retries(3).build()));
    a.error(MockError.QUOTA_EXHAUSTED);
    b.replyText("from b", Usage.of(5, 2));

    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "Hi"));

    assertThat(answer.deployment().provider()).isEqualTo("b");
    assertThat(a.requestCount()).isEqualTo(1);
    assertThat(scheduler.delays()).isEmpty();
  }

  @Test
  void aDeploymentsPolicyWinsOverTheRoutesWhichWinsOverTheGateways() {
    gateway = wire.build(builder(RetryPolicy.none())
        .alias("patient", Route.fallback("a/gpt-4.1", "b/gpt-4.1").retry(retries(2).build()))
        .alias("b-first", Route.fallback("b/gpt-4.1", "a/gpt-4.1").retry(retries(2).build()))
        .deployment("b/gpt-4.1", DeploymentPolicy.builder().retry(RetryPolicy.none()).build()));
    a.error(MockError.SERVER_ERROR).replyText("a, by the route's retry", Usage.of(1, 1));
    b.error(MockError.SERVER_ERROR);
    a.replyText("a, after b's single attempt", Usage.of(1, 1));

    assertThat(gateway.chat(ChatRequest.of("patient", "Hi")).text())
        .isEqualTo("a, by the route's retry");
    ChatResponse answer = gateway.chat(ChatRequest.of("b-first", "Hi"));
    assertThat(answer.text()).isEqualTo("a, after b's single attempt");
    assertThat(answer.attempts()).extracting(Attempt::kind)
        .as("b's own policy (none) beat the route's").containsExactly(
            Attempt.Kind.FIRST, Attempt.Kind.FAILOVER);
  }

  @Test
  void embeddingsAreRetriedToo() {
    gateway = wire.build(builder(retries(2).build()));
    a.error(MockError.UNAVAILABLE).replyEmbeddings(List.of(new float[] {0.5f, 0.25f}), 3);

    EmbeddingResponse answer =
        gateway.embed(EmbeddingRequest.of("a/text-embedding-3-small", "hello"));

    assertThat(answer.vectors()).hasSize(1);
    assertThat(answer.attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
  }

  @Test
  void aStreamIsRetriedInvisiblyBeforeItsCommitPoint() {
    gateway = wire.build(builder(retries(2).build()));
    a.error(MockError.OVERLOADED).streamText(List.of("Hel", "lo"), Usage.of(4, 2));

    ChatResponse answer = gateway.stream(ChatRequest.of("smart", "Hi")).collect();

    assertThat(answer.text()).isEqualTo("Hello");
    assertThat(answer.attempts()).extracting(Attempt::kind)
        .containsExactly(Attempt.Kind.FIRST, Attempt.Kind.RETRY);
    assertThat(scheduler.delays()).hasSize(1);
  }
}
