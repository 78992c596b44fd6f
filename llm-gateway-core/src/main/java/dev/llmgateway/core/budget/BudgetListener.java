package dev.llmgateway.core.budget;

/**
 * Told when a budget reaches 50 %, 80 % or 100 % in its period ({@link BudgetEvent}), e.g. to
 * alert the team. Called on the thread that settles the call which reached the threshold (the
 * thread that ends the call: the caller's, a stream's subscriber's, or the gateway's executor) —
 * for a refusal, on the refused caller's thread — after the store counted it and before the call's
 * usage record reaches the sinks. Must be quick and must not block; what it throws is caught and
 * logged, never reaching the call. Must be thread-safe: calls end on many threads.
 */
@FunctionalInterface
public interface BudgetListener {
  /** A listener that does nothing: the default. */
  BudgetListener NONE = event -> { };

  /**
   * A budget reached a threshold.
   *
   * @param event which threshold, and where the budget stood
   */
  void onThreshold(BudgetEvent event);
}
