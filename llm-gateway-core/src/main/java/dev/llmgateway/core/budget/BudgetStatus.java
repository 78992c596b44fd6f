package dev.llmgateway.core.budget;

import dev.llmgateway.core.limit.Scope;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * Where one budget stands for one id in its current period: spent (settled calls), reserved (calls
 * in flight), remaining, the limit and the period. {@link #toString()} prints the budget's name,
 * scope and id, never an end user's.
 *
 * <p>Immutable and thread-safe.
 */
public final class BudgetStatus {
  private final Budget budget;
  private final String tenant;
  private final String id;
  private final long spentNanos;
  private final long reservedNanos;
  private final Instant periodStart;
  private final Instant periodEnd;

  private BudgetStatus(Budget budget, String tenant, String id, long spentNanos,
      long reservedNanos, Instant periodStart, Instant periodEnd) {
    this.budget = budget;
    this.tenant = tenant;
    this.id = id;
    this.spentNanos = spentNanos;
    this.reservedNanos = reservedNanos;
    this.periodStart = periodStart;
    this.periodEnd = periodEnd;
  }

  /**
   * The status of {@code budget} from a store's balance of one of its counters.
   *
   * @param budget the budget, as configured now
   * @param balance the counter's figures
   * @return the status
   */
  public static BudgetStatus of(Budget budget, BudgetBalance balance) {
    Objects.requireNonNull(budget, "budget");
    BudgetCounter c = balance.counter();
    return new BudgetStatus(budget, c.tenant(), c.id(), balance.spentNanos(),
        balance.reservedNanos(), c.periodStart(), c.periodEnd());
  }

  /** The budget as configured now. */
  public Budget budget() {
    return budget;
  }

  /** The budget's name. */
  public String name() {
    return budget.name();
  }

  /** The budget's scope. */
  public Scope scope() {
    return budget.scope();
  }

  /** The tenant (the caller's org id; empty for callers with none). */
  public String tenant() {
    return tenant;
  }

  /** The id counted (the org, team, project or key id). */
  public String id() {
    return id;
  }

  /** The limit in US dollars. */
  public BigDecimal limit() {
    return budget.limit();
  }

  /** What settled calls cost this period, in US dollars. */
  public BigDecimal spent() {
    return Budget.toDollars(spentNanos);
  }

  /** What calls in flight hold, in US dollars. */
  public BigDecimal reserved() {
    return Budget.toDollars(reservedNanos);
  }

  /**
   * The limit minus what is spent and reserved, in US dollars: negative when spending went past
   * the limit (see {@link Budgets} for how far it can).
   */
  public BigDecimal remaining() {
    return budget.limit().subtract(Budget.toDollars(spentNanos))
        .subtract(Budget.toDollars(reservedNanos));
  }

  /** What settled calls cost this period, in nano-dollars. */
  public long spentNanos() {
    return spentNanos;
  }

  /** What calls in flight hold, in nano-dollars. */
  public long reservedNanos() {
    return reservedNanos;
  }

  /** The whole percent of the limit spent, rounded down (above 100 when spending went past it). */
  public int percentSpent() {
    return percentOf(spentNanos, budget.limitNanos());
  }

  /** The first instant of the period. */
  public Instant periodStart() {
    return periodStart;
  }

  /** The first instant after the period: when spending starts from zero again. */
  public Instant periodEnd() {
    return periodEnd;
  }

  /** {@code part} as a whole percent of {@code whole}, rounded down, at most Integer.MAX_VALUE. */
  static int percentOf(long part, long whole) {
    BigInteger p = BigInteger.valueOf(part).multiply(BigInteger.valueOf(100))
        .divide(BigInteger.valueOf(whole));
    return p.bitLength() < 32 ? p.intValue() : Integer.MAX_VALUE;
  }

  @Override
  public String toString() {
    return "BudgetStatus[" + budget.name() + ", " + budget.scope().label() + " " + id
        + (tenant.isEmpty() ? "" : " of " + tenant) + ": spent $" + spent().toPlainString()
        + " (" + percentSpent() + "%), reserved $" + reserved().toPlainString() + ", remaining $"
        + remaining().toPlainString() + " of $" + limit().toPlainString() + ", " + periodStart
        + " to " + periodEnd + "]";
  }
}
