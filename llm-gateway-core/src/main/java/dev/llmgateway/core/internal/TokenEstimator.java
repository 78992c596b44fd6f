package dev.llmgateway.core.internal;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Message;
import dev.llmgateway.ToolCall;

/**
 * Rough token counts for when a provider reports none (a cancelled stream): about four characters
 * per token plus a few tokens of framing per message. Usage built from these is flagged {@code
 * estimated}.
 */
final class TokenEstimator {
  private static final int CHARS_PER_TOKEN = 4;
  private static final int TOKENS_PER_MESSAGE = 4;
  private static final int TOKENS_PER_IMAGE = 765;

  private TokenEstimator() {}

  static long input(GatewayRequest request) {
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

  static long tokens(long chars) {
    return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }
}
