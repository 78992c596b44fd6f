package dev.llmgateway.spi;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Assembles the assistant message of a stream from its content events, keeping its parts in the
 * order they arrived: adjacent text deltas are joined into one text part, adjacent reasoning
 * deltas into one reasoning part (a signature or redacted data closes a part), and text after
 * reasoning starts a new part, so a signature stays where the provider put it. Each reasoning part
 * keeps the wire format its deltas named. Tool-call fragments are joined per index, each call with
 * the signature its deltas carried. Transports and test doubles use it to build the {@link
 * ChatEvent.Completed} response. Not thread-safe.
 */
public final class ChatResponseAccumulator {
  private final List<ContentPart> parts = new ArrayList<>(2);
  private @Nullable StringBuilder text; // the open text part, after every part in parts
  private @Nullable StringBuilder reasoning; // the open unsigned reasoning part, likewise
  private @Nullable String reasoningFormat;
  private final List<ToolCallBuilder> toolCalls = new ArrayList<>(1);
  private int contentEvents;

  /** Takes one event; events other than content events are ignored. */
  public void accept(ChatEvent event) {
    if (event instanceof ChatEvent.TextDelta d) {
      contentEvents++;
      if (d.text().isEmpty()) {
        return;
      }
      closeReasoning(null, null);
      if (text == null) {
        text = new StringBuilder();
      }
      text.append(d.text());
    } else if (event instanceof ChatEvent.ReasoningDelta d) {
      contentEvents++;
      reasoning(d);
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
      if (d.signature() != null) {
        b.signature = d.signature();
        b.signatureFormat = d.signatureFormat();
      }
      b.arguments.append(d.argumentsFragment());
    }
  }

  private void reasoning(ChatEvent.ReasoningDelta d) {
    closeText();
    if (d.redactedData() != null) {
      closeReasoning(null, null);
      parts.add(new ContentPart.Reasoning(null, null, d.redactedData(), d.format()));
      return;
    }
    if (d.text() != null) {
      if (reasoning != null && !Objects.equals(reasoningFormat, d.format())) {
        closeReasoning(null, null);
      }
      if (reasoning == null) {
        reasoning = new StringBuilder();
        reasoningFormat = d.format();
      }
      reasoning.append(d.text());
    }
    if (d.signature() != null) {
      closeReasoning(d.signature(), d.format());
    }
  }

  private void closeText() {
    if (text != null) {
      parts.add(ContentPart.text(text.toString()));
      text = null;
    }
  }

  /** Closes the open reasoning part with a signature (or none); a lone signature is a part too. */
  private void closeReasoning(@Nullable String signature, @Nullable String format) {
    if (reasoning != null || signature != null) {
      String f = format != null ? format : reasoningFormat;
      parts.add(new ContentPart.Reasoning(reasoning == null ? null : reasoning.toString(),
          signature, null, f));
      reasoning = null;
      reasoningFormat = null;
    }
  }

  /** How many content events were taken. */
  public int contentEvents() {
    return contentEvents;
  }

  /** The text so far: every text part joined. */
  public String text() {
    StringBuilder all = new StringBuilder();
    for (ContentPart p : parts) {
      if (p instanceof ContentPart.Text t) {
        all.append(t.text());
      }
    }
    if (text != null) {
      all.append(text);
    }
    return all.toString();
  }

  /** The assistant message assembled so far. */
  public Message message() {
    List<ContentPart> content = new ArrayList<>(parts.size() + 1);
    content.addAll(parts);
    if (text != null) {
      content.add(ContentPart.text(text.toString()));
    } else if (reasoning != null) {
      content.add(new ContentPart.Reasoning(reasoning.toString(), null, null, reasoningFormat));
    }
    if (content.isEmpty() && toolCalls.isEmpty()) {
      content.add(ContentPart.text(""));
    }
    List<ToolCall> calls = new ArrayList<>(toolCalls.size());
    for (ToolCallBuilder b : toolCalls) {
      String args = b.arguments.length() == 0 ? "{}" : b.arguments.toString();
      calls.add(new ToolCall(b.id == null ? "" : b.id, b.name == null ? "" : b.name, args,
          b.signature, b.signature == null ? null : b.signatureFormat));
    }
    return Message.assistant(content, calls);
  }

  /** A response builder with the assembled message. */
  public ChatResponse.Builder toResponse() {
    return ChatResponse.builder().message(message());
  }

  private static final class ToolCallBuilder {
    private @Nullable String id;
    private @Nullable String name;
    private @Nullable String signature;
    private @Nullable String signatureFormat;
    private final StringBuilder arguments = new StringBuilder();
  }
}
