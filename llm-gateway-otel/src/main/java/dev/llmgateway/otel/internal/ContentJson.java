package dev.llmgateway.otel.internal;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.FinishReason;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.ToolCall;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Messages as the GenAI conventions' JSON (1.41.0: {@code gen-ai-input-messages.json}, {@code
 * gen-ai-output-messages.json}, {@code gen-ai-system-instructions.json}): text, reasoning, tool
 * calls and tool results with their content; images and documents by their kind only. Each text is
 * cut at the configured number of characters, and the whole JSON stops growing past four times
 * that, closing what it opened. Stateless; thread-safe.
 */
public final class ContentJson {
  private final int maxChars;

  /** @param maxChars the most characters of one text kept */
  public ContentJson(int maxChars) {
    this.maxChars = maxChars;
  }

  /** The system messages' texts as system instructions, or null when there are none. */
  public @Nullable String systemInstructions(GatewayRequest request) {
    if (!(request instanceof ChatRequest chat)) {
      return null;
    }
    StringBuilder s = new StringBuilder("[");
    boolean any = false;
    for (Message m : chat.messages()) {
      if (m.role() != Role.SYSTEM) {
        continue;
      }
      for (ContentPart p : m.content()) {
        if (full(s)) {
          break;
        }
        if (any) {
          s.append(',');
        }
        part(s, p);
        any = true;
      }
    }
    return any ? s.append(']').toString() : null;
  }

  /** The request's messages other than system ones (an embedding's inputs as user texts). */
  public String inputMessages(GatewayRequest request) {
    StringBuilder s = new StringBuilder("[");
    boolean first = true;
    if (request instanceof ChatRequest chat) {
      for (Message m : chat.messages()) {
        if (m.role() == Role.SYSTEM) {
          continue;
        }
        if (full(s)) {
          break;
        }
        if (!first) {
          s.append(',');
        }
        first = false;
        message(s, m, null);
      }
    } else if (request instanceof EmbeddingRequest embed) {
      for (String input : embed.inputs()) {
        if (full(s)) {
          break;
        }
        if (!first) {
          s.append(',');
        }
        first = false;
        s.append("{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":");
        string(s, input);
        s.append("}]}");
      }
    }
    return s.append(']').toString();
  }

  /** The answer as one output message. */
  public String outputMessages(ChatResponse response) {
    StringBuilder s = new StringBuilder("[");
    message(s, response.message(), finishReason(response.finishReason()));
    return s.append(']').toString();
  }

  /** The convention's finish reason for ours. */
  public static String finishReason(FinishReason reason) {
    return switch (reason) {
      case STOP -> "stop";
      case LENGTH -> "length";
      case TOOL_CALLS -> "tool_call";
      case CONTENT_FILTER -> "content_filter";
      default -> reason.name().toLowerCase(Locale.ROOT);
    };
  }

  private void message(StringBuilder s, Message m, @Nullable String finishReason) {
    s.append("{\"role\":\"").append(m.role().name().toLowerCase(Locale.ROOT))
        .append("\",\"parts\":[");
    boolean first = true;
    if (m.role() == Role.TOOL) {
      s.append("{\"type\":\"tool_call_response\",\"id\":");
      string(s, m.toolCallId() == null ? "" : m.toolCallId());
      s.append(",\"response\":");
      string(s, m.text());
      s.append('}');
      first = false;
    } else {
      for (ContentPart p : m.content()) {
        if (full(s)) {
          break;
        }
        if (!first) {
          s.append(',');
        }
        first = false;
        part(s, p);
      }
    }
    for (ToolCall call : m.toolCalls()) {
      if (full(s)) {
        break;
      }
      if (!first) {
        s.append(',');
      }
      first = false;
      s.append("{\"type\":\"tool_call\",\"id\":");
      string(s, call.id());
      s.append(",\"name\":");
      string(s, call.name());
      s.append(",\"arguments\":");
      string(s, call.arguments());
      s.append('}');
    }
    s.append(']');
    if (finishReason != null) {
      s.append(",\"finish_reason\":\"").append(finishReason).append('"');
    }
    s.append('}');
  }

  private void part(StringBuilder s, ContentPart p) {
    if (p instanceof ContentPart.Text t) {
      s.append("{\"type\":\"text\",\"content\":");
      string(s, t.text());
      s.append('}');
    } else if (p instanceof ContentPart.Reasoning r) {
      s.append("{\"type\":\"reasoning\",\"content\":");
      string(s, r.text() == null ? "" : r.text());
      s.append('}');
    } else if (p instanceof ContentPart.Image) {
      s.append("{\"type\":\"image\"}"); // never the bytes or the address
    } else {
      s.append("{\"type\":\"document\"}");
    }
  }

  private boolean full(StringBuilder s) {
    return s.length() > 4L * maxChars;
  }

  /** A JSON string of at most {@code maxChars} characters of {@code text}. */
  private void string(StringBuilder s, String text) {
    int n = Math.min(text.length(), maxChars);
    if (n > 0 && n < text.length() && Character.isHighSurrogate(text.charAt(n - 1))) {
      n--; // never half a pair
    }
    s.append('"');
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default -> {
          if (c < 0x20) {
            s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    if (n < text.length()) {
      s.append("…[truncated]");
    }
    s.append('"');
  }
}
