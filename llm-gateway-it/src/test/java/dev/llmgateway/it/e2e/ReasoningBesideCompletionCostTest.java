package dev.llmgateway.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.providers.openai.OpenAiPresets;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 23.1 end to end: an OpenAI-compatible endpoint that counts reasoning tokens beside {@code
 * completion_tokens} (xAI; the usage of the providers' fixture {@code
 * xai/chat-response-reasoning-beside-completion.json}, from Google Cloud's "Reasoning for Grok
 * Models" example) is billed for its reasoning: the call's cost is the hand-computed price of 663
 * input tokens (654 of them cached) and 50 + 124 output tokens, unary and streamed.
 */
class ReasoningBesideCompletionCostTest {
  private static final String MODEL = "grok-4-1-fast-reasoning";
  private static final String USAGE = "{\"prompt_tokens\":663,\"completion_tokens\":50,"
      + "\"total_tokens\":837,\"prompt_tokens_details\":{\"text_tokens\":663,\"audio_tokens\":0,"
      + "\"image_tokens\":0,\"cached_tokens\":654},\"completion_tokens_details\":{"
      + "\"reasoning_tokens\":124,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
      + "\"rejected_prediction_tokens\":0},\"num_sources_used\":0,\"cost_in_usd_ticks\":0}";
  private static final String ANSWER = "I am Grok, an AI assistant built by xAI.";
  /**
   * By hand, in dollars per million tokens: 9 uncached input at 0.20 = 1.8, 654 cached at 0.05 =
   * 32.7, 174 output (50 completion + 124 reasoning, reasoning billed at the output rate) at 0.50 =
   * 87; 121.5 in all, per million.
   */
  private static final BigDecimal HAND_COMPUTED = new BigDecimal("0.0001215");

  private final MockWebServer server = new MockWebServer();
  private final InMemoryUsageSink records = new InMemoryUsageSink();
  private Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    server.start();
    gateway = Gateway.builder()
        .provider(OpenAiPresets.openAi().name("xai").baseUrl(server.url("/v1").toString())
            .apiKey("xai-cost-test-key").build())
        .price("xai/" + MODEL, Price.perMillion("0.20", "0.50").cachedInput("0.05"))
        .usageSink(records)
        .build();
  }

  @AfterEach
  void stop() {
    gateway.close();
    server.close();
  }

  @Test
  void aUnaryCallCostsItsReasoningTokensAtTheOutputRate() {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/json")
        .body("{\"id\":\"knTMaJC0EJfM5OMP7I3xkAk\",\"object\":\"chat.completion\",\"model\":\""
            + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"" + ANSWER + "\"},\"finish_reason\":\"stop\"}],\"usage\":" + USAGE
            + "}")
        .build());

    ChatResponse response = gateway.chat(ChatRequest.of("xai/" + MODEL, "Who are you?"));

    assertThat(response.usage()).isEqualTo(new Usage(663, 174, 654, 0, 124, false));
    assertThat(response.cost()).isEqualByComparingTo(HAND_COMPUTED);
    assertThat(onlyRecord().cost()).isEqualByComparingTo(HAND_COMPUTED);
  }

  @Test
  void aStreamedCallCostsItsReasoningTokensAtTheOutputRate() {
    String chunk = "{\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + MODEL
        + "\",\"choices\":[{\"index\":0,";
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "text/event-stream")
        .body("data: " + chunk + "\"delta\":{\"role\":\"assistant\",\"content\":\"" + ANSWER
            + "\"}}]}\n\n"
            + "data: " + chunk + "\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":" + USAGE
            + "}\n\n"
            + "data: [DONE]\n\n")
        .build());

    List<ChatEvent> events = new ArrayList<>();
    try (var it = ChatStream.of(gateway.stream(ChatRequest.of("xai/" + MODEL, "Who are you?")))
        .iterator()) {
      it.forEachRemaining(events::add);
    }

    ChatResponse response = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
    assertThat(response.usage()).isEqualTo(new Usage(663, 174, 654, 0, 124, false));
    assertThat(response.cost()).isEqualByComparingTo(HAND_COMPUTED);
    assertThat(onlyRecord().cost()).isEqualByComparingTo(HAND_COMPUTED);
  }

  private UsageRecord onlyRecord() {
    assertThat(records.records()).hasSize(1);
    return records.records().get(0);
  }
}
