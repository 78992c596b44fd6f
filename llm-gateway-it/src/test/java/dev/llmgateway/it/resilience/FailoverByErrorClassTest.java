package dev.llmgateway.it.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.AllCandidatesFailedException;
import dev.llmgateway.Attempt;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.ContextLengthExceededException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.resilience.FailureAction;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockFault;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which failures move a call on, over real sockets: exhausted context windows only to a larger
 * window, content-policy blocks only to the route's fallback, per-class overrides, streams across
 * their commit point, and the story an {@link AllCandidatesFailedException} tells.
 */
class FailoverByErrorClassTest {
  private final OpenAiMockServer a = OpenAiMockServer.start();
  private final OpenAiMockServer b = OpenAiMockServer.start();
  private final OpenAiMockServer c = OpenAiMockServer.start();
  private Gateway gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    a.close();
    b.close();
    c.close();
  }

  private static ModelCapabilities window(int tokens) {
    return new ModelCapabilities(true, true, true, true, true, true, true, false, tokens, 4096);
  }

  private GatewayBuilder builder() {
    return Gateway.builder().retry(RetryPolicy.none()) // the error class decides, not retries
        .provider(OpenAiPresets.openAi().name("a").baseUrl(a.baseUrl()).apiKey("sk-a")
            .defaultCapabilities(window(8_000)).build())
        .provider(OpenAiPresets.openAi().name("b").baseUrl(b.baseUrl()).apiKey("sk-b")
            .defaultCapabilities(window(8_000)).build())
        .provider(OpenAiPresets.openAi().name("c").baseUrl(c.baseUrl()).apiKey("sk-c")
            .defaultCapabilities(window(128_000)).build())
        .alias("smart", Route.fallback("a/gpt-4.1", "b/gpt-4.1", "c/gpt-4.1"));
  }

  @Test
  void anExhaustedContextWindowFailsOverOnlyToALargerOneWhenConfigured() {
    gateway = builder()
        .onFailure(ContextLengthExceededException.class, FailureAction.FAIL_OVER).build();
    a.error(MockError.CONTEXT_LENGTH);
    c.replyText("from the large window", Usage.of(9_000, 5));

    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "a very long prompt"));

    assertThat(answer.deployment().provider()).isEqualTo("c");
    Attempt skipped = answer.attempts().get(1);
    assertThat(skipped.outcome()).isEqualTo(Attempt.Outcome.SKIPPED);
    assertThat(skipped.deployment().provider()).isEqualTo("b");
    assertThat(skipped.reason()).isEqualTo("context window 8000 is not above 8000");
    assertThat(b.requestCount()).isZero();
  }

  @Test
  void anExhaustedContextWindowFailsFastByDefault() {
    gateway = builder().build();
    a.error(MockError.CONTEXT_LENGTH);

    assertThat(catchThrowable(() -> gateway.chat(ChatRequest.of("smart", "long"))))
        .isInstanceOf(ContextLengthExceededException.class);
    assertThat(b.requestCount() + c.requestCount()).isZero();
  }

  @Test
  void aContentPolicyBlockGoesToTheRoutesFallbackOnly() {
    gateway = builder()
        .alias("guarded", Route.fallback("a/gpt-4.1", "b/gpt-4.1").onContentFiltered("c/gpt-4.1"))
        .build();
    a.error(MockError.CONTENT_FILTERED);
    c.replyText("answered by the fallback", Usage.of(5, 3));

    ChatResponse answer = gateway.chat(ChatRequest.of("guarded", "Hi"));

    assertThat(answer.deployment().provider()).isEqualTo("c");
    assertThat(answer.attempts().get(0).reason())
        .endsWith("to the route's content-filter fallback c/gpt-4.1");
    assertThat(b.requestCount()).isZero();
  }

  @Test
  void aContentPolicyBlockWithoutAFallbackFails() {
    gateway = builder().build();
    a.error(MockError.CONTENT_FILTERED);

    assertThat(catchThrowable(() -> gateway.chat(ChatRequest.of("smart", "Hi"))))
        .isInstanceOf(ContentFilteredException.class);
    assertThat(b.requestCount()).isZero();
  }

  @Test
  void aPerClassOverrideMakesAClientErrorFailOver() {
    gateway = builder().onFailure(AuthenticationException.class, FailureAction.FAIL_OVER).build();
    a.error(MockError.AUTHENTICATION);
    b.replyText("b's key works", Usage.of(5, 3));

    assertThat(gateway.chat(ChatRequest.of("smart", "Hi")).text()).isEqualTo("b's key works");
  }

  @Test
  void aStreamFailsOverBeforeItsCommitPointAndEndsTypedAfterIt() {
    gateway = builder().build();
    a.fault(MockFault.DROP_MID_STREAM, List.of());
    b.fault(MockFault.DROP_MID_STREAM, List.of("Hel", "lo"));

    List<ChatEvent> events = new ArrayList<>();
    try (StreamIterator<ChatEvent> it = gateway.stream(ChatRequest.of("smart", "Hi")).iterator()) {
      it.forEachRemaining(events::add);
    }

    assertThat(events.subList(0, 2)).containsExactly(
        new ChatEvent.TextDelta("Hel"), new ChatEvent.TextDelta("lo"));
    ChatEvent.Failed failed = (ChatEvent.Failed) events.get(events.size() - 1);
    assertThat(failed.error()).isInstanceOf(ProviderUnavailableException.class);
    assertThat(failed.deliveredEvents()).isEqualTo(2);
    assertThat(failed.usage().outputTokens()).isPositive();
    assertThat(failed.attempts()).extracting(Attempt::reason).satisfiesExactly(
        r -> assertThat(r).endsWith("failing over"),
        r -> assertThat(r).endsWith("after the commit point: the stream ends"));
    assertThat(c.requestCount()).as("no failover after the commit point").isZero();
  }

  @Test
  void whenEveryCandidateFailsTheExceptionTellsEachAttempt() {
    gateway = builder().build();
    a.error(MockError.SERVER_ERROR);
    b.error(MockError.OVERLOADED);
    c.error(MockError.RATE_LIMITED);

    Throwable thrown = catchThrowable(() -> gateway.chat(ChatRequest.of("smart", "Hi")));

    assertThat(thrown).isInstanceOf(AllCandidatesFailedException.class);
    List<Attempt> attempts = ((AllCandidatesFailedException) thrown).attempts();
    assertThat(attempts).extracting(x -> x.deployment().provider()).containsExactly("a", "b", "c");
    assertThat(attempts).extracting(Attempt::httpStatus).containsExactly(500, 503, 429);
    assertThat(attempts).extracting(Attempt::kind).containsExactly(
        Attempt.Kind.FIRST, Attempt.Kind.FAILOVER, Attempt.Kind.FAILOVER);
    assertThat(attempts).allSatisfy(x -> assertThat(x.reason()).endsWith("failing over"));
    assertThat(thrown).hasMessageStartingWith("every candidate failed: #1 a/gpt-4.1 "
        + "ProviderUnavailableException (500); #2 b/gpt-4.1");
  }
}
