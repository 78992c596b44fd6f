package dev.llmgateway.providers.anthropic;

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
class AnthropicTimeoutTest {
  private final MockWebServer server = new MockWebServer();
  private AnthropicProvider provider;

  @BeforeEach
  void start() throws Exception {
    server.start();
    provider = AnthropicProvider.builder().baseUrl(server.url("/").toString())
        .apiKey("sk-ant-test-1234").executor(Runnable::run).build();
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS)
        .addHeader("content-type", "application/json").body("{}").build());
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  private static AttemptContext withDeadlineIn(long millis) {
    return new AttemptContext("c", new Deployment("anthropic", "claude-sonnet-4-5"), 1,
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  void aUnaryCallThatStallsBeforeHeadersTimesOutAtTheAttemptDeadline() {
    Throwable t = catchThrowable(() -> provider.chat(
        ChatRequest.of("claude-sonnet-4-5", "hi"), withDeadlineIn(300)));
    assertThat(t).isInstanceOfSatisfying(GatewayTimeoutException.class,
        e -> assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.ATTEMPT));
  }

  @Test
  void aStreamThatStallsBeforeHeadersEndsWithAFirstTokenTimeout() {
    List<ChatEvent> events = new ArrayList<>();
    try (var it = ChatStream.of(provider.stream(ChatRequest.of("claude-sonnet-4-5", "hi"),
        withDeadlineIn(300))).iterator()) {
      it.forEachRemaining(events::add);
    }
    assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class,
        f -> assertThat(f.error()).isInstanceOfSatisfying(GatewayTimeoutException.class,
            e -> assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.FIRST_TOKEN)));
  }
}
