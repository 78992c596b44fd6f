package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.spi.ChatResponseAccumulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ChatStreamTest {

  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(task -> {
    Thread t = new Thread(task, "chat-stream-test");
    t.setDaemon(true);
    return t;
  });

  private static final ToolCall WEATHER =
      new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}");
  private static final ToolCall TIME = new ToolCall("call_2", "get_time", "{\"tz\":\"CET\"}");

  @AfterAll
  static void shutDownExecutor() {
    EXECUTOR.shutdownNow();
  }

  @Test
  void fromResponseEmitsReasoningTextToolCallsUsageThenCompleted() {
    ChatResponse response = response(Message.assistant(
        List.of(new ContentPart.Reasoning("Let me think.", "sig-1", null),
            ContentPart.text("Checking the weather.")),
        List.of(WEATHER, TIME)));

    List<ChatEvent> events = events(ChatStream.fromResponse(response, EXECUTOR));

    assertThat(events).containsExactly(
        new ChatEvent.ReasoningDelta("Let me think.", "sig-1", null),
        new ChatEvent.TextDelta("Checking the weather."),
        new ChatEvent.ToolCallDelta(0, "call_1", "get_weather", "{\"city\":\"Paris\"}"),
        new ChatEvent.ToolCallDelta(1, "call_2", "get_time", "{\"tz\":\"CET\"}"),
        new ChatEvent.UsageReport(response.usage()),
        new ChatEvent.Completed(response));
  }

  @Test
  void fromResponseLeavesOutEmptyText() {
    ChatResponse response = response(Message.assistant(List.of(ContentPart.text("")),
        List.of(WEATHER)));

    List<ChatEvent> events = events(ChatStream.fromResponse(response, EXECUTOR));

    assertThat(events).hasExactlyElementsOfTypes(
        ChatEvent.ToolCallDelta.class, ChatEvent.UsageReport.class, ChatEvent.Completed.class);
  }

  @Test
  void fromResponseEventsReassembleTheMessage() {
    Message message = Message.assistant(
        List.of(new ContentPart.Reasoning("Thinking.", "sig-1", null),
            new ContentPart.Reasoning(null, null, "redacted-blob"),
            ContentPart.text("Hello")),
        List.of(WEATHER, TIME));
    ChatResponseAccumulator accumulator = new ChatResponseAccumulator();

    events(ChatStream.fromResponse(response(message), EXECUTOR)).forEach(accumulator::accept);

    assertThat(accumulator.message()).isEqualTo(message);
  }

  @Test
  void collectReturnsTheResponse() {
    ChatResponse response = response(Message.assistant("Hi there"));

    assertThat(ChatStream.fromResponse(response, EXECUTOR).collect()).isSameAs(response);
  }

  @Test
  void collectOfAFailedStreamThrowsItsError() {
    RateLimitedException error = new RateLimitedException("slow down", Duration.ofSeconds(2));
    ChatStream stream = ChatStream.failed(error, EXECUTOR);

    assertThatThrownBy(stream::collect).isSameAs(error);
  }

  @Test
  void aFailedStreamReportsOneUncommittedFailure() {
    RateLimitedException error = new RateLimitedException("slow down", null);

    List<ChatEvent> events = events(ChatStream.failed(error, EXECUTOR));

    assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class, failed -> {
      assertThat(failed.error()).isSameAs(error);
      assertThat(failed.committed()).isFalse();
      assertThat(failed.isTerminal()).isTrue();
    });
  }

  @Test
  void collectOfAStreamWithoutTerminalEventThrowsProviderUnavailable() {
    ChatStream truncated =
        ChatStream.of(PullPublisher.fromList(List.of(new ChatEvent.TextDelta("Hel")), EXECUTOR));

    assertThatThrownBy(truncated::collect)
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("without a terminal event");
  }

  @Test
  void ofKeepsAChatStreamAsItIs() {
    ChatStream stream = ChatStream.failed(new ProviderUnavailableException("down"), EXECUTOR);

    assertThat(ChatStream.of(stream)).isSameAs(stream);
  }

  private static ChatResponse response(Message message) {
    return ChatResponse.builder()
        .message(message)
        .usage(new Usage(120, 40, 100, 0, 12, false))
        .finishReason(FinishReason.TOOL_CALLS)
        .build();
  }

  private static List<ChatEvent> events(ChatStream stream) {
    List<ChatEvent> events = new ArrayList<>();
    try (StreamIterator<ChatEvent> it = stream.iterator()) {
      it.forEachRemaining(events::add);
    }
    return events;
  }
}
