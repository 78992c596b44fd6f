package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.spi.ChatResponseAccumulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VocabularyTest {

  private final ChatResponseAccumulator accumulator = new ChatResponseAccumulator();
  private final Deployment openai = new Deployment("openai", "gpt-4o");
  private final Deployment anthropic = new Deployment("anthropic", "claude-sonnet");

  // ---------- Usage ----------

  @Test
  void rejectsCachedAndCacheWriteTokensExceedingInputTokens() {
    assertThatThrownBy(() -> new Usage(10, 0, 6, 5, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cached (6) + cache-write (5) tokens exceed input tokens (10)");
  }

  @Test
  void acceptsCachedAndCacheWriteTokensMakingUpAllInputTokens() {
    assertThatCode(() -> new Usage(10, 0, 6, 4, 0, false)).doesNotThrowAnyException();
  }

  @Test
  void rejectsReasoningTokensExceedingOutputTokens() {
    assertThatThrownBy(() -> new Usage(0, 3, 0, 0, 4, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reasoning tokens (4) exceed output tokens (3)");
  }

  @ParameterizedTest(name = "[{index}] {0}, {1}, {2}, {3}, {4}")
  @CsvSource({
      "-1, 0, 0, 0, 0",
      "0, -1, 0, 0, 0",
      "0, 0, -1, 0, 0",
      "0, 0, 0, -1, 0",
      "0, 0, 0, 0, -1"})
  void usageRejectsNegativeCounts(long input, long output, long cached, long cacheWrite,
      long reasoning) {
    assertThatThrownBy(() -> new Usage(input, output, cached, cacheWrite, reasoning, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 0");
  }

  @ParameterizedTest(name = "estimated {0} + estimated {1} = estimated {2}")
  @CsvSource({
      "false, false, false",
      "true, false, true",
      "false, true, true",
      "true, true, true"})
  void usagePlusSumsEveryCountAndIsEstimatedWhenEitherIs(boolean left, boolean right,
      boolean expected) {
    Usage a = new Usage(100, 50, 30, 20, 10, left);
    Usage b = new Usage(10, 5, 3, 2, 1, right);

    assertThat(a.plus(b)).isEqualTo(new Usage(110, 55, 33, 22, 11, expected));
  }

  @Test
  void usagePlusZeroChangesNothing() {
    Usage usage = Usage.estimate(7, 3);

    assertThat(usage.plus(Usage.ZERO)).isSameAs(usage);
    assertThat(Usage.ZERO.plus(usage)).isSameAs(usage);
    assertThat(usage.totalTokens()).isEqualTo(10);
  }

  // ---------- Deployment ----------

  @Test
  void parseSplitsProviderAndModel() {
    assertThat(Deployment.parse("openai/gpt-4o")).isEqualTo(new Deployment("openai", "gpt-4o"));
  }

  @Test
  void parseSplitsOnTheFirstSlashOnly() {
    Deployment d = Deployment.parse("openrouter/meta-llama/llama-3.1-70b");

    assertThat(d.provider()).isEqualTo("openrouter");
    assertThat(d.model()).isEqualTo("meta-llama/llama-3.1-70b");
    assertThat(d).hasToString("openrouter/meta-llama/llama-3.1-70b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"nope", "/x", "x/", "/", ""})
  void parseRejectsTextWithoutProviderAndModel(String text) {
    assertThatThrownBy(() -> Deployment.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("provider/model, was '" + text + "'");
  }

  @Test
  void deploymentRejectsABlankProvider() {
    assertThatThrownBy(() -> Deployment.parse(" /x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("' /x'");
  }

  // ---------- ChatRequest builder ----------

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 2.01, Double.NaN, Double.POSITIVE_INFINITY})
  void rejectsATemperatureOutsideZeroToTwo(double temperature) {
    ChatRequest.Builder builder = ChatRequest.builder("gpt-4o");

    assertThatThrownBy(() -> builder.temperature(temperature))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("temperature must be within [0, 2], was " + temperature);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 0.7, 2.0})
  void acceptsATemperatureWithinZeroToTwo(double temperature) {
    ChatRequest request = ChatRequest.builder("gpt-4o").user("hi").temperature(temperature)
        .build();

    assertThat(request.temperature()).isEqualTo(temperature);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.5, 1.01, Double.NaN})
  void rejectsATopPOutsideZeroExclusiveToOne(double topP) {
    ChatRequest.Builder builder = ChatRequest.builder("gpt-4o");

    assertThatThrownBy(() -> builder.topP(topP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topP must be within (0, 1], was " + topP);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void rejectsMaxOutputTokensBelowOne(int maxOutputTokens) {
    ChatRequest.Builder builder = ChatRequest.builder("gpt-4o");

    assertThatThrownBy(() -> builder.maxOutputTokens(maxOutputTokens))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxOutputTokens must be > 0, was " + maxOutputTokens);
  }

  @Test
  void clearingASettingWithNullIsAllowed() {
    ChatRequest request = ChatRequest.builder("gpt-4o").user("hi")
        .temperature(1.0).temperature(null)
        .topP(0.5).topP(null)
        .maxOutputTokens(10).maxOutputTokens(null)
        .build();

    assertThat(request.temperature()).isNull();
    assertThat(request.topP()).isNull();
    assertThat(request.maxOutputTokens()).isNull();
  }

  @Test
  void rejectsARequestWithoutMessages() {
    ChatRequest.Builder builder = ChatRequest.builder("gpt-4o");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one message");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1, 2]", "\"flex\"", "", "  "})
  void rejectsProviderExtrasThatAreNotAJsonObject(String json) {
    ChatRequest.Builder builder = ChatRequest.builder("gpt-4o");

    assertThatThrownBy(() -> builder.providerExtra("openai", json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("provider extras for 'openai' must be a JSON object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void rejectsABlankModel(String model) {
    assertThatThrownBy(() -> ChatRequest.builder(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model");
  }

  @Test
  void toBuilderRoundTripsEveryField() {
    ChatRequest request = ChatRequest.builder("openai/gpt-4o")
        .system("Be brief.")
        .user("What's the weather in Paris?")
        .message(Message.assistant(List.of(), List.of(new ToolCall("c1", "weather", "{}"))))
        .message(Message.toolResult("c1", "{\"temp\":21}"))
        .tool(ToolDefinition.of("weather", "Current weather", "{\"type\":\"object\"}"))
        .toolChoice(ToolChoice.tool("weather"))
        .responseFormat(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}"))
        .reasoning(ReasoningConfig.budget(1024))
        .temperature(0.3)
        .topP(0.9)
        .maxOutputTokens(500)
        .stop("END", "STOP")
        .seed(42L)
        .metadata("tenant", "acme")
        .options(RequestOptions.DEFAULT.withDeadline(Duration.ofSeconds(30)).withTags("eval"))
        .providerExtra("openai", "{\"service_tier\":\"flex\"}")
        .extraHeader("X-Trace", "abc")
        .build();

    ChatRequest copy = request.toBuilder().build();

    assertThat(copy).isEqualTo(request).hasSameHashCodeAs(request).isNotSameAs(request);
  }

  @Test
  void changingACopyLeavesTheOriginalAlone() {
    ChatRequest request = ChatRequest.builder("gpt-4o").user("hi").temperature(0.2).build();

    ChatRequest changed = request.toBuilder().user("again").temperature(1.5).build();

    assertThat(changed).isNotEqualTo(request);
    assertThat(request.messages()).hasSize(1);
    assertThat(request.temperature()).isEqualTo(0.2);
    assertThat(request.withModel("gpt-4o")).isSameAs(request);
    assertThat(request.withModel("gpt-4o-mini").model()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void withMessagesChangesOnlyTheConversation() {
    ChatRequest request = ChatRequest.builder("gpt-4o").system("be brief").user("hi")
        .temperature(0.2).metadata("team", "a").extraHeader("X-Trace", "abc").build();
    List<Message> other = List.of(Message.user("hello"));

    ChatRequest changed = request.withMessages(other);

    assertThat(changed).isEqualTo(request.toBuilder().messages(other).build());
    assertThat(request.messages()).hasSize(2);
    assertThatThrownBy(() -> request.withMessages(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one message");
  }

  @Test
  void withMessageChangesOnlyTheAnswersMessage() {
    ChatResponse response = ChatResponse.builder().callId("c-1").text("<EMAIL_1> wrote")
        .deployment(new Deployment("openai", "gpt-4o")).servedModel("gpt-4o-2024-08-06")
        .usage(Usage.of(9, 6)).latency(Duration.ofMillis(31)).finishReason(FinishReason.STOP)
        .build();

    ChatResponse restored = response.withMessage(Message.assistant("ada@example.com wrote"));

    assertThat(restored.message().text()).isEqualTo("ada@example.com wrote");
    assertThat(response.message().text()).isEqualTo("<EMAIL_1> wrote");
    assertThat(restored).usingRecursiveComparison().ignoringFields("message")
        .isEqualTo(response);
  }

  @Test
  void toStringShowsTheShapeButNeverContentOrHeaderValues() {
    ChatRequest request = ChatRequest.builder("gpt-4o")
        .user("my secret question")
        .extraHeader("X-Api-Token", "s3cr3t")
        .build();

    assertThat(request.toString())
        .contains("gpt-4o", "messages=1", "X-Api-Token")
        .doesNotContain("secret question", "s3cr3t");
  }

  // ---------- ContentPart ----------

  @Test
  void anImageNeedsAUrlOrData() {
    assertThatThrownBy(() -> new ContentPart.Image(null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one of url or data");
  }

  @Test
  void anImageCannotHaveBothAUrlAndData() {
    assertThatThrownBy(() -> new ContentPart.Image("https://x/y.png", new byte[] {1}, "image/png",
        null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one of url or data");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void anImageGivenAsBytesNeedsAMediaType(String mediaType) {
    assertThatThrownBy(() -> ContentPart.image(new byte[] {1}, mediaType))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("media type");
  }

  @Test
  void anImageCopiesItsBytes() {
    byte[] bytes = {1, 2, 3};
    ContentPart.Image image = ContentPart.image(bytes, "image/png");

    bytes[0] = 9;
    image.data()[1] = 9;

    assertThat(image.data()).containsExactly(1, 2, 3);
    assertThat(image).isEqualTo(ContentPart.image(new byte[] {1, 2, 3}, "image/png"));
  }

  @Test
  void aDocumentCopiesItsBytes() {
    byte[] bytes = {1, 2, 3};
    ContentPart.Document document = ContentPart.document(bytes, "application/pdf");

    bytes[0] = 9;
    document.data()[1] = 9;

    assertThat(document.data()).containsExactly(1, 2, 3);
  }

  @Test
  void reasoningNeedsTextASignatureOrRedactedData() {
    assertThatThrownBy(() -> new ContentPart.Reasoning(null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------- Message ----------

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void aToolResultNeedsTheCallId(String id) {
    assertThatThrownBy(() -> Message.toolResult(id, "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id of the tool call");
  }

  @Test
  void aToolResultNeedsANonNullCallId() {
    assertThatThrownBy(() -> Message.toolResult(null, "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id of the tool call");
  }

  @Test
  void aToolResultCarriesItsCallIdAndText() {
    Message result = Message.toolResult("call_1", "{\"temp\":21}");

    assertThat(result.role()).isEqualTo(Role.TOOL);
    assertThat(result.toolCallId()).isEqualTo("call_1");
    assertThat(result.text()).isEqualTo("{\"temp\":21}");
  }

  @Test
  void onlyAssistantMessagesCallTools() {
    List<ContentPart> content = List.of(ContentPart.text("hi"));
    List<ToolCall> calls = List.of(new ToolCall("c1", "f", "{}"));

    assertThatThrownBy(() -> new Message(Role.USER, content, calls, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("USER");
  }

  @Test
  void textJoinsTheTextPartsOnly() {
    Message message = Message.user(ContentPart.text("a"), ContentPart.imageUrl("https://x/y.png"),
        ContentPart.text("b"));

    assertThat(message.text()).isEqualTo("ab");
  }

  // ---------- ChatResponseAccumulator ----------

  @Test
  void accumulatorJoinsTextDeltas() {
    accept(new ChatEvent.TextDelta("Hel"), new ChatEvent.TextDelta("lo"),
        new ChatEvent.TextDelta(", world"));

    assertThat(accumulator.text()).isEqualTo("Hello, world");
    assertThat(accumulator.message()).isEqualTo(Message.assistant("Hello, world"));
    assertThat(accumulator.contentEvents()).isEqualTo(3);
  }

  @Test
  void aSignatureClosesAReasoningPart() {
    accept(new ChatEvent.ReasoningDelta("First ", null, null),
        new ChatEvent.ReasoningDelta("thought.", null, null),
        new ChatEvent.ReasoningDelta(null, "sig-1", null),
        new ChatEvent.ReasoningDelta("Second.", "sig-2", null),
        new ChatEvent.TextDelta("Answer"));

    assertThat(accumulator.message().content()).containsExactly(
        new ContentPart.Reasoning("First thought.", "sig-1", null),
        new ContentPart.Reasoning("Second.", "sig-2", null),
        ContentPart.text("Answer"));
  }

  @Test
  void unsignedReasoningIsClosedAtTheEnd() {
    accept(new ChatEvent.ReasoningDelta("Hmm", null, null));

    assertThat(accumulator.message().content())
        .containsExactly(new ContentPart.Reasoning("Hmm", null, null));
  }

  @Test
  void accumulatorKeepsRedactedReasoningAsItsOwnPart() {
    accept(new ChatEvent.ReasoningDelta("Visible", null, null),
        new ChatEvent.ReasoningDelta(null, null, "encrypted-blob"),
        new ChatEvent.TextDelta("Done"));

    assertThat(accumulator.message().content()).containsExactly(
        new ContentPart.Reasoning("Visible", null, null),
        new ContentPart.Reasoning(null, null, "encrypted-blob"),
        ContentPart.text("Done"));
  }

  @Test
  void accumulatorReassemblesToolCallArgumentsByIndex() {
    accept(new ChatEvent.ToolCallDelta(0, "call_a", "weather", "{\"city\""),
        new ChatEvent.ToolCallDelta(1, "call_b", "time", ""),
        new ChatEvent.ToolCallDelta(0, null, null, ":\"Paris\"}"),
        new ChatEvent.ToolCallDelta(1, null, null, "{\"tz\":"),
        new ChatEvent.ToolCallDelta(1, null, null, "\"CET\"}"));

    Message message = accumulator.message();

    assertThat(message.toolCalls()).containsExactly(
        new ToolCall("call_a", "weather", "{\"city\":\"Paris\"}"),
        new ToolCall("call_b", "time", "{\"tz\":\"CET\"}"));
    assertThat(message.content()).as("no empty text part beside tool calls").isEmpty();
  }

  @Test
  void aToolCallWithoutArgumentsGetsAnEmptyObject() {
    accept(new ChatEvent.ToolCallDelta(0, "call_a", "ping", ""));

    assertThat(accumulator.message().toolCalls())
        .containsExactly(new ToolCall("call_a", "ping", "{}"));
  }

  @Test
  void accumulatorIgnoresEventsWithoutContent() {
    accept(new ChatEvent.UsageReport(Usage.of(1, 2)), new ChatEvent.TextDelta("x"));

    assertThat(accumulator.contentEvents()).isEqualTo(1);
    assertThat(accumulator.message()).isEqualTo(Message.assistant("x"));
  }

  @Test
  void accumulatorKeepsPartsInTheOrderTheyArrived() {
    accept(new ChatEvent.TextDelta("Let me "), new ChatEvent.TextDelta("check."),
        new ChatEvent.ReasoningDelta(null, "sig-text", null, "gemini"),
        new ChatEvent.TextDelta("Signed part"),
        new ChatEvent.ReasoningDelta("Then ", null, null, "gemini"),
        new ChatEvent.ReasoningDelta("more.", null, null, "gemini"),
        new ChatEvent.TextDelta("End"));

    assertThat(accumulator.message().content()).containsExactly(
        ContentPart.text("Let me check."),
        new ContentPart.Reasoning(null, "sig-text", null, "gemini"),
        ContentPart.text("Signed part"),
        new ContentPart.Reasoning("Then more.", null, null, "gemini"),
        ContentPart.text("End"));
    assertThat(accumulator.text()).isEqualTo("Let me check.Signed partEnd");
  }

  @Test
  void reasoningPartsKeepTheFormatTheirDeltasNamed() {
    accept(new ChatEvent.ReasoningDelta("Think", null, null, "anthropic"),
        new ChatEvent.ReasoningDelta(null, "sig-a", null, "anthropic"),
        new ChatEvent.ReasoningDelta(null, null, "blob", "anthropic"));

    assertThat(accumulator.message().content()).containsExactly(
        new ContentPart.Reasoning("Think", "sig-a", null, "anthropic"),
        new ContentPart.Reasoning(null, null, "blob", "anthropic"));
  }

  @Test
  void aToolCallKeepsTheSignatureItsDeltaCarried() {
    accept(new ChatEvent.ToolCallDelta(0, "call_a", "weather", "{\"city\":\"Paris\"}",
            "sig-call", "gemini"),
        new ChatEvent.ToolCallDelta(1, "call_b", "time", "{}"));

    assertThat(accumulator.message().toolCalls()).containsExactly(
        new ToolCall("call_a", "weather", "{\"city\":\"Paris\"}", "sig-call", "gemini"),
        new ToolCall("call_b", "time", "{}"));
  }

  @Test
  void aStreamOfAResponseReassemblesToTheSameMessage() {
    Message message = Message.assistant(List.of(ContentPart.text("Before"),
            new ContentPart.Reasoning(null, "sig-1", null, "gemini"), ContentPart.text("After")),
        List.of(new ToolCall("c1", "f", "{}").withSignature("sig-2", "gemini")));
    ChatResponse response = ChatResponse.builder().message(message).build();

    ChatStream.eventsOf(response).forEach(accumulator::accept);

    assertThat(accumulator.message()).isEqualTo(message);
  }

  @Test
  void anEmptyAccumulatorMakesAnEmptyTextMessage() {
    assertThat(accumulator.message()).isEqualTo(Message.assistant(""));
  }

  private void accept(ChatEvent... events) {
    for (ChatEvent event : events) {
      accumulator.accept(event);
    }
  }

  // ---------- provenance of signed parts ----------

  @Test
  void reasoningIsSendableToItsOwnFormatOrAnyWhenItsOriginIsUnknown() {
    ContentPart.Reasoning anthropic = new ContentPart.Reasoning("t", "sig", null, "anthropic");
    ContentPart.Reasoning unknown = new ContentPart.Reasoning("t", "sig", null);

    assertThat(anthropic.sendableTo("anthropic")).isTrue();
    assertThat(anthropic.sendableTo("gemini")).isFalse();
    assertThat(unknown.sendableTo("gemini")).isTrue();
    assertThat(unknown.withFormat("gemini").sendableTo("anthropic")).isFalse();
    assertThatThrownBy(() -> new ContentPart.Reasoning("t", null, null, " "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aToolCallSignatureIsSendableOnlyToItsOwnFormat() {
    ToolCall signed = new ToolCall("c", "f", "{}").withSignature("sig", "gemini");

    assertThat(signed.signatureSendableTo("gemini")).isTrue();
    assertThat(signed.signatureSendableTo("anthropic")).isFalse();
    assertThat(new ToolCall("c", "f", "{}").signatureSendableTo("gemini")).isFalse();
    assertThat(new ToolCall("c", "f", "{}", "sig", null).signatureSendableTo("gemini")).isTrue();
    assertThatThrownBy(() -> new ToolCall("c", "f", "{}", null, "gemini"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a tool call's signature format needs a signature");
  }

  @Test
  void printedSignedPartsNameTheirFormatNotTheirSignature() {
    String signature = "CiQBcsjafGv0rYkq+Vd3hZf1WmJ8nQ2u";

    assertThat(new ToolCall("c", "f", "{}").withSignature(signature, "gemini"))
        .hasToString("ToolCall[id=c, name=f, arguments={}, signed=gemini]");
    assertThat(new ContentPart.Reasoning("abc", signature, null, "anthropic"))
        .hasToString("Reasoning[text=3 chars, signed=true, redacted=false, format=anthropic]");
    assertThat(new ChatEvent.ReasoningDelta(null, signature, null, "gemini").toString())
        .doesNotContain(signature).contains("format=gemini");
  }

  // ---------- GatewayException ----------

  @Test
  void anExceptionMessageEndsWithTheDetails() {
    ErrorDetails details = new ErrorDetails("openai", "gpt-4o", 503, "server_error", "req_1");

    GatewayException e = new ProviderUnavailableException("the provider failed", details, null);

    assertThat(e).hasMessage("the provider failed (provider=openai, model=gpt-4o, status=503, "
        + "code=server_error, requestId=req_1)");
    assertThat(e.reason()).isEqualTo("the provider failed");
    assertThat(e.httpStatus()).isEqualTo(503);
    assertThat(e.requestId()).isEqualTo("req_1");
  }

  @Test
  void theDetailsSuffixNamesOnlyWhatIsKnown() {
    ErrorDetails details = ErrorDetails.of(openai).withHttp(429, null, null);

    GatewayException e = new RateLimitedException("rate limited", null, details, null);

    assertThat(e).hasMessage("rate limited (provider=openai, model=gpt-4o, status=429)");
  }

  @Test
  void noDetailsMeanNoSuffix() {
    assertThat(new ProviderUnavailableException("down")).hasMessage("down");
  }

  @Test
  void allCandidatesFailedListsEachAttemptAndChainsTheFailures() {
    RateLimitedException first = new RateLimitedException("slow down", Duration.ofSeconds(1),
        ErrorDetails.of(openai).withHttp(429, "rate_limit_exceeded", null), null);
    ProviderUnavailableException second = new ProviderUnavailableException("overloaded",
        ErrorDetails.of(anthropic), null);
    List<Attempt> attempts = List.of(
        attempt(1, openai, 429, "RateLimitedException"),
        attempt(2, anthropic, null, "ProviderUnavailableException"));

    AllCandidatesFailedException e =
        new AllCandidatesFailedException(attempts, List.of(first, second));

    assertThat(e).hasMessage("every candidate failed: #1 openai/gpt-4o RateLimitedException "
        + "(429); #2 anthropic/claude-sonnet ProviderUnavailableException");
    assertThat(e.getCause()).isSameAs(second);
    assertThat(e.getSuppressed()).containsExactly(first);
    assertThat(e.attempts()).isEqualTo(attempts);
    assertThat(e.isRetriable()).as("retriable like its last failure").isTrue();
  }

  @Test
  void allCandidatesFailedIsNotRetriableWhenTheLastFailureIsNot() {
    InvalidRequestException last = new InvalidRequestException("bad request");

    AllCandidatesFailedException e = new AllCandidatesFailedException(
        List.of(attempt(1, openai, 400, "InvalidRequestException")), List.of(last));

    assertThat(e.getCause()).isSameAs(last);
    assertThat(e.getSuppressed()).isEmpty();
    assertThat(e.isRetriable()).isFalse();
  }

  private Attempt attempt(int number, Deployment deployment, Integer status, String errorType) {
    return new Attempt(number, deployment, Attempt.Outcome.FAILED, status, Duration.ofMillis(5),
        errorType, "failed", Usage.ZERO);
  }
}
