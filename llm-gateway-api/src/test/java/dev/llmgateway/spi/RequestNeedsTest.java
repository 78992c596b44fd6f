package dev.llmgateway.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.CallKind;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Message;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.UnsupportedCapabilityException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one capability rule: every need against a model with and without its capability, the
 * order in which unmet needs are reported, and the context-window arithmetic.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RequestNeedsTest {
  private static final String SCHEMA = "{\"type\":\"object\"}";
  private static final ModelCapabilities EVERYTHING =
      ModelCapabilities.CHAT_ALL.withEmbeddings(true);

  /** A capability a model may lack, and the reason given when a request needs it. */
  enum Capability {
    CHAT("no chat"),
    STREAMING("no streaming"),
    EMBEDDINGS("no embeddings"),
    TOOLS("no tool calling"),
    VISION("no image input"),
    DOCUMENTS("no document input"),
    JSON_SCHEMA("no JSON schema output"),
    REASONING("no reasoning");

    final String reason;

    Capability(String reason) {
      this.reason = reason;
    }

    /** Everything but this. */
    ModelCapabilities lacking() {
      return new ModelCapabilities(this != CHAT, this != STREAMING, this != TOOLS, this != VISION,
          this != DOCUMENTS, this != JSON_SCHEMA, this != REASONING, this != EMBEDDINGS, 0, 0);
    }

    /** The needs of a request that needs exactly this. */
    RequestNeeds needing() {
      switch (this) {
        case CHAT:
          return RequestNeeds.of(ChatRequest.of("m", "hi"), CallKind.CHAT);
        case STREAMING:
          return RequestNeeds.of(ChatRequest.of("m", "hi"), CallKind.STREAM);
        case EMBEDDINGS:
          return RequestNeeds.of(EmbeddingRequest.of("m", "some text"), CallKind.EMBED);
        case TOOLS:
          return chat(ChatRequest.builder("m").user("weather?")
              .tool(ToolDefinition.of("weather", "the weather", SCHEMA)));
        case VISION:
          return chat(ChatRequest.builder("m").message(Message.user(ContentPart.text("what?"),
              ContentPart.imageUrl("https://example.com/cat.png"))));
        case DOCUMENTS:
          return chat(ChatRequest.builder("m").message(Message.user(ContentPart.text("sum up"),
              ContentPart.document(new byte[] {37, 80, 68, 70}, "application/pdf"))));
        case JSON_SCHEMA:
          return chat(ChatRequest.builder("m").user("colours")
              .responseFormat(ResponseFormat.jsonSchema("colours", SCHEMA)));
        default:
          return chat(ChatRequest.builder("m").user("think")
              .reasoning(ReasoningConfig.effort(ReasoningConfig.Effort.HIGH)));
      }
    }
  }

  private static RequestNeeds chat(ChatRequest.Builder request) {
    return RequestNeeds.of(request.build(), CallKind.CHAT);
  }

  static Stream<Arguments> needsAndCapabilities() {
    return Stream.of(Capability.values()).flatMap(need -> Stream.of(Capability.values())
        .map(missing -> Arguments.of(need, missing)));
  }

  @ParameterizedTest(name = "a request needing {0} at a model without {1}")
  @MethodSource("needsAndCapabilities")
  void aNeedIsUnmetExactlyWhenTheModelLacksItsCapability(Capability need, Capability missing) {
    RequestNeeds needs = need.needing();
    // every chat call (tools, images, ... included) also needs unary chat
    String expected = need == missing ? need.reason
        : missing == Capability.CHAT && needs.kind() == CallKind.CHAT ? "no chat" : null;

    assertThat(needs.unmetBy(missing.lacking())).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Capability.class)
  void aModelWithEveryCapabilityMeetsEveryNeed(Capability need) {
    assertThat(need.needing().unmetBy(EVERYTHING)).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Capability.class)
  void aModelWithNoCapabilityMeetsNoNeed(Capability need) {
    ModelCapabilities nothing =
        new ModelCapabilities(false, false, false, false, false, false, false, false, 0, 0);

    assertThat(need.needing().unmetBy(nothing)).isEqualTo(
        need == Capability.EMBEDDINGS || need == Capability.STREAMING ? need.reason
            : "no chat");
  }

  /**
   * The transports' check, which skips working out the needs when the capabilities meet every
   * need: it refuses exactly what {@code of(request, kind).requireMetBy} refuses, with the same
   * message, for every request here at every one of the 256 combinations of capabilities.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Capability.class)
  void theTransportsCheckRefusesExactlyWhatTheNeedsDo(Capability need) {
    RequestNeeds needs = need.needing();
    ErrorDetails details = ErrorDetails.of(new Deployment("p", "m"));
    int refused = 0;
    for (int bits = 0; bits < 256; bits++) {
      ModelCapabilities c = new ModelCapabilities((bits & 1) != 0, (bits & 2) != 0,
          (bits & 4) != 0, (bits & 8) != 0, (bits & 16) != 0, (bits & 32) != 0, (bits & 64) != 0,
          (bits & 128) != 0, 0, 0);
      Throwable expected = catchThrowable(() -> needs.requireMetBy(c, details));
      Throwable actual = catchThrowable(
          () -> RequestNeeds.require(needs.request(), needs.kind(), c, details));
      if (expected == null) {
        assertThat(actual).as("%s", c).isNull();
      } else {
        refused++;
        assertThat(actual).as("%s", c).isInstanceOf(UnsupportedCapabilityException.class)
            .hasMessage(expected.getMessage());
      }
    }
    assertThat(refused).isPositive();
    assertThatThrownBy(() -> RequestNeeds.require(ChatRequest.of("m", "hi"), CallKind.EMBED,
        ModelCapabilities.ALL, details)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFirstUnmetNeedIsReportedInTheDocumentedOrder() {
    RequestNeeds needs = chat(ChatRequest.builder("m")
        .message(Message.user(ContentPart.text("what?"), ContentPart.imageUrl("https://x/y.png"),
            ContentPart.document(new byte[] {1}, "application/pdf")))
        .tool(ToolDefinition.of("zoom", "zooms", SCHEMA))
        .responseFormat(ResponseFormat.jsonSchema("answer", SCHEMA))
        .reasoning(ReasoningConfig.budget(1024)));
    ModelCapabilities caps =
        new ModelCapabilities(true, true, false, false, false, false, false, false, 0, 0);
    String[] expected = {"no tool calling", "no image input", "no document input",
        "no JSON schema output", "no reasoning"};

    for (String reason : expected) {
      assertThat(needs.unmetBy(caps)).isEqualTo(reason);
      caps = grant(caps, reason);
    }
    assertThat(needs.unmetBy(caps)).isNull();
  }

  private static ModelCapabilities grant(ModelCapabilities c, String reason) {
    return new ModelCapabilities(c.chat(), c.streaming(),
        c.tools() || reason.equals("no tool calling"), c.vision() || reason.equals("no image input"),
        c.documents() || reason.equals("no document input"),
        c.jsonSchema() || reason.equals("no JSON schema output"),
        c.reasoning() || reason.equals("no reasoning"), c.embeddings(), 0, 0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reasoningSettings")
  void anyReasoningSettingNeedsAReasoningModel(String name, ReasoningConfig reasoning) {
    RequestNeeds needs = chat(ChatRequest.builder("m").user("2+2?").reasoning(reasoning));

    assertThat(needs.reasoning()).isTrue();
    assertThat(needs.unmetBy(Capability.REASONING.lacking())).isEqualTo("no reasoning");
    assertThat(needs.unmetBy(ModelCapabilities.CHAT_ALL)).isNull();
  }

  static Stream<Arguments> reasoningSettings() {
    return Stream.of(
        Arguments.of("an effort", ReasoningConfig.effort(ReasoningConfig.Effort.MINIMAL)),
        Arguments.of("a budget", ReasoningConfig.budget(2048)),
        // a budget of 0 still sends thinking settings, which a model without them rejects
        Arguments.of("a budget of 0", ReasoningConfig.budget(0)));
  }

  @Test
  void aStreamNeedsStreamingButNotUnaryChat() {
    RequestNeeds stream = RequestNeeds.of(ChatRequest.of("m", "hi"), CallKind.STREAM);

    assertThat(stream.unmetBy(Capability.CHAT.lacking())).isNull();
    assertThat(stream.unmetBy(Capability.STREAMING.lacking())).isEqualTo("no streaming");
  }

  @Test
  void anEmbeddingCallNeedsEmbeddingsOnly() {
    RequestNeeds embed = RequestNeeds.of(EmbeddingRequest.of("m", "x".repeat(4000)),
        CallKind.EMBED);

    assertThat(embed.unmetBy(ModelCapabilities.EMBEDDINGS_ONLY)).isNull();
    assertThat(embed.unmetBy(ModelCapabilities.CHAT_ALL)).isEqualTo("no embeddings");
    assertThat(embed.tooLongFor(ModelCapabilities.EMBEDDINGS_ONLY.withLimits(10, 0)))
        .as("an embedding model's limit is per input, not on their sum").isNull();
    assertThat(embed.estimatedInputTokens()).isEqualTo(1000);
    assertThat(List.of(embed.tools(), embed.images(), embed.documents(), embed.jsonSchema(),
        embed.reasoning())).containsOnly(false);
    assertThat(embed.maxOutputTokens()).isZero();
  }

  @Test
  void aPlainChatNeedsChatOnly() {
    RequestNeeds plain = RequestNeeds.of(ChatRequest.of("m", "hi"), CallKind.CHAT);

    for (Capability missing : Capability.values()) {
      if (missing != Capability.CHAT) {
        assertThat(plain.unmetBy(missing.lacking())).as("without %s", missing).isNull();
      }
    }
  }

  @Test
  void imagesAndDocumentsAreFoundInAnyMessage() {
    RequestNeeds needs = chat(ChatRequest.builder("m")
        .message(Message.user(ContentPart.text("first"), ContentPart.image(new byte[] {1},
            "image/png")))
        .message(Message.assistant("seen"))
        .message(Message.user(ContentPart.text("and"),
            ContentPart.document(new byte[] {2}, "application/pdf"))));

    assertThat(needs.images()).isTrue();
    assertThat(needs.documents()).isTrue();
  }

  @Test
  void toolCallsInTheHistoryNeedNoToolsWhenNoneAreOffered() {
    RequestNeeds needs = chat(ChatRequest.builder("m").user("weather?")
        .message(Message.assistant(List.of(), List.of(new ToolCall("c1", "weather", "{}"))))
        .message(Message.toolResult("c1", "sunny")));

    assertThat(needs.tools()).isFalse();
    assertThat(needs.unmetBy(Capability.TOOLS.lacking())).isNull();
  }

  @Test
  void aJsonObjectFormatIsNoJsonSchemaNeed() {
    RequestNeeds needs = chat(ChatRequest.builder("m").user("json please")
        .responseFormat(ResponseFormat.JSON_OBJECT));

    assertThat(needs.jsonSchema()).isFalse();
    assertThat(needs.unmetBy(Capability.JSON_SCHEMA.lacking())).isNull();
  }

  // ---- the context window

  @ParameterizedTest(name = "window {0}, {1} chars, max output {2}")
  @CsvSource(nullValues = "null", value = {
      // 4 tokens of framing + 600 / 4
      "100, 600, null, context window 100 < estimated 154 input + 0 output tokens",
      "153, 600, null, context window 153 < estimated 154 input + 0 output tokens",
      "154, 600, null, null",
      // 4 + 1 ("hi" rounds up) and the 200 output tokens asked for
      "100, 2, 200, context window 100 < estimated 5 input + 200 output tokens",
      "204, 2, 200, context window 204 < estimated 5 input + 200 output tokens",
      "205, 2, 200, null",
      "8192, 35984, 1000, context window 8192 < estimated 9000 input + 1000 output tokens",
      "10000, 35984, 1000, null",
      // an unknown window fits anything
      "0, 400000, 100000, null"})
  void theContextWindowMustHoldTheEstimatedInputPlusTheMaxOutput(int window, int chars,
      Integer maxOutput, String expected) {
    RequestNeeds needs = chat(ChatRequest.builder("m").user("x".repeat(chars))
        .maxOutputTokens(maxOutput));
    ModelCapabilities caps = ModelCapabilities.CHAT_ALL.withLimits(window, 0);

    assertThat(needs.tooLongFor(caps)).isEqualTo(expected);
    assertThat(needs.unmetBy(caps)).as("transports do not refuse by the estimate").isNull();
  }

  @Test
  void theEstimateIsTheTokenEstimatorsAndIsKept() {
    ChatRequest request = ChatRequest.builder("m").system("be brief").user("x".repeat(99))
        .message(Message.user(ContentPart.imageUrl("https://x/y.png"))).build();
    RequestNeeds needs = RequestNeeds.of(request, CallKind.STREAM);

    assertThat(needs.estimatedInputTokens()).isEqualTo(TokenEstimator.input(request))
        .isEqualTo(needs.estimatedInputTokens());
  }

  // ---- refusing

  @Test
  void requireMetByRefusesNamingTheDeploymentTheNeedAndWhatToDo() {
    RequestNeeds needs = Capability.REASONING.needing();
    ErrorDetails details = ErrorDetails.of(new Deployment("openai", "gpt-4o-mini"));

    assertThatThrownBy(() -> needs.requireMetBy(Capability.REASONING.lacking(), details))
        .isInstanceOfSatisfying(UnsupportedCapabilityException.class, e -> {
          assertThat(e.reason()).isEqualTo("openai/gpt-4o-mini cannot serve this request: no"
              + " reasoning (by its provider's capabilities(model)); send it to a model that can,"
              + " or correct those capabilities if this one can");
          assertThat(e.details()).isEqualTo(details);
          assertThat(e.isRetriable()).isFalse();
        });
  }

  @Test
  void requireMetByNamesTheModelEvenWithoutDetails() {
    assertThatThrownBy(() -> Capability.TOOLS.needing()
        .requireMetBy(Capability.TOOLS.lacking(), ErrorDetails.NONE))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageStartingWith("the model cannot serve this request: no tool calling");
  }

  @Test
  void requireMetByPassesWhenEveryNeedIsMetWhateverTheWindow() {
    RequestNeeds needs = chat(ChatRequest.builder("m").user("x".repeat(1000)));

    assertThatCode(() -> needs.requireMetBy(ModelCapabilities.CHAT_ALL.withLimits(10, 0),
        ErrorDetails.NONE)).doesNotThrowAnyException();
  }

  // ---- building

  @ParameterizedTest(name = "{1}")
  @MethodSource("mismatchedKinds")
  void aKindThatDoesNotFitTheRequestIsRejected(GatewayRequest request, CallKind kind) {
    assertThatThrownBy(() -> RequestNeeds.of(request, kind))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be called as " + kind);
  }

  static Stream<Arguments> mismatchedKinds() {
    return Stream.of(
        Arguments.of(EmbeddingRequest.of("m", "x"), CallKind.CHAT),
        Arguments.of(EmbeddingRequest.of("m", "x"), CallKind.STREAM),
        Arguments.of(ChatRequest.of("m", "x"), CallKind.EMBED));
  }

  @Test
  void toStringListsTheNeeds() {
    RequestNeeds needs = RequestNeeds.of(ChatRequest.builder("m").user("hi")
        .tool(ToolDefinition.of("t", "a tool", SCHEMA)).maxOutputTokens(500)
        .reasoning(ReasoningConfig.budget(1024)).build(), CallKind.STREAM);

    assertThat(needs).hasToString("RequestNeeds[STREAM, tools, reasoning, maxOutputTokens=500]");
    assertThat(needs.kind()).isEqualTo(CallKind.STREAM);
  }
}
