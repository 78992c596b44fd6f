package dev.llmgateway.providers.internal;

import dev.llmgateway.ContentPart;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Message;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.TokenEstimator;
import org.jspecify.annotations.Nullable;

/**
 * Reported counts beat estimates: where an answer reports its token counts, the transports use them
 * as reported ({@code estimated} false); only an answer that reports none is billed by the
 * gateway's estimate ({@link TokenEstimator}), flagged {@code estimated}. Streams apply the same
 * rule in {@link SseStreamSource}. Thread-safe.
 */
public final class Estimates {
  private Estimates() {}

  /**
   * The usage of a unary chat answer: {@code reported} when the answer carried counts, else the
   * estimate of the request's input and of the answer's text, reasoning and tool calls.
   *
   * @param reported the answer's own counts, or null when it carried none
   */
  public static Usage ofAnswer(@Nullable Usage reported, GatewayRequest request, Message answer) {
    if (reported != null) {
      return reported;
    }
    long chars = 0;
    for (ContentPart part : answer.content()) {
      if (part instanceof ContentPart.Text t) {
        chars += t.text().length();
      } else if (part instanceof ContentPart.Reasoning r && r.text() != null) {
        chars += r.text().length();
      }
    }
    for (ToolCall call : answer.toolCalls()) {
      chars += call.name().length() + call.arguments().length();
    }
    return Usage.estimate(TokenEstimator.input(request), TokenEstimator.tokens(chars));
  }

  /**
   * The usage of an embeddings answer: the input tokens it reported, else the estimate of the
   * request's inputs.
   *
   * @param reportedInputTokens the input tokens the answer reported, or null when it reported none
   */
  public static Usage ofEmbeddings(@Nullable Long reportedInputTokens, GatewayRequest request) {
    return reportedInputTokens != null ? Usage.of(reportedInputTokens, 0)
        : Usage.estimate(TokenEstimator.input(request), 0);
  }
}
