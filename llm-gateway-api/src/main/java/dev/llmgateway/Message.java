package dev.llmgateway;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation.
 *
 * @param role who speaks
 * @param content the content parts, in order (may be empty for an assistant message that only
 *     calls tools)
 * @param toolCalls the tools an assistant message calls (empty for other roles)
 * @param toolCallId for a {@link Role#TOOL} message, the id of the call it answers
 * @param name optional participant name
 */
public record Message(
    Role role,
    List<ContentPart> content,
    List<ToolCall> toolCalls,
    @Nullable String toolCallId,
    @Nullable String name) {

  /** Validates and copies. */
  public Message {
    Objects.requireNonNull(role, "role");
    content = List.copyOf(content);
    toolCalls = List.copyOf(toolCalls);
    if (role == Role.TOOL && (toolCallId == null || toolCallId.isBlank())) {
      throw new IllegalArgumentException("a tool message needs the id of the tool call it answers");
    }
    if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
      throw new IllegalArgumentException("only assistant messages call tools, not " + role);
    }
  }

  /** A system message. */
  public static Message system(String text) {
    return new Message(Role.SYSTEM, List.of(ContentPart.text(text)), List.of(), null, null);
  }

  /** A user message of plain text. */
  public static Message user(String text) {
    return new Message(Role.USER, List.of(ContentPart.text(text)), List.of(), null, null);
  }

  /** A user message of several parts (text, images, documents). */
  public static Message user(ContentPart... parts) {
    return new Message(Role.USER, List.of(parts), List.of(), null, null);
  }

  /** An assistant message of plain text. */
  public static Message assistant(String text) {
    return new Message(Role.ASSISTANT, List.of(ContentPart.text(text)), List.of(), null, null);
  }

  /** An assistant message with content (text, reasoning) and tool calls. */
  public static Message assistant(List<ContentPart> content, List<ToolCall> toolCalls) {
    return new Message(Role.ASSISTANT, content, toolCalls, null, null);
  }

  /** The result of a tool call, as text (often JSON). */
  public static Message toolResult(String toolCallId, String result) {
    return new Message(Role.TOOL, List.of(ContentPart.text(result)), List.of(), toolCallId, null);
  }

  /** The concatenated text parts of this message ("" when there are none). */
  public String text() {
    if (content.size() == 1 && content.get(0) instanceof ContentPart.Text t) {
      return t.text();
    }
    StringBuilder sb = new StringBuilder();
    for (ContentPart part : content) {
      if (part instanceof ContentPart.Text t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }
}
