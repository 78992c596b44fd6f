package dev.llmgateway.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.AllCandidatesFailedException;
import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.GatewayException;
import dev.llmgateway.Principal;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockFault;
import dev.llmgateway.testing.wire.MockRequest;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway over the OpenAI transport over two wire-level mock servers (OpenAI and Azure):
 * failover on the wire, streams, hashed end users, exact metering, and no key anywhere.
 */
class GatewayOverOpenAiWireTest {
  private static final String OPENAI_KEY = "sk-e2e-SENTINEL-openai-0042";
  private static final String AZURE_KEY = "azure-e2e-SENTINEL-0043";

  private final OpenAiMockServer openAi = OpenAiMockServer.start();
  private final OpenAiMockServer azure = OpenAiMockServer.startAzure();
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream originalErr;
  private Gateway gateway;

  @BeforeEach
  void start() {
    originalErr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    gateway = Gateway.builder().retry(RetryPolicy.none()) // failures fail over at once
        .provider(OpenAiPresets.openAi().baseUrl(openAi.baseUrl()).apiKey(OPENAI_KEY).build())
        .provider(OpenAiPresets.azure(azure.baseUrl(), OpenAiPresets.AZURE_API_VERSION)
            .apiKey(AZURE_KEY).build())
        .alias("smart", Route.fallback("openai/gpt-4.1", "azure/gpt-4.1"))
        .usageSink(usage)
        .listener(new GatewayListener() {
          @Override
          public void onCallStart(CallContext call) {
            throw new IllegalStateException("a listener bug, logged with its stack trace");
          }
        })
        .build();
  }

  @AfterEach
  void stop() {
    gateway.close();
    openAi.close();
    azure.close();
    System.setErr(originalErr);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .doesNotContain(OPENAI_KEY).doesNotContain(AZURE_KEY);
  }

  @Test
  void a429OnTheWireFailsOverToAzureAndTheCallIsMeteredOnce() {
    openAi.error(MockError.RATE_LIMITED);
    azure.replyText("from azure", new Usage(120, 4, 100, 0, 0, false));

    ChatResponse response = gateway.chat(ChatRequest.of("smart", "hi"),
        Principal.builder().team("support").user("alice@example.com").build());

    assertThat(response.text()).isEqualTo("from azure");
    assertThat(response.deployment()).hasToString("azure/gpt-4.1");
    assertThat(response.attempts()).extracting(Attempt::httpStatus).containsExactly(429, 200);
    assertThat(response.usage()).isEqualTo(new Usage(120, 4, 100, 0, 0, false));
    assertThat(usage.records()).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
      assertThat(r.usage()).isEqualTo(response.usage());
    });
    MockRequest first = openAi.takeRequest();
    assertThat(first.header("authorization")).isEqualTo("Bearer " + OPENAI_KEY);
    assertThat(first.body()).contains("\"safety_identifier\":\"")
        .doesNotContain("alice@example.com");
    assertThat(azure.takeRequest().header("api-key")).isEqualTo(AZURE_KEY);
  }

  @Test
  void aStreamDroppedBeforeItsFirstEventFailsOverInvisibly() {
    openAi.fault(MockFault.DROP_MID_STREAM, List.of());
    azure.streamText(List.of("a", "b", "c"), Usage.of(5, 3));

    List<ChatEvent> events = new ArrayList<>();
    try (var it = gateway.stream(ChatRequest.of("smart", "hi")).iterator()) {
      it.forEachRemaining(events::add);
    }

    assertThat(events).filteredOn(ChatEvent::isContent).hasSize(3);
    ChatResponse done = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
    assertThat(done.text()).isEqualTo("abc");
    assertThat(done.deployment()).hasToString("azure/gpt-4.1");
    assertThat(done.attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
    assertThat(openAi.requestCount()).isEqualTo(1);
  }

  @Test
  void aStreamDroppedAfterItsFirstEventEndsWithATypedFailureAndEstimatedUsage() {
    openAi.fault(MockFault.DROP_MID_STREAM, List.of("partial ", "answer"));

    List<ChatEvent> events = new ArrayList<>();
    try (var it = gateway.stream(ChatRequest.of("smart", "hi")).iterator()) {
      it.forEachRemaining(events::add);
    }

    ChatEvent.Failed failed = (ChatEvent.Failed) events.get(events.size() - 1);
    assertThat(failed.committed()).isTrue();
    assertThat(failed.deliveredTextChars()).isEqualTo("partial answer".length());
    assertThat(failed.usage().estimated()).isTrue();
    assertThat(azure.requestCount()).isZero();
    assertThat(openAi.requestCount()).isEqualTo(1);
    assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.STREAM_FAILED);
  }

  @Test
  void whenBothFailTheCallerGetsEveryAttemptAndNoKey() {
    openAi.error(MockError.AUTHENTICATION);
    azure.error(MockError.UNAVAILABLE);
    openAi.error(MockError.SERVER_ERROR);

    Throwable auth = catchThrowable(() -> gateway.chat(ChatRequest.of("smart", "hi")));
    assertThat(auth).isInstanceOf(dev.llmgateway.AuthenticationException.class);
    Throwable both = catchThrowable(() -> gateway.chat(ChatRequest.of("smart", "hi")));
    assertThat(both).isInstanceOf(AllCandidatesFailedException.class);
    for (Throwable t : List.of(auth, both)) {
      assertThat(((GatewayException) t).getMessage())
          .doesNotContain(OPENAI_KEY).doesNotContain(AZURE_KEY);
    }
    assertThat(((AllCandidatesFailedException) both).attempts())
        .extracting(Attempt::httpStatus).containsExactly(500, 503);
  }
}
