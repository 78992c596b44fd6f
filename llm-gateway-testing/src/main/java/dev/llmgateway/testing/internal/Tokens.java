package dev.llmgateway.testing.internal;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.GatewayException;
import dev.llmgateway.Message;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import java.util.List;

/**
 * The fake's token counts: a quarter of the characters, rounded up, at least one. Input counts the
 * request's text parts; output counts the answer's text, reasoning text and tool calls (name plus
 * arguments). Thread-safe: stateless.
 */
public final class Tokens {
  private Tokens() {}

  /** Tokens for this many characters: {@code ceil(chars / 4)}, at least 1. */
  public static long of(long chars) {
    return Math.max(1, (chars + 3) / 4);
  }

  /** Input tokens of a chat request: its text parts. */
  public static long input(ChatRequest request) {
    long chars = 0;
    for (Message m : request.messages()) {
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.Text t) {
          chars += t.text().length();
        }
      }
    }
    return of(chars);
  }

  /** Input tokens of an embedding request: its inputs. */
  public static long input(EmbeddingRequest request) {
    long chars = 0;
    for (String input : request.inputs()) {
      chars += input.length();
    }
    return of(chars);
  }

  /** Characters of answer content in a message. */
  public static long contentChars(Message message) {
    long chars = 0;
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Text t) {
        chars += t.text().length();
      } else if (part instanceof ContentPart.Reasoning r && r.text() != null) {
        chars += r.text().length();
      }
    }
    for (ToolCall call : message.toolCalls()) {
      chars += call.name().length() + call.arguments().length();
    }
    return chars;
  }

  /** Characters of answer content in an event (0 for events that carry none). */
  public static long contentChars(ChatEvent event) {
    if (event instanceof ChatEvent.TextDelta t) {
      return t.text().length();
    }
    if (event instanceof ChatEvent.ReasoningDelta r) {
      return r.text() == null ? 0 : r.text().length();
    }
    if (event instanceof ChatEvent.ToolCallDelta d) {
      return d.argumentsFragment().length() + (d.name() == null ? 0 : d.name().length());
    }
    return 0;
  }

  /** Exact usage of an answer with this many content characters to this request. */
  public static Usage exact(ChatRequest request, long outputChars) {
    return Usage.of(input(request), of(outputChars));
  }

  /**
   * The terminal event of a stream that fails after the given events: {@link
   * ChatEvent.Failed#of(GatewayException)} when no content was emitted, else a failure saying how
   * much was emitted, with estimated usage.
   */
  public static ChatEvent.Failed failedAfter(
      List<ChatEvent> emitted, GatewayException error, ChatRequest request) {
    int contentEvents = 0;
    long textChars = 0;
    long contentChars = 0;
    for (ChatEvent e : emitted) {
      if (e.isContent()) {
        contentEvents++;
        contentChars += contentChars(e);
        if (e instanceof ChatEvent.TextDelta t) {
          textChars += t.text().length();
        }
      }
    }
    if (contentEvents == 0) {
      return ChatEvent.Failed.of(error);
    }
    return new ChatEvent.Failed(error, contentEvents, textChars,
        Usage.estimate(input(request), of(contentChars)), List.of());
  }
}
