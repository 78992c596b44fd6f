package dev.llmgateway.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ContentPart;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.ResponseTooLargeException;
import dev.llmgateway.ToolCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a provider's deltas can make the accumulator allocate is bounded (issue 22.7): a tool call
 * index or count past {@code maxToolCalls}, or content past {@code maxContentChars}, is a typed,
 * retriable {@link ResponseTooLargeException} that says what to raise — never an {@code
 * OutOfMemoryError} or a list of 150 million empty calls — and the accumulator keeps what it had.
 */
@Timeout(30)
class ChatResponseAccumulatorLimitsTest {

  @Test
  void aToolCallIndexOf150MillionIsATypedErrorNotAGiantSparseList() {
    ChatResponseAccumulator accumulator = new ChatResponseAccumulator();
    accumulator.accept(new ChatEvent.ToolCallDelta(0, "call_a", "weather", "{}"));

    assertThatThrownBy(() -> accumulator.accept(
        new ChatEvent.ToolCallDelta(150_000_000, "call_b", "weather", "{}")))
        .isInstanceOfSatisfying(ResponseTooLargeException.class, e -> {
          assertThat(e).isInstanceOf(ProviderUnavailableException.class);
          assertThat(e.kind()).isEqualTo(ResponseTooLargeException.Kind.TOOL_CALLS);
          assertThat(e.limit()).isEqualTo(ChatResponseAccumulator.DEFAULT_MAX_TOOL_CALLS);
        })
        .hasMessageContaining("index 150000000")
        .hasMessageContaining("limit of 128 tool calls")
        .hasMessageContaining("build the accumulator with a larger maxToolCalls");

    assertThat(accumulator.message().toolCalls()).as("what it had, nothing more")
        .containsExactly(new ToolCall("call_a", "weather", "{}"));
    assertThat(accumulator.contentEvents()).isEqualTo(1);
  }

  @Test
  void oneToolCallMoreThanTheLimitIsRefused() {
    ChatResponseAccumulator accumulator = new ChatResponseAccumulator(3, 1_000);
    for (int i = 0; i < 3; i++) {
      accumulator.accept(new ChatEvent.ToolCallDelta(i, "call_" + i, "f", "{}"));
    }

    assertThatThrownBy(() -> accumulator.accept(new ChatEvent.ToolCallDelta(3, "call_3", "f",
        "{}"))).isInstanceOf(ResponseTooLargeException.class)
        .hasMessageContaining("index 3, at or past this answer's limit of 3 tool calls");
    assertThat(accumulator.message().toolCalls()).hasSize(3);
  }

  @Test
  void aHugeCountOfToolCallsStopsAtTheDefaultLimit() {
    ChatResponseAccumulator accumulator = new ChatResponseAccumulator();
    int taken = 0;
    try {
      for (int i = 0; i < 10_000_000; i++) {
        accumulator.accept(new ChatEvent.ToolCallDelta(i, "id" + i, "f", "{}"));
        taken++;
      }
    } catch (ResponseTooLargeException e) {
      assertThat(e.kind()).isEqualTo(ResponseTooLargeException.Kind.TOOL_CALLS);
    }

    assertThat(taken).isEqualTo(ChatResponseAccumulator.DEFAULT_MAX_TOOL_CALLS);
    assertThat(accumulator.message().toolCalls()).hasSize(128);
  }

  @Test
  void contentPastTheLimitIsRefusedBeforeItIsKept() {
    ChatResponseAccumulator accumulator = new ChatResponseAccumulator(4, 11);
    accumulator.accept(new ChatEvent.TextDelta("0123456789")); // ten characters, one event

    assertThatThrownBy(() -> accumulator.accept(new ChatEvent.TextDelta("!")))
        .isInstanceOfSatisfying(ResponseTooLargeException.class, e -> {
          assertThat(e.kind()).isEqualTo(ResponseTooLargeException.Kind.BODY);
          assertThat(e.limit()).isEqualTo(11);
        })
        .hasMessageContaining("would pass 11 characters")
        .hasMessageContaining("larger maxContentChars");
    assertThatThrownBy(() -> accumulator.accept(new ChatEvent.ToolCallDelta(0, "id", "f", "")))
        .as("ids and names are kept content too").isInstanceOf(ResponseTooLargeException.class);
    assertThat(accumulator.text()).isEqualTo("0123456789");
  }

  @Test
  void endlessEmptyEventsAreBoundedToo() {
    ChatResponseAccumulator accumulator = new ChatResponseAccumulator(4, 100);
    int parts = 0;
    try {
      for (int i = 0; i < 1_000_000; i++) {
        accumulator.accept(new ChatEvent.ReasoningDelta(null, "", null)); // each closes a part
        parts++;
      }
    } catch (ResponseTooLargeException e) {
      assertThat(e.kind()).isEqualTo(ResponseTooLargeException.Kind.BODY);
    }

    assertThat(parts).isEqualTo(100);
    assertThat(accumulator.message().content()).hasSize(100)
        .allMatch(p -> p instanceof ContentPart.Reasoning);
    ChatResponseAccumulator empties = new ChatResponseAccumulator(4, 100);
    for (int i = 0; i < 100; i++) {
      empties.accept(new ChatEvent.TextDelta(""));
    }
    assertThatThrownBy(() -> empties.accept(new ChatEvent.TextDelta("")))
        .isInstanceOf(ResponseTooLargeException.class);
    assertThat(empties.contentEvents()).isEqualTo(100);
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new ChatResponseAccumulator(0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxToolCalls must be > 0, was 0");
    assertThatThrownBy(() -> new ChatResponseAccumulator(1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxContentChars must be > 0, was -1");
    ChatResponseAccumulator defaults = new ChatResponseAccumulator();
    assertThat(defaults.maxToolCalls()).isEqualTo(128);
    assertThat(defaults.maxContentChars()).isEqualTo(32L * 1024 * 1024);
  }
}
