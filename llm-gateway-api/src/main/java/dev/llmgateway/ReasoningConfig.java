package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * How much the model should think before answering: an effort level (OpenAI's {@code
 * reasoning_effort}, Gemini's thinking level) or a token budget (Anthropic's and Gemini's thinking
 * budget). Transports convert one into the other where their provider knows only one.
 *
 * @param effort the effort level, or null when a budget is given
 * @param budgetTokens the thinking budget in tokens, or null when an effort is given
 */
public record ReasoningConfig(@Nullable Effort effort, @Nullable Integer budgetTokens) {

  /** Effort levels. */
  public enum Effort {
    /** As little as the model allows. */
    MINIMAL,
    /** Low. */
    LOW,
    /** Medium. */
    MEDIUM,
    /** High. */
    HIGH
  }

  /** Validates. */
  public ReasoningConfig {
    if ((effort == null) == (budgetTokens == null)) {
      throw new IllegalArgumentException("reasoning takes either an effort or a token budget");
    }
    if (budgetTokens != null && budgetTokens < 0) {
      throw new IllegalArgumentException("reasoning budget must be >= 0, was " + budgetTokens);
    }
  }

  /** Reasoning at an effort level. */
  public static ReasoningConfig effort(Effort effort) {
    return new ReasoningConfig(effort, null);
  }

  /** Reasoning with a token budget. */
  public static ReasoningConfig budget(int tokens) {
    return new ReasoningConfig(null, tokens);
  }
}
