package dev.llmgateway.spi;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Assembles the assistant message of a stream from its content events: text deltas are joined,
 * reasoning deltas become reasoning parts (a signature or redacted data closes a part), tool-call
 * fragments are joined per index. Transports and test doubles use it to build the {@link
 * ChatEvent.Completed} response. Not thread-safe.
 */
public final class ChatResponseAccumulator {
  private final StringBuilder text = new StringBuilder();
  private final List<ContentPart> reasoningParts = new ArrayList<>(1);
  private @Nullable StringBuilder reasoningText;
  private final List<ToolCallBuilder> toolCalls = new ArrayList<>(1);
  private int contentEvents;

  /** Takes one event; events other than content events are ignored. */
  public void accept(ChatEvent event) {
    if (event instanceof ChatEvent.TextDelta d) {
      text.append(d.text());
      contentEvents++;
    } else if (event instanceof ChatEvent.ReasoningDelta d) {
      contentEvents++;
      if (d.redactedData() != null) {
        closeReasoning(null);
        reasoningParts.add(new ContentPart.Reasoning(null, null, d.redactedData()));
        return;
      }
      if (d.text() != null) {
        if (reasoningText == null) {
          reasoningText = new StringBuilder();
        }
        reasoningText.append(d.text());
      }
      if (d.signature() != null) {
        closeReasoning(d.signature());
      }
    } else if (event instanceof ChatEvent.ToolCallDelta d) {
      contentEvents++;
      while (toolCalls.size() <= d.index()) {
        toolCalls.add(new ToolCallBuilder());
      }
      ToolCallBuilder b = toolCalls.get(d.index());
      if (d.id() != null) {
        b.id = d.id();
      }
      if (d.name() != null) {
        b.name = d.name();
      }
      b.arguments.append(d.argumentsFragment());
    }
  }

  private void closeReasoning(@Nullable String signature) {
    if (reasoningText != null || signature != null) {
      reasoningParts.add(new ContentPart.Reasoning(
          reasoningText == null ? null : reasoningText.toString(), signature, null));
      reasoningText = null;
    }
  }

  /** How many content events were taken. */
  public int contentEvents() {
    return contentEvents;
  }

  /** The text so far. */
  public String text() {
    return text.toString();
  }

  /** The assistant message assembled so far. */
  public Message message() {
    closeReasoning(null);
    List<ContentPart> parts = new ArrayList<>(reasoningParts.size() + 1);
    parts.addAll(reasoningParts);
    if (text.length() > 0 || (reasoningParts.isEmpty() && toolCalls.isEmpty())) {
      parts.add(ContentPart.text(text.toString()));
    }
    List<ToolCall> calls = new ArrayList<>(toolCalls.size());
    for (ToolCallBuilder b : toolCalls) {
      String args = b.arguments.length() == 0 ? "{}" : b.arguments.toString();
      calls.add(new ToolCall(b.id == null ? "" : b.id, b.name == null ? "" : b.name, args));
    }
    return Message.assistant(parts, calls);
  }

  /** A response builder with the assembled message. */
  public ChatResponse.Builder toResponse() {
    return ChatResponse.builder().message(message());
  }

  private static final class ToolCallBuilder {
    private @Nullable String id;
    private @Nullable String name;
    private final StringBuilder arguments = new StringBuilder();
  }
}
