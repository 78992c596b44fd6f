package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AllCandidatesFailedException;
import dev.llmgateway.Attempt;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.Principal;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.RequestOptions;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UnaryCallTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private final StubProvider primary = new StubProvider("primary");
  private final StubProvider secondary = new StubProvider("secondary");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final List<String> events = new ArrayList<>();
  private final Gateway gateway = Gateway.builder().retry(RetryPolicy.none())
      .provider(primary)
      .provider(secondary)
      .alias("chain", Route.fallback("primary/a", "secondary/b"))
      .defaultProvider("primary")
      .usageSink(usage)
      .clock(Clock.fixed(NOW, ZoneOffset.UTC))
      .defaultCaller(Principal.ANONYMOUS) // calls made without a caller are trusted as anonymous
      .authenticator(credential -> {
        if (credential instanceof Caller.ApiKey k && k.secret().equals("good-key")) {
          return Principal.builder().team("t").keyId("key-1").build();
        }
        throw new AuthenticationException("unknown API key");
      })
      .listener(new RecordingListener(events))
      .build();

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void theResponseTellsItsStory() {
    ChatResponse response = gateway.chat(ChatRequest.of("chain", "hi"));

    assertThat(response.callId()).isNotEmpty();
    assertThat(response.deployment()).hasToString("primary/a");
    assertThat(response.attempts()).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(Attempt.Outcome.SUCCEEDED);
      assertThat(a.deployment()).hasToString("primary/a");
      assertThat(a.number()).isEqualTo(1);
    });
    assertThat(response.usage().outputTokens()).isPositive();
    assertThat(response.latency()).isPositive();
    UsageRecord record = usage.last();
    assertThat(record.timestamp()).isEqualTo(NOW);
    assertThat(record.callId()).isEqualTo(response.callId());
    assertThat(events).containsExactly("callStart", "routed [primary/a, secondary/b]",
        "attemptStart primary/a#1", "attemptEnd SUCCEEDED", "callEnd SUCCEEDED");
  }

  @Test
  void aRetriableFailureFailsOverToTheNextCandidate() {
    primary.failure = new RateLimitedException("slow down", Duration.ofSeconds(2));

    ChatResponse response = gateway.chat(ChatRequest.of("chain", "hi"));

    assertThat(response.deployment()).hasToString("secondary/b");
    assertThat(response.attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
    assertThat(response.attempts().get(0).errorType()).isEqualTo("RateLimitedException");
  }

  @Test
  void anExhaustedQuotaFailsOverToo() {
    primary.failure = new QuotaExhaustedException("out of credit");
    assertThat(gateway.chat(ChatRequest.of("chain", "hi")).deployment())
        .hasToString("secondary/b");
  }

  @Test
  void aNonRetriableFailureFailsFastWithItsOwnType() {
    primary.failure = new InvalidRequestException("bad schema");
    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("chain", "hi")))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(secondary.requests).isEmpty();
    assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
    assertThat(usage.last().errorType()).isEqualTo("InvalidRequestException");
    assertThat(usage.last().deployment()).hasToString("primary/a");
  }

  @Test
  void whenEveryCandidateFailsTheExceptionListsEachAttempt() {
    primary.failure = new RateLimitedException("slow down", null);
    secondary.failure = new ProviderUnavailableException("down");

    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("chain", "hi")))
        .isInstanceOfSatisfying(AllCandidatesFailedException.class, e -> {
          assertThat(e.attempts()).extracting(a -> a.deployment().toString())
              .containsExactly("primary/a", "secondary/b");
          assertThat(e.getMessage()).contains("RateLimitedException")
              .contains("ProviderUnavailableException");
          assertThat(e.getCause()).isSameAs(secondary.failure);
          assertThat(e.isRetriable()).isTrue();
        });
    assertThat(usage.records()).singleElement()
        .satisfies(r -> assertThat(r.attempts()).hasSize(2));
  }

  @Test
  void bareModelsGoToTheDefaultProviderAndProviderSlashModelKeepsTheRest() {
    gateway.chat(ChatRequest.of("gpt-x", "hi"));
    gateway.chat(ChatRequest.of("secondary/meta-llama/llama-3", "hi"));
    assertThat(primary.requests.get(0).model()).isEqualTo("gpt-x");
    assertThat(secondary.requests.get(0).model()).isEqualTo("meta-llama/llama-3");
  }

  @Test
  void aCredentialIsCheckedByTheAuthenticator() {
    gateway.chat(ChatRequest.of("m", "hi"), Caller.apiKey("good-key"));
    assertThat(usage.last().principal().keyId()).isEqualTo("key-1");

    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("m", "hi"), Caller.apiKey("bad-key")))
        .isInstanceOf(AuthenticationException.class);
    assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.REFUSED);
    assertThat(usage.last().refusal()).isEqualTo(UsageRecord.Refusal.AUTHENTICATION);
    assertThat(usage.last().principal()).isNull();
    assertThat(primary.requests).hasSize(1);
  }

  @Test
  void aCredentialWithoutAnAuthenticatorIsRefused() {
    try (Gateway plain = Gateway.builder().retry(RetryPolicy.none()).provider(primary).build()) {
      assertThatThrownBy(() -> plain.chat(ChatRequest.of("m", "hi"), Caller.bearerToken("t")))
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("no authenticator");
    }
  }

  @Test
  void aBuggyInterceptorBecomesATypedInternalError() {
    try (Gateway buggy = Gateway.builder().retry(RetryPolicy.none())
            .provider(primary).usageSink(usage)
        .interceptor(InterceptorPosition.FIRST, chain -> {
          throw new NullPointerException("oops");
        }).build()) {
      assertThatThrownBy(() -> buggy.chat(ChatRequest.of("m", "hi")))
          .isInstanceOf(GatewayInternalException.class)
          .hasCauseInstanceOf(NullPointerException.class);
      assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
    }
  }

  @Test
  void embeddingsTravelTheSameChain() {
    EmbeddingResponse response = gateway.embed(EmbeddingRequest.of("chain", "a", "bcd"));
    assertThat(response.size()).isEqualTo(2);
    assertThat(response.vector(1)[0]).isEqualTo(3f);
    assertThat(response.deployment()).hasToString("primary/a");
    assertThat(response.attempts()).hasSize(1);
    assertThat(usage.last().kind()).isEqualTo(dev.llmgateway.CallKind.EMBED);
  }

  @Test
  void asyncCallsCompleteWithTheResponseOrTheTypedFailure() {
    assertThat(gateway.chatAsync(ChatRequest.of("m", "hi")).join().text())
        .isEqualTo("Hello, world");
    primary.failure = new InvalidRequestException("bad");
    assertThat(gateway.chatAsync(ChatRequest.of("m", "hi")))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(InvalidRequestException.class);
  }

  @Test
  void tagsFromRequestOptionsReachTheUsageRecord() {
    gateway.chat(ChatRequest.builder("m").user("hi")
        .options(RequestOptions.DEFAULT.withTags("feature-x")).build());
    assertThat(usage.last().tags()).containsExactly("feature-x");
  }

  static final class RecordingListener implements dev.llmgateway.spi.GatewayListener {
    private final List<String> events;

    RecordingListener(List<String> events) {
      this.events = events;
    }

    @Override
    public void onCallStart(dev.llmgateway.spi.CallContext call) {
      events.add("callStart");
    }

    @Override
    public void onRouted(dev.llmgateway.spi.CallContext call,
        List<dev.llmgateway.Deployment> candidates) {
      events.add("routed " + candidates);
    }

    @Override
    public void onAttemptStart(dev.llmgateway.spi.CallContext call,
        dev.llmgateway.spi.AttemptContext attempt) {
      events.add("attemptStart " + attempt.deployment() + "#" + attempt.number());
    }

    @Override
    public void onAttemptEnd(dev.llmgateway.spi.CallContext call, Attempt attempt) {
      events.add("attemptEnd " + attempt.outcome());
    }

    @Override
    public void onCallEnd(dev.llmgateway.spi.CallContext call, UsageRecord record) {
      events.add("callEnd " + record.outcome());
    }
  }
}
