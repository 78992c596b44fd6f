package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.ProviderOverloadedException;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The story the gateway adds to an answer: each attempt carries the HTTP status its transport
 * reported on the attempt's context, a success included; the model that served the answer reaches
 * the usage record; the story tells it all on a few lines.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ResponseStoryTest {
  private static final String SERVED = "model-a-2025-04-14";
  private final HttpLikeProvider http = new HttpLikeProvider();
  private final StubProvider silent = new StubProvider("silent");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final Gateway gateway = Gateway.builder()
      .provider(http)
      .provider(silent)
      .alias("smart", Route.fallback("http/model-a", "silent/model-b"))
      .retry(RetryPolicy.none())
      .price("http/model-a", Price.perMillion("0.01", "0.04")) // 2 in, 3 out: $0.00000014
      .usageSink(usage)
      .build();

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void aSuccessfulAttemptCarriesTheStatusItsTransportReported() {
    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "hi"));

    assertThat(answer.attempts()).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(Attempt.Outcome.SUCCEEDED);
      assertThat(a.httpStatus()).isEqualTo(200);
    });
    assertThat(usage.last().attempts().get(0).httpStatus()).isEqualTo(200);
  }

  @Test
  void aStreamedSuccessCarriesItsStatusAndServedModelToo() {
    ChatResponse done;
    try (var events = gateway.stream(ChatRequest.of("smart", "hi")).iterator()) {
      ChatEvent last = null;
      while (events.hasNext()) {
        last = events.next();
      }
      done = ((ChatEvent.Completed) last).response();
    }

    assertThat(done.attempts().get(0).httpStatus()).isEqualTo(200);
    assertThat(done.servedModel()).isEqualTo(SERVED);
    assertThat(usage.last().servedModel()).isEqualTo(SERVED);
    assertThat(usage.last().attempts().get(0).httpStatus()).isEqualTo(200);
  }

  @Test
  void aFailedAttemptKeepsItsErrorsStatusAndAProviderWithoutHttpReportsNone() {
    http.failNext.set(1);

    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "hi"));

    assertThat(answer.attempts()).extracting(Attempt::httpStatus).containsExactly(529, null);
    assertThat(answer.servedModel()).isNull();
    assertThat(usage.last().servedModel()).isNull();
  }

  @Test
  void theServedModelReachesTheUsageRecordOfAChatAndAnEmbedding() {
    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "hi"));
    UsageRecord chat = usage.last();
    EmbeddingResponse vectors = gateway.embed(EmbeddingRequest.of("http/model-a", "hi"));
    UsageRecord embed = usage.last();

    assertThat(answer.servedModel()).isEqualTo(SERVED);
    assertThat(chat.servedModel()).isEqualTo(SERVED);
    assertThat(vectors.servedModel()).isEqualTo(SERVED);
    assertThat(embed.servedModel()).isEqualTo(SERVED);
    assertThat(embed.attempts().get(0).httpStatus()).isEqualTo(200);
  }

  @Test
  void theStoryTellsTheRouteEachAttemptTheTokensAndThePlainCost() {
    http.failNext.set(1);
    http.served = null;
    ChatResponse failedOver = gateway.chat(ChatRequest.of("smart", "hi"));
    http.served = SERVED;
    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "hi"));

    assertThat(answer.story().lines()).hasSize(5).satisfiesExactly(
        l -> assertThat(l).startsWith("call " + answer.callId() + " served by http/model-a"
            + " (model " + SERVED + ") in ").endsWith(" ms"),
        l -> assertThat(l).isEqualTo("  route:     alias smart → strategy ordered; plan"
            + " [http/model-a, silent/model-b]"),
        l -> assertThat(l).startsWith("  attempt 1: http/model-a SUCCEEDED HTTP 200 in "),
        l -> assertThat(l).isEqualTo("  tokens:    2 in, 3 out"),
        l -> assertThat(l).isEqualTo("  cost:      $0.00000014"));
    assertThat(answer.toString()).contains("cost=$0.00000014").doesNotContain("E-");
    assertThat(failedOver.story()).contains("\n  attempt 1: http/model-a FAILED HTTP 529 in ")
        .contains(" ms: ProviderOverloadedException: Overloaded")
        .contains("\n  attempt 2: silent/model-b (failover) SUCCEEDED in ")
        .contains("\n  cost:      unknown (no price for a deployment it used)");
    assertThat(usage.last().story()).startsWith("call " + answer.callId() + " CHAT SUCCEEDED:"
        + " smart → http/model-a (model " + SERVED + ") in ");
  }

  /**
   * A provider that reports an HTTP status on each attempt, as the built-in transports do, and
   * names the model that served its answers; it answers 2 tokens in, 3 out, or fails with a 529
   * while {@link #failNext} is positive.
   */
  private static final class HttpLikeProvider implements Provider {
    final AtomicInteger failNext = new AtomicInteger();
    volatile String served = SERVED;

    @Override
    public String name() {
      return "http";
    }

    @Override
    public ModelCapabilities capabilities(String model) {
      return ModelCapabilities.CHAT_ALL.withEmbeddings(true);
    }

    @Override
    public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
      if (failNext.getAndDecrement() > 0) {
        attempt.responded(529);
        throw new ProviderOverloadedException("Overloaded",
            ErrorDetails.of(attempt.deployment()).withHttp(529, "overloaded_error", null), null);
      }
      attempt.responded(200);
      return ChatResponse.builder().text("Hi!").usage(Usage.of(2, 3))
          .deployment(attempt.deployment()).servedModel(served).build();
    }

    @Override
    public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
      return ChatStream.fromResponse(chat(request, attempt), Runnable::run);
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request, AttemptContext attempt) {
      attempt.responded(200);
      return EmbeddingResponse.of(List.of(new float[] {1f}), Usage.of(1, 0),
          attempt.deployment(), served);
    }
  }
}
