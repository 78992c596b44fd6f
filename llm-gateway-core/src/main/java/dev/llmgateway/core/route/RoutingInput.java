package dev.llmgateway.core.route;

import dev.llmgateway.GatewayRequest;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.spi.CallContext;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request as routing sees it: the request and its call, plus the content features rules ask
 * about. Each feature is computed at most once per call, on first use, so ten rules over the last
 * user message read it once. Not thread-safe: routing reads it on the calling thread.
 */
public interface RoutingInput {

  /** The request ({@link dev.llmgateway.ChatRequest} or {@link dev.llmgateway.EmbeddingRequest}). */
  GatewayRequest request();

  /** The call: caller, principal (authenticated before routing), attributes. */
  CallContext call();

  /** The last user message's text (for embeddings, the inputs joined by newlines); or "". */
  String lastUserText();

  /** {@link #lastUserText()} in lower case (root locale). */
  String lastUserTextLowerCase();

  /** Whether the last user message has a fenced code block ({@code ```}). */
  boolean hasCodeBlock();

  /** Whether the request offers tools. */
  boolean toolsRequested();

  /** Whether any message carries an image. */
  boolean hasImages();

  /** The gateway's estimate of the request's input tokens. */
  long estimatedInputTokens();

  /** The request's metadata (empty for embeddings). */
  Map<String, String> metadata();

  /**
   * The classifier's label for this request, asked at most once per call and classifier; null
   * when the classifier failed (routing then goes on with the next rule; the failure is logged).
   */
  @Nullable String label(Classifier classifier);

  /** The gateway routing the call: a classifier may call a cheap model through it. */
  Gateway gateway();
}
