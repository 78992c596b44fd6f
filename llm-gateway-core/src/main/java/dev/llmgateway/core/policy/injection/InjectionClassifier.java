package dev.llmgateway.core.policy.injection;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;

/**
 * A second opinion on texts the heuristics find borderline ({@link InjectionScore#borderline()}):
 * the probability that a text tries to override, ignore or reveal an AI assistant's instructions.
 * The input-policy step calls it with the text and a {@link ChatFunction} that calls a model
 * through the same gateway with the policies bypassed; {@link ModelInjectionClassifier} is the
 * implementation that asks a model.
 *
 * <p>Contract: return a probability in [0, 1], or {@link #NO_ANSWER} (NaN) when there is no usable
 * answer — the step then keeps the heuristic score. Never throw: a failure to classify is no
 * answer.
 * Implementations must be thread-safe; the step may call one from many threads at once.
 */
@FunctionalInterface
public interface InjectionClassifier {
  /** No usable answer: the step keeps the heuristic score. */
  double NO_ANSWER = Double.NaN;

  /**
   * The probability that {@code text} is a prompt injection.
   *
   * @param text the text the heuristics found borderline
   * @param chat calls a model through the gateway, the policies bypassed
   * @return a probability in [0, 1], or {@link #NO_ANSWER}
   */
  double probability(String text, ChatFunction chat);

  /**
   * Calls a model: the gateway's {@code chat}, with the policies bypassed so the classifier's own
   * call is not scanned again. It may throw a {@link dev.llmgateway.GatewayException}.
   */
  @FunctionalInterface
  interface ChatFunction {
    /**
     * Sends one request and returns the model's answer.
     *
     * @throws dev.llmgateway.GatewayException if the call fails
     */
    ChatResponse chat(ChatRequest request);
  }
}
