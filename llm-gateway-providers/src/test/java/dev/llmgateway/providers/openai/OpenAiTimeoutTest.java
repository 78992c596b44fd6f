package dev.llmgateway.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.spi.AttemptContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A provider that does not answer in time costs the attempt's deadline, not OkHttp's minutes. */
class OpenAiTimeoutTest {
  private final MockWebServer server = new MockWebServer();
  private OpenAiProvider provider;

  @BeforeEach
  void start() throws Exception {
    server.start();
    provider = OpenAiPresets.openAi().baseUrl(server.url("/v1").toString()).apiKey("sk-test-1234")
        .executor(Runnable::run).build();
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS)
        .addHeader("content-type", "application/json").body("{}").build());
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  private static AttemptContext withDeadlineIn(long millis) {
    return new AttemptContext("c", new Deployment("openai", "gpt-4.1"), 1,
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  void aUnaryCallThatStallsBeforeHeadersTimesOutAtTheAttemptDeadline() {
    Throwable t = catchThrowable(
        () -> provider.chat(ChatRequest.of("gpt-4.1", "hi"), withDeadlineIn(300)));
    assertThat(t).isInstanceOfSatisfying(GatewayTimeoutException.class,
        e -> assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.ATTEMPT));
  }

  /**
   * Under a caller that enforces the deadline itself (the gateway), the transport arms no timer
   * of its own: the call runs until the caller cancels it, and that cancellation, past the
   * deadline, is the attempt's timeout.
   */
  @Test
  void underACallerThatEnforcesTheDeadlineItsCancellationIsTheTimeout() throws Exception {
    AttemptContext attempt = withDeadlineIn(50).deadlineEnforced();
    java.util.concurrent.ScheduledExecutorService enforcer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      long start = System.nanoTime();
      enforcer.schedule(attempt::cancel, 300, TimeUnit.MILLISECONDS);

      Throwable t = catchThrowable(() -> provider.chat(ChatRequest.of("gpt-4.1", "hi"), attempt));

      assertThat(System.nanoTime() - start).as("no timer of the transport's own at 50 ms")
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
      assertThat(t).isInstanceOfSatisfying(GatewayTimeoutException.class,
          e -> assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.ATTEMPT));
    } finally {
      enforcer.shutdownNow();
    }
  }

  @Test
  void aStreamThatStallsBeforeHeadersEndsWithAFirstTokenTimeout() {
    List<ChatEvent> events = new ArrayList<>();
    try (var it = ChatStream.of(provider.stream(ChatRequest.of("gpt-4.1", "hi"),
        withDeadlineIn(300))).iterator()) {
      it.forEachRemaining(events::add);
    }
    assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class,
        f -> assertThat(f.error()).isInstanceOfSatisfying(GatewayTimeoutException.class,
            e -> assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.FIRST_TOKEN)));
  }
}
