package dev.llmgateway.spi;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Message;
import dev.llmgateway.ToolCall;

/**
 * Rough token counts for when a provider reports none (a cancelled stream, an endpoint that sends
 * no usage): about four characters per token plus a few tokens of framing per message, a fixed
 * count per image. Usage built from these must be flagged {@code estimated}. Thread-safe.
 */
public final class TokenEstimator {
  private static final int CHARS_PER_TOKEN = 4;
  private static final int TOKENS_PER_MESSAGE = 4;
  private static final int TOKENS_PER_IMAGE = 765;

  private TokenEstimator() {}

  /** Estimated input tokens of a chat or embedding request. */
  public static long input(GatewayRequest request) {
    if (request instanceof EmbeddingRequest e) {
      long chars = 0;
      for (String s : e.inputs()) {
        chars += s.length();
      }
      return tokens(chars);
    }
    ChatRequest chat = (ChatRequest) request;
    long tokens = 0;
    for (Message m : chat.messages()) {
      long chars = 0;
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.Text t) {
          chars += t.text().length();
        } else if (part instanceof ContentPart.Reasoning r && r.text() != null) {
          chars += r.text().length();
        } else if (part instanceof ContentPart.Image) {
          tokens += TOKENS_PER_IMAGE;
        }
      }
      for (ToolCall call : m.toolCalls()) {
        chars += call.name().length() + call.arguments().length();
      }
      tokens += TOKENS_PER_MESSAGE + tokens(chars);
    }
    return tokens;
  }

  /** Estimated tokens of that many characters of text. */
  public static long tokens(long chars) {
    return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }
}
