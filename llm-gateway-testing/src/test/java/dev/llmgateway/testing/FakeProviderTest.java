package dev.llmgateway.testing;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallKind;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.FinishReason;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.Message;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.ToolCall;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FakeProviderTest {

  private final FakeProvider fake = FakeProvider.create();
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final Gateway gateway = Gateway.builder().retry(RetryPolicy.none())
          .provider(fake).usageSink(usage).build();

  @AfterEach
  void closeGatewayAndFake() {
    gateway.close();
    fake.close();
  }

  private static List<ChatEvent> events(Gateway gateway, ChatRequest request) {
    List<ChatEvent> events = new ArrayList<>();
    try (StreamIterator<ChatEvent> it = gateway.stream(request).iterator()) {
      it.forEachRemaining(events::add);
    }
    return events;
  }

  private List<ChatEvent> events(ChatRequest request) {
    return events(gateway, request);
  }

  private static ChatEvent last(List<ChatEvent> events) {
    return events.get(events.size() - 1);
  }

  // --- each step kind ---

  @Test
  void replyAnswersWithTheTextAndExactUsage() {
    fake.on("gpt-4o").reply("Hello there");

    ChatResponse response = gateway.chat(ChatRequest.of("gpt-4o", "Say hello, please"));

    assertThat(response.text()).isEqualTo("Hello there");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.rawFinishReason()).isEqualTo("stop");
    assertThat(response.deployment()).isEqualTo(new Deployment("fake", "gpt-4o"));
    // 17 characters in, 11 out: a quarter, rounded up
    assertThat(response.usage()).isEqualTo(Usage.of(5, 3));
    assertThat(usage.last().usage()).isEqualTo(Usage.of(5, 3));
  }

  @Test
  void usageCountsAtLeastOneTokenEachWay() {
    fake.on("gpt-4o").reply("");

    assertThat(gateway.chat(ChatRequest.of("gpt-4o", "")).usage()).isEqualTo(Usage.of(1, 1));
  }

  @Test
  void replyWithUsageKeepsTheGivenUsage() {
    Usage given = new Usage(100, 7, 40, 0, 0, false);
    fake.on("gpt-4o").reply("Hi", given);

    assertThat(gateway.chat(ChatRequest.of("gpt-4o", "Hello")).usage()).isEqualTo(given);
  }

  @Test
  void replyWithAResponseAnswersWithItAndFillsInTheDeployment() {
    ChatResponse given = ChatResponse.builder()
        .message(Message.assistant(List.of(new ContentPart.Reasoning("let me think", "sig", null),
            ContentPart.text("42")), List.of()))
        .finishReason(FinishReason.LENGTH)
        .rawFinishReason("length")
        .usage(Usage.of(9, 9))
        .providerResponseId("resp-1")
        .build();
    fake.on("o3").reply(given);

    ChatResponse response = gateway.chat(ChatRequest.of("o3", "The answer?"));

    assertThat(response.text()).isEqualTo("42");
    assertThat(response.message().content()).isEqualTo(given.message().content());
    assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(response.providerResponseId()).isEqualTo("resp-1");
    assertThat(response.usage()).isEqualTo(Usage.of(9, 9));
    assertThat(response.deployment()).isEqualTo(new Deployment("fake", "o3"));
  }

  @Test
  void replyWithToolCallAsksForTheTool() {
    fake.on("gpt-4o").replyWithToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}");

    ChatResponse response = gateway.chat(ChatRequest.of("gpt-4o", "Weather in Oslo?"));

    assertThat(response.toolCalls())
        .containsExactly(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.rawFinishReason()).isEqualTo("tool_calls");
    // "get_weather" and its arguments: 11 + 15 characters
    assertThat(response.usage().outputTokens()).isEqualTo(7);
  }

  @Test
  void failMakesChatThrowTheScriptedError() {
    RateLimitedException error = new RateLimitedException("slow down", Duration.ofSeconds(2));
    fake.on("gpt-4o").fail(error);

    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("gpt-4o", "Hi"))).isSameAs(error);
    assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
  }

  @Test
  void streamEmitsTheDeltasThenAUsageReportThenCompleted() {
    fake.on("gpt-4o").stream("Hel", "lo");

    List<ChatEvent> events = events(ChatRequest.of("gpt-4o", "Greet me"));

    assertThat(events).hasSize(4);
    assertThat(events.subList(0, 2))
        .containsExactly(new ChatEvent.TextDelta("Hel"), new ChatEvent.TextDelta("lo"));
    assertThat(events.get(2)).isEqualTo(new ChatEvent.UsageReport(Usage.of(2, 2)));
    ChatResponse response = ((ChatEvent.Completed) events.get(3)).response();
    assertThat(response.text()).isEqualTo("Hello");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.rawFinishReason()).isEqualTo("stop");
    assertThat(response.usage()).isEqualTo(Usage.of(2, 2));
    assertThat(response.deployment()).isEqualTo(new Deployment("fake", "gpt-4o"));
  }

  @Test
  void streamEventsAppendsUsageAndACompletedAssembledFromTheEvents() {
    fake.on("gpt-4o").streamEvents(List.of(
        new ChatEvent.ReasoningDelta("thinking", null, null),
        new ChatEvent.ReasoningDelta(null, "sig", null),
        new ChatEvent.ToolCallDelta(0, "call_1", "get_weather", "{\"city\":"),
        new ChatEvent.ToolCallDelta(0, null, null, "\"Oslo\"}")));

    List<ChatEvent> events = events(ChatRequest.of("gpt-4o", "Weather?"));

    assertThat(events).hasSize(6);
    assertThat(events.get(4)).isInstanceOf(ChatEvent.UsageReport.class);
    ChatResponse response = ((ChatEvent.Completed) last(events)).response();
    assertThat(response.toolCalls())
        .containsExactly(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"));
    assertThat(response.message().content())
        .containsExactly(new ContentPart.Reasoning("thinking", "sig", null));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.rawFinishReason()).isEqualTo("tool_calls");
  }

  @Test
  void streamEventsKeepsATerminalEventItWasGiven() {
    ChatResponse given = ChatResponse.builder().text("a").providerResponseId("r-9").build();
    fake.on("gpt-4o").streamEvents(
        List.of(new ChatEvent.TextDelta("a"), new ChatEvent.Completed(given)));

    List<ChatEvent> events = events(ChatRequest.of("gpt-4o", "Hi"));

    assertThat(events).hasSize(2);
    assertThat(((ChatEvent.Completed) last(events)).response().providerResponseId())
        .isEqualTo("r-9");
  }

  @Test
  void streamEventsRejectsATerminalEventBeforeTheLast() {
    List<ChatEvent> events = List.of(
        ChatEvent.Failed.of(new ProviderUnavailableException("down")),
        new ChatEvent.TextDelta("a"));

    assertThatThrownBy(() -> fake.on("gpt-4o").streamEvents(events))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("may only come last");
  }

  @Test
  void streamThenFailEmitsTheDeltasThenAFailureWithEstimatedUsage() {
    ProviderUnavailableException error = new ProviderUnavailableException("connection reset");
    fake.on("gpt-4o").streamThenFail(List.of("Hel", "lo"), error);
    // the caller had content before the failure: the record says the stream failed midway

    List<ChatEvent> events = events(ChatRequest.of("gpt-4o", "Greet me"));

    assertThat(events.subList(0, 2))
        .containsExactly(new ChatEvent.TextDelta("Hel"), new ChatEvent.TextDelta("lo"));
    ChatEvent.Failed failed = (ChatEvent.Failed) events.get(2);
    assertThat(failed.error()).isSameAs(error);
    assertThat(failed.committed()).isTrue();
    assertThat(failed.deliveredTextChars()).isEqualTo(5);
    assertThat(failed.usage()).isEqualTo(Usage.estimate(2, 2));
    assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.STREAM_FAILED);
  }

  @Test
  void embeddingAnswersWithTheVectors() {
    fake.on("text-embedding-3-small").embedding(new float[] {0.1f, 0.2f}, new float[] {0.3f});

    EmbeddingResponse response = gateway.embed(
        EmbeddingRequest.of("text-embedding-3-small", "hello world", "bye"));

    assertThat(response.vectors()).containsExactly(new float[] {0.1f, 0.2f}, new float[] {0.3f});
    assertThat(response.usage()).isEqualTo(Usage.of(4, 0)); // 14 characters
    assertThat(response.deployment()).isEqualTo(new Deployment("fake", "text-embedding-3-small"));
    assertThat(fake.lastCall().kind()).isEqualTo(CallKind.EMBED);
    assertThat(fake.lastCall().embeddingRequest().inputs()).containsExactly("hello world", "bye");
  }

  @Test
  void anEmbeddingStepCannotAnswerAChat() {
    fake.on("gpt-4o").embedding(new float[] {1f});

    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("gpt-4o", "Hi")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("embedding(1 vector)")
        .hasMessageContaining("cannot answer a chat call");
  }

  // --- unary and stream steps cross over ---

  @Test
  void aReplyConsumedByAStreamIsStreamedAsOneDelta() {
    fake.on("gpt-4o").reply("Hello");

    List<ChatEvent> events = events(ChatRequest.of("gpt-4o", "Hi"));

    assertThat(events).hasSize(3);
    assertThat(events.get(0)).isEqualTo(new ChatEvent.TextDelta("Hello"));
    assertThat(events.get(1)).isEqualTo(new ChatEvent.UsageReport(Usage.of(1, 2)));
    assertThat(((ChatEvent.Completed) events.get(2)).response().text()).isEqualTo("Hello");
  }

  @Test
  void aToolCallConsumedByAStreamIsStreamedAsOneToolCallDelta() {
    fake.on("gpt-4o").replyWithToolCall("call_1", "lookup", "{}");

    List<ChatEvent> events = events(ChatRequest.of("gpt-4o", "Hi"));

    assertThat(events.get(0)).isEqualTo(new ChatEvent.ToolCallDelta(0, "call_1", "lookup", "{}"));
    assertThat(((ChatEvent.Completed) last(events)).response().finishReason())
        .isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void aStreamConsumedByChatIsAssembledIntoTheResponse() {
    fake.on("gpt-4o").stream("Hel", "lo", " world");

    ChatResponse response = gateway.chat(ChatRequest.of("gpt-4o", "Hi"));

    assertThat(response.text()).isEqualTo("Hello world");
    assertThat(response.usage()).isEqualTo(Usage.of(1, 3));
    assertThat(response.deployment()).isEqualTo(new Deployment("fake", "gpt-4o"));
  }

  @Test
  void aFailureConsumedByAStreamEndsItWithASingleFailedEvent() {
    ContentFilteredException error = new ContentFilteredException("blocked");
    fake.on("gpt-4o").fail(error);

    List<ChatEvent> events = events(ChatRequest.of("gpt-4o", "Hi"));

    assertThat(events).hasSize(1);
    assertThat(((ChatEvent.Failed) events.get(0)).error()).isSameAs(error);
  }

  @Test
  void aStreamThatFailsConsumedByChatThrowsItsError() {
    ProviderUnavailableException error = new ProviderUnavailableException("reset");
    fake.on("gpt-4o").streamThenFail(List.of("partial"), error);

    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("gpt-4o", "Hi"))).isSameAs(error);
  }

  // --- nothing scripted, script order, fallbacks ---

  @Test
  void chatWithNothingScriptedThrowsAnInvalidRequestNamingTheModel() {
    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("gpt-4o", "Hi")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("no step was scripted for model 'gpt-4o'");
    assertThat(fake.callCount()).isEqualTo(1);
  }

  @Test
  void streamWithNothingScriptedEndsWithAFailedInvalidRequest() {
    List<ChatEvent> events = events(ChatRequest.of("gpt-4o", "Hi"));

    assertThat(events).hasSize(1);
    assertThat(((ChatEvent.Failed) events.get(0)).error())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("no step was scripted for model 'gpt-4o'");
  }

  @Test
  void aModelsScriptWinsOverTheAnyModelScriptWhileItHasStepsLeft() {
    fake.on("a").reply("from a");
    fake.onAnyModel().reply("any 1").reply("any 2");

    assertThat(gateway.chat(ChatRequest.of("a", "Hi")).text()).isEqualTo("from a");
    assertThat(gateway.chat(ChatRequest.of("a", "Hi")).text()).isEqualTo("any 1");
    assertThat(gateway.chat(ChatRequest.of("b", "Hi")).text()).isEqualTo("any 2");
    fake.assertAllConsumed();
  }

  @Test
  void anAnyModelFallbackAnswersEveryCallOnceTheStepsAreUsedUp() {
    fake.on("a").reply("scripted");
    fake.onAnyModel().alwaysReply(request -> "echo: " + request.lastUserText());

    assertThat(gateway.chat(ChatRequest.of("a", "one")).text()).isEqualTo("scripted");
    assertThat(gateway.chat(ChatRequest.of("a", "two")).text()).isEqualTo("echo: two");
    assertThat(gateway.chat(ChatRequest.of("b", "three")).text()).isEqualTo("echo: three");
    assertThat(last(events(ChatRequest.of("c", "four"))))
        .isInstanceOfSatisfying(ChatEvent.Completed.class,
            c -> assertThat(c.response().text()).isEqualTo("echo: four"));
    assertThatCode(fake::assertAllConsumed).doesNotThrowAnyException();
  }

  @Test
  void aStreamFallbackStreamsItsDeltasAndAssemblesThemForChat() {
    fake.on("s").alwaysStream(request -> List.of("x", "y"));

    assertThat(events(ChatRequest.of("s", "Hi")).subList(0, 2))
        .containsExactly(new ChatEvent.TextDelta("x"), new ChatEvent.TextDelta("y"));
    assertThat(gateway.chat(ChatRequest.of("s", "Hi")).text()).isEqualTo("xy");
  }

  @Test
  void aModelsFallbackWinsOverTheAnyModelFallback() {
    fake.on("a").alwaysReply(request -> "a's own");
    fake.onAnyModel().alwaysReply(request -> "anyone's");

    assertThat(gateway.chat(ChatRequest.of("a", "Hi")).text()).isEqualTo("a's own");
    assertThat(gateway.chat(ChatRequest.of("b", "Hi")).text()).isEqualTo("anyone's");
  }

  // --- recording ---

  @Test
  void recordsEachAttemptWithItsRequestHeadersAndNumber() {
    fake.on("a").fail(new ProviderUnavailableException("down"));
    fake.on("b").reply("from b");
    try (Gateway failover = Gateway.builder().retry(RetryPolicy.none())
        .provider(fake)
        .alias("smart", Route.fallback("fake/a", "fake/b"))
        .interceptor(InterceptorPosition.AROUND_ATTEMPT, chain -> {
          Objects.requireNonNull(chain.attempt())
              .header("traceparent", "00-trace-" + chain.attempt().number());
          return chain.proceed(chain.request());
        })
        .build()) {

      ChatResponse response = failover.chat(ChatRequest.of("smart", "Hi there"));

      assertThat(response.text()).isEqualTo("from b");
    }
    List<RecordedCall> calls = fake.calls();
    assertThat(calls).hasSize(2);
    RecordedCall first = calls.get(0);
    assertThat(first.kind()).isEqualTo(CallKind.CHAT);
    assertThat(first.model()).isEqualTo("a");
    assertThat(first.attemptNumber()).isEqualTo(1);
    assertThat(first.headers()).containsExactlyEntriesOf(Map.of("traceparent", "00-trace-1"));
    assertThat(first.chatRequest().lastUserText()).isEqualTo("Hi there");
    RecordedCall second = calls.get(1);
    assertThat(second.model()).isEqualTo("b");
    assertThat(second.deployment()).isEqualTo(new Deployment("fake", "b"));
    assertThat(second.attemptNumber()).isEqualTo(2);
    assertThat(second.headers()).containsEntry("traceparent", "00-trace-2");
    assertThat(second.request().model()).isEqualTo("b");
    assertThat(second.callId()).isEqualTo(first.callId());
    assertThat(fake.lastCall()).isSameAs(second);
    assertThat(fake.callCount()).isEqualTo(2);
    assertThat(fake.calls("b")).containsExactly(second);
  }

  @Test
  void recordsAStreamsKindAndCountsItsEmittedEvents() {
    fake.on("gpt-4o").stream("a", "b").stream("c");

    events(ChatRequest.of("gpt-4o", "Hi"));
    events(ChatRequest.of("gpt-4o", "Hi"));

    assertThat(fake.calls()).extracting(RecordedCall::kind)
        .containsExactly(CallKind.STREAM, CallKind.STREAM);
    assertThat(fake.calls()).extracting(RecordedCall::emittedEvents).containsExactly(4, 3);
    assertThat(fake.calls()).extracting(RecordedCall::cancelled).containsExactly(false, false);
    assertThat(fake.emittedEvents()).isEqualTo(7);
    assertThat(fake.cancellations()).isZero();
  }

  @Test
  void lastCallBeforeAnyCallSaysSo() {
    assertThatThrownBy(fake::lastCall)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no call yet");
  }

  // --- delays, gates and cancellation ---

  @Test
  void aDelayPastTheAttemptDeadlineThrowsAnAttemptTimeout() {
    fake.on("slow").delay(Duration.ofMinutes(10)).reply("too late");
    try (Gateway timed = Gateway.builder().retry(RetryPolicy.none())
        .provider(fake).attemptTimeout(Duration.ofMillis(50)).build()) {

      GatewayTimeoutException timeout = catchThrowableOfType(
          GatewayTimeoutException.class, () -> timed.chat(ChatRequest.of("slow", "Hi")));

      assertThat(timeout).isNotNull();
      assertThat(timeout.kind()).isEqualTo(GatewayTimeoutException.Kind.ATTEMPT);
      assertThat(timeout.provider()).isEqualTo("fake");
      assertThat(timeout.model()).isEqualTo("slow");
    }
    fake.assertAllConsumed();
  }

  @Test
  void aDelayedStreamPastTheAttemptDeadlineEndsWithAFirstTokenTimeout() {
    fake.on("slow").delay(Duration.ofMinutes(10)).stream("too", "late");
    try (Gateway timed = Gateway.builder().retry(RetryPolicy.none())
        .provider(fake).attemptTimeout(Duration.ofMillis(50)).build()) {

      List<ChatEvent> events = events(timed, ChatRequest.of("slow", "Hi"));

      assertThat(events).hasSize(1);
      assertThat(((ChatEvent.Failed) events.get(0)).error())
          .isInstanceOfSatisfying(GatewayTimeoutException.class,
              e -> assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.FIRST_TOKEN));
    }
  }

  @Test
  void aDelayWithinTheDeadlineStillAnswers() {
    fake.on("gpt-4o").delay(Duration.ofMillis(5)).reply("in time");
    try (Gateway timed = Gateway.builder().retry(RetryPolicy.none())
        .provider(fake).attemptTimeout(Duration.ofMinutes(1)).build()) {

      assertThat(timed.chat(ChatRequest.of("gpt-4o", "Hi")).text()).isEqualTo("in time");
    }
  }

  @Test
  void aPausedStreamHoldsItsEventUntilTheGateOpens() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    fake.on("gpt-4o").pauseBeforeEvent(1, gate, arrived).stream("a", "b");

    try (StreamIterator<ChatEvent> it =
        gateway.stream(ChatRequest.of("gpt-4o", "Hi")).iterator()) {
      assertThat(it.next()).isEqualTo(new ChatEvent.TextDelta("a"));
      // the iterator reads the stream on the thread that asks for the next event
      CompletableFuture<ChatEvent> second = CompletableFuture.supplyAsync(it::next);
      assertThat(arrived.await(5, SECONDS)).isTrue();
      assertThat(fake.lastCall().emittedEvents()).isEqualTo(1);
      assertThat(second).isNotDone();

      gate.countDown();

      assertThat(second.get(5, SECONDS)).isEqualTo(new ChatEvent.TextDelta("b"));
      assertThat(it.next()).isInstanceOf(ChatEvent.UsageReport.class);
      assertThat(it.next()).isInstanceOf(ChatEvent.Completed.class);
      assertThat(it.hasNext()).isFalse();
    }
    assertThat(fake.lastCall().cancelled()).isFalse();
  }

  @Test
  void closingAStreamWhileItWaitsAtAGateRecordsACancellationAndReleasesTheReader()
      throws Exception {
    InMemoryUsageSink records = new InMemoryUsageSink();
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    fake.on("gpt-4o").pauseBeforeEvent(2, gate, arrived).stream("a", "b", "c");
    try (Gateway g = Gateway.builder().retry(RetryPolicy.none())
            .provider(fake).usageSink(records).build()) {
      StreamIterator<ChatEvent> it = g.stream(ChatRequest.of("gpt-4o", "Hi")).iterator();
      assertThat(it.next()).isEqualTo(new ChatEvent.TextDelta("a"));
      assertThat(it.next()).isEqualTo(new ChatEvent.TextDelta("b"));
      CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(it::hasNext);
      assertThat(arrived.await(5, SECONDS)).isTrue();

      it.close();

      RecordedCall call = fake.lastCall();
      assertThat(call.cancelled()).isTrue();
      assertThat(fake.cancellations()).isEqualTo(1);
      // the reader waiting at the gate was released: the iteration ends without event "c"
      assertThat(waiting.get(5, SECONDS)).isFalse();
      assertThat(call.emittedEvents()).isEqualTo(2);
      assertThat(gate.getCount()).isEqualTo(1);
      assertThat(it.hasNext()).isFalse();
      assertThat(records.last().outcome()).isEqualTo(UsageRecord.Outcome.CANCELLED);
    }
  }

  @Test
  void aPausedUnaryCallAnswersOnceTheGateOpens() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    fake.on("gpt-4o").pauseBeforeEvent(0, gate, arrived).reply("done");

    CompletableFuture<ChatResponse> answer = gateway.chatAsync(ChatRequest.of("gpt-4o", "Hi"));
    assertThat(arrived.await(5, SECONDS)).isTrue();
    assertThat(answer).isNotDone();

    gate.countDown();

    assertThat(answer.get(5, SECONDS).text()).isEqualTo("done");
  }

  @Test
  void closingTheFakeReleasesACallWaitingAtAGate() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    fake.on("gpt-4o").pauseBeforeEvent(0, gate, arrived).reply("never");
    CompletableFuture<ChatResponse> answer = gateway.chatAsync(ChatRequest.of("gpt-4o", "Hi"));
    assertThat(arrived.await(5, SECONDS)).isTrue();

    fake.close();

    assertThatThrownBy(() -> answer.get(5, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("was closed while the call waited");
    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("gpt-4o", "Hi")))
        .hasRootCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void streamEventsArriveOnTheFakesOwnThreads() throws Exception {
    fake.on("gpt-4o").stream("a", "b");
    List<String> threads = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);

    gateway.stream(ChatRequest.of("gpt-4o", "Hi")).subscribe(new Flow.Subscriber<ChatEvent>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ChatEvent item) {
        threads.add(Thread.currentThread().getName());
      }

      @Override
      public void onError(Throwable throwable) {
        done.countDown();
      }

      @Override
      public void onComplete() {
        done.countDown();
      }
    });

    assertThat(done.await(5, SECONDS)).isTrue();
    assertThat(threads).hasSize(4).allMatch(name -> name.startsWith("fake-provider-"));
  }

  // --- leftovers and capabilities ---

  @Test
  void assertAllConsumedListsEveryModelWithStepsLeft() {
    fake.on("gpt-4o").reply("used").stream("left", "over");
    fake.on("claude").fail(new RateLimitedException("busy", null));
    fake.onAnyModel().reply("spare").alwaysReply(request -> "fallbacks do not count");
    gateway.chat(ChatRequest.of("gpt-4o", "Hi"));

    assertThatThrownBy(fake::assertAllConsumed)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("fake provider 'fake'")
        .hasMessageContaining("model 'gpt-4o': 1 step left: stream(2 deltas)")
        .hasMessageContaining("model 'claude': 1 step left: fail(RateLimitedException)")
        .hasMessageContaining("any model: 1 step left: reply(5 chars)");
  }

  @Test
  void assertAllConsumedNamesADelayThatHoldsBackNoStep() {
    fake.on("gpt-4o").reply("used").delay(Duration.ofSeconds(1));
    gateway.chat(ChatRequest.of("gpt-4o", "Hi"));

    assertThatThrownBy(fake::assertAllConsumed)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("model 'gpt-4o': a delay or pause was set after the last step");
  }

  @Test
  void capabilitiesAreWhatTheBuilderConfigured() {
    ModelCapabilities small = ModelCapabilities.CHAT_ALL.withLimits(8_000, 1_000);
    try (FakeProvider configured = FakeProvider.builder()
        .name("local")
        .capabilities("small", small)
        .defaultCapabilities(ModelCapabilities.EMBEDDINGS_ONLY)
        .build()) {

      assertThat(configured.name()).isEqualTo("local");
      assertThat(configured.capabilities("small")).isEqualTo(small);
      assertThat(configured.capabilities("other")).isEqualTo(ModelCapabilities.EMBEDDINGS_ONLY);
    }
    assertThat(fake.capabilities("anything"))
        .isEqualTo(ModelCapabilities.CHAT_ALL.withEmbeddings(true));
  }

  @Test
  void aCallTheModelCannotServeIsRejectedWithoutConsumingAStep() {
    try (FakeProvider embeddingsOnly = FakeProvider.builder()
            .capabilities("embedder", ModelCapabilities.EMBEDDINGS_ONLY).build();
        Gateway g = Gateway.builder().retry(RetryPolicy.none()).provider(embeddingsOnly).build()) {
      embeddingsOnly.on("embedder").embedding(new float[] {1f});

      assertThatThrownBy(() -> g.chat(ChatRequest.of("embedder", "Hi")))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("fake/embedder cannot serve this request: no chat");
      assertThat(g.embed(EmbeddingRequest.of("embedder", "Hi")).size()).isEqualTo(1);
      embeddingsOnly.assertAllConsumed();
    }
  }

  @Test
  void aReasoningRequestToAModelWithoutReasoningIsRefusedInTheSharedRulesWords() {
    ModelCapabilities noReasoning =
        new ModelCapabilities(true, true, true, true, true, true, false, false, 0, 0);
    ChatRequest request = ChatRequest.builder("plain").user("Think: 2+2?")
        .reasoning(ReasoningConfig.budget(1024)).build();
    AttemptContext attempt = AttemptContext.standalone(new Deployment("fake", "plain"));
    String expected = "fake/plain cannot serve this request: no reasoning";
    try (FakeProvider limited = FakeProvider.builder().capabilities("plain", noReasoning)
        .build()) {
      limited.on("plain").reply("4");

      assertThatThrownBy(() -> limited.chat(request, attempt))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageStartingWith(expected);
      List<ChatEvent> streamed = new ArrayList<>();
      try (StreamIterator<ChatEvent> it =
          ChatStream.of(limited.stream(request, attempt)).iterator()) {
        it.forEachRemaining(streamed::add);
      }

      assertThat(streamed).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class,
          failed -> assertThat(failed.error()).isInstanceOf(UnsupportedCapabilityException.class)
              .hasMessageStartingWith(expected));
      assertThat(limited.on("plain").remaining()).as("no step consumed").isEqualTo(1);
    }
  }
}
