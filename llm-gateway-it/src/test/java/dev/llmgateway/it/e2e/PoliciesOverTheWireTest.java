package dev.llmgateway.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.PolicyViolationException;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.policy.PiiAction;
import dev.llmgateway.core.policy.PiiPolicy;
import dev.llmgateway.core.policy.Policies;
import dev.llmgateway.core.policy.PolicySet;
import dev.llmgateway.core.policy.pii.PiiType;
import dev.llmgateway.core.usage.UsageRecordJson;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.MockRequest;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PII redaction over real sockets: no PII value is in any request body the provider's wire mock
 * recorded, every placeholder the provider answers with comes back to the caller as its value —
 * unary, streamed with a placeholder split across three SSE chunks, and inside tool-call
 * arguments — and neither the usage records nor the cache keep a value.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoliciesOverTheWireTest {
  private static final String EMAIL = "jane.doe@example.com";
  private static final String PHONE = "+44 20 7946 0958";
  private static final String IBAN = "DE89 3704 0044 0532 0130 00";
  private static final String CARD = "4111 1111 1111 1111";
  private static final String PROMPT = "Please write to " + EMAIL + " or call " + PHONE
      + " about the refund to " + IBAN + ".";
  private static final List<String> VALUES = List.of(EMAIL, "7946", "3704", "4111");

  private final OpenAiMockServer openai = OpenAiMockServer.start();
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private Gateway gateway;

  @BeforeEach
  void start() {
    gateway = Gateway.builder()
        .provider(OpenAiPresets.openAi().name("openai").baseUrl(openai.baseUrl())
            .apiKey("sk-policies-wire-1").build())
        .usageSink(usage)
        .cache(ResponseCache.defaults())
        .policies(Policies.of(PolicySet.builder().pii(PiiPolicy.builder()
            .action(PiiType.CREDIT_CARD, PiiAction.BLOCK).build()).build()))
        .build();
  }

  @AfterEach
  void close() {
    gateway.close();
    openai.close();
  }

  private void assertNoValueOnTheWire(MockRequest request) {
    for (String value : VALUES) {
      assertThat(request.body()).as("the provider's recorded body").doesNotContain(value);
    }
  }

  private void assertNoValueInTheRecords() {
    for (UsageRecord record : usage.records()) {
      String json = UsageRecordJson.toJson(record);
      for (String value : VALUES) {
        assertThat(json).doesNotContain(value);
        assertThat(record.toString()).doesNotContain(value);
      }
    }
  }

  @Test
  void aUnaryAnswerGetsTheValuesBackAndTheWireCarriesNone() {
    openai.replyText("I will write to <EMAIL_1> and call <PHONE_1> about <IBAN_1>.",
        Usage.of(30, 12));

    ChatResponse response = gateway.chat(ChatRequest.of("openai/gpt-4.1", PROMPT));

    MockRequest sent = openai.takeRequest();
    assertNoValueOnTheWire(sent);
    assertThat(sent.body()).contains("<EMAIL_1>").contains("<PHONE_1>").contains("<IBAN_1>");
    assertThat(response.text())
        .isEqualTo("I will write to " + EMAIL + " and call " + PHONE + " about " + IBAN + ".");
    assertNoValueInTheRecords();
  }

  @Test
  void aPlaceholderSplitAcrossThreeSseChunksIsRestored() {
    openai.streamText(List.of("Writing to <EM", "AIL", "_1> now."), Usage.of(30, 6));

    StringBuilder deltas = new StringBuilder();
    ChatResponse response = null;
    try (var events = gateway.stream(ChatRequest.of("openai/gpt-4.1", PROMPT)).iterator()) {
      while (events.hasNext()) {
        ChatEvent e = events.next();
        if (e instanceof ChatEvent.TextDelta d) {
          deltas.append(d.text());
        } else if (e instanceof ChatEvent.Completed c) {
          response = c.response();
        }
      }
    }

    assertNoValueOnTheWire(openai.takeRequest());
    assertThat(deltas).hasToString("Writing to " + EMAIL + " now.");
    assertThat(response.text()).isEqualTo("Writing to " + EMAIL + " now.");
    assertNoValueInTheRecords();
  }

  @ParameterizedTest(name = "streamed={0}")
  @ValueSource(booleans = {false, true})
  void aPlaceholderInsideToolCallArgumentsIsRestored(boolean streamed) {
    List<ToolCall> calls = List.of(new ToolCall("call_1", "send_mail",
        "{\"to\":\"<EMAIL_1>\",\"body\":\"Refund to <IBAN_1>\"}"));
    if (streamed) {
      openai.streamToolCalls(calls, 4, Usage.of(30, 20));
    } else {
      openai.replyToolCalls(calls, Usage.of(30, 20));
    }
    ChatRequest request = ChatRequest.of("openai/gpt-4.1", PROMPT);

    ChatResponse response;
    List<String> fragments = new ArrayList<>();
    if (streamed) {
      response = null;
      try (var events = gateway.stream(request).iterator()) {
        while (events.hasNext()) {
          ChatEvent e = events.next();
          if (e instanceof ChatEvent.ToolCallDelta d) {
            fragments.add(d.argumentsFragment());
          } else if (e instanceof ChatEvent.Completed c) {
            response = c.response();
          }
        }
      }
    } else {
      response = gateway.chat(request);
    }

    assertNoValueOnTheWire(openai.takeRequest());
    String restored = "{\"to\":\"" + EMAIL + "\",\"body\":\"Refund to " + IBAN + "\"}";
    assertThat(response.toolCalls()).extracting(ToolCall::arguments).containsExactly(restored);
    if (streamed) {
      assertThat(String.join("", fragments)).isEqualTo(restored);
    }
  }

  @Test
  void theCacheKeepsTheRedactedFormSoAnotherCallersValuesComeBackFromIt() {
    openai.replyText("Noted: <EMAIL_1>.", Usage.of(30, 4));
    ChatResponse first = gateway.chat(ChatRequest.of("openai/gpt-4.1", "Remember " + EMAIL));
    ChatResponse second = gateway.chat(ChatRequest.of("openai/gpt-4.1",
        "Remember bob@example.org"));

    assertThat(first.text()).isEqualTo("Noted: " + EMAIL + ".");
    assertThat(second.cacheHit()).isTrue();
    assertThat(second.text()).isEqualTo("Noted: bob@example.org.");
    assertThat(openai.requestCount()).isEqualTo(1);
  }

  @Test
  void aBlockedKindNeverReachesTheWire() {
    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("openai/gpt-4.1", "Charge " + CARD)))
        .isInstanceOf(PolicyViolationException.class)
        .hasMessageNotContaining("4111");
    assertThat(openai.requestCount()).isZero();
    assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.REFUSED);
    assertNoValueInTheRecords();
  }
}
