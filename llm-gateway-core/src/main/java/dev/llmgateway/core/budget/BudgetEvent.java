package dev.llmgateway.core.budget;

import java.util.Objects;

/**
 * A budget reached one of its thresholds in its current period — 50 %, 80 % or 100 % — told to the
 * {@link BudgetListener} once per threshold, budget, id and period (however many gateways share
 * the store: the store's {@link BudgetStore#mark marks} decide who tells).
 *
 * <p>50 and 80 are reached when settled spending reaches that share of the limit. 100 means the
 * budget is used up: settled spending reached the limit, or the budget first refused a call (at
 * its hard limit, or because what the call may cost no longer fit beside what is spent and
 * reserved — with reservations, settled spending usually stops just short of the limit, so a
 * refusal is how a team learns it has run out; a single call larger than all that is left counts
 * too). {@link #refusal()} says which.
 *
 * <p>Immutable and thread-safe.
 */
public final class BudgetEvent {
  private final int percent;
  private final BudgetStatus status;
  private final boolean refusal;

  /**
   * An event.
   *
   * @param percent 50, 80 or 100
   * @param status the budget's status when it was reached
   * @param refusal whether a refused call (not settled spending) reached 100
   * @throws IllegalArgumentException if {@code percent} is not 50, 80 or 100
   */
  public BudgetEvent(int percent, BudgetStatus status, boolean refusal) {
    if (percent != 50 && percent != 80 && percent != 100) {
      throw new IllegalArgumentException("a budget event is at 50, 80 or 100 percent, was "
          + percent);
    }
    this.percent = percent;
    this.status = Objects.requireNonNull(status, "status");
    this.refusal = refusal;
  }

  /** The threshold reached: 50, 80 or 100. */
  public int percent() {
    return percent;
  }

  /** Where the budget stood when the threshold was reached. */
  public BudgetStatus status() {
    return status;
  }

  /** Whether a refused call, rather than settled spending, made this the 100 % event. */
  public boolean refusal() {
    return refusal;
  }

  @Override
  public String toString() {
    return "BudgetEvent[" + percent + "%" + (refusal ? " (a call was refused)" : "") + ", "
        + status + "]";
  }
}
