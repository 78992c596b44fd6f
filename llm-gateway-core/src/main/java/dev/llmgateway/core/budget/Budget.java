package dev.llmgateway.core.budget;

import dev.llmgateway.core.limit.Scope;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A spending cap: how many US dollars the calls of one {@link Scope} (an org, a team, a project or
 * an API key, by the caller's {@link dev.llmgateway.Principal} ids) may cost per calendar {@link
 * BudgetPeriod period}, when non-critical calls start going to their alias's cheaper route (the
 * soft threshold), and what happens at the limit.
 *
 * <pre>{@code
 * Budget everyTeam = Budget.perId("team-monthly", Scope.TEAM, "100.00");   // each team $100/month
 * Budget support = Budget.forId("support", Scope.TEAM, "support", "500.00") // team support: $500
 *     .softThreshold(0.9)                                  // downgrade from 90 % spent
 *     .atHardLimit(HardLimitAction.DOWNGRADE_ONLY)          // then only the cheaper route
 *     .period(BudgetPeriod.WEEK).zone(ZoneId.of("Europe/Berlin"));
 * }</pre>
 *
 * <p>A budget without an id ({@link #perId}) gives every id of its scope a budget of its own of
 * that size; one with an id ({@link #forId}) applies to that id only, and for that id it replaces
 * the scope's per-id budgets (team {@code support} above has $500, not $100 and $500). A call
 * counts against every budget that applies to it — its org's, its team's, its project's, its key's
 * — and must fit all of them. Every budget counts per tenant, the caller's org id (an empty
 * tenant for a caller with none): a team, project or key id is counted within its org, so a store
 * shared by many JVMs can keep each tenant's counters together ({@link BudgetStore}).
 *
 * <p>Defaults: a calendar {@link BudgetPeriod#MONTH month} in UTC, soft threshold {@value
 * #DEFAULT_SOFT_THRESHOLD} (80 % spent), {@link HardLimitAction#REFUSE}. The limit is kept as a
 * whole number of nano-dollars (10<sup>-9</sup> USD), rounded up; at most {@link #MAX_LIMIT}.
 * Budgets per end user, per deployment or over every call ({@link Scope#USER}, {@link
 * Scope#DEPLOYMENT}, {@link Scope#GLOBAL}) are refused: the store would hold raw end-user ids, or
 * one counter for every tenant.
 *
 * <p>Immutable and thread-safe; the withers return a new budget. Two budgets are equal when all
 * their settings are.
 */
public final class Budget {
  /** The soft threshold of a budget that sets none: 80 % spent. */
  public static final double DEFAULT_SOFT_THRESHOLD = 0.8;
  /** The longest budget name, in characters. */
  public static final int MAX_NAME_LENGTH = 64;
  /** The longest fixed id, in characters. */
  public static final int MAX_ID_LENGTH = 256;
  /** The largest limit: one billion dollars (10<sup>18</sup> nano-dollars). */
  public static final BigDecimal MAX_LIMIT = new BigDecimal("1000000000");

  private static final long MAX_LIMIT_NANOS = 1_000_000_000_000_000_000L;

  private final String name;
  private final Scope scope;
  private final @Nullable String id;
  private final long limitNanos;
  private final BudgetPeriod period;
  private final ZoneId zone;
  private final double softThreshold;
  private final HardLimitAction atHardLimit;

  private Budget(String name, Scope scope, @Nullable String id, long limitNanos,
      BudgetPeriod period, ZoneId zone, double softThreshold, HardLimitAction atHardLimit) {
    this.name = name;
    this.scope = scope;
    this.id = id;
    this.limitNanos = limitNanos;
    this.period = period;
    this.zone = zone;
    this.softThreshold = softThreshold;
    this.atHardLimit = atHardLimit;
  }

  /**
   * A budget of {@code dollars} per month for every id of {@code scope}, each its own.
   *
   * @param name the budget's unique name, for admin and messages: 1 to {@value #MAX_NAME_LENGTH}
   *     letters, digits, {@code .}, {@code _} or {@code -}
   * @param scope {@link Scope#ORG}, {@link Scope#TEAM}, {@link Scope#PROJECT} or {@link Scope#KEY}
   * @param dollars the limit, a decimal such as {@code "100.00"}
   * @return the budget
   * @throws IllegalArgumentException if a value is not one of those
   */
  public static Budget perId(String name, Scope scope, String dollars) {
    return perId(name, scope, dollars("limit", dollars));
  }

  /**
   * A budget of {@code dollars} per month for every id of {@code scope}, each its own.
   *
   * @param name the budget's unique name (see {@link #perId(String, Scope, String)})
   * @param scope {@link Scope#ORG}, {@link Scope#TEAM}, {@link Scope#PROJECT} or {@link Scope#KEY}
   * @param dollars the limit, positive, at most {@link #MAX_LIMIT}
   * @return the budget
   * @throws IllegalArgumentException if a value is not one of those
   */
  public static Budget perId(String name, Scope scope, BigDecimal dollars) {
    return new Budget(checkName(name), checkScope(scope), null, limitNanos(dollars),
        BudgetPeriod.MONTH, ZoneOffset.UTC, DEFAULT_SOFT_THRESHOLD, HardLimitAction.REFUSE);
  }

  /**
   * A budget of {@code dollars} per month for one id of {@code scope} (one team, one org, ...).
   *
   * @param name the budget's unique name (see {@link #perId(String, Scope, String)})
   * @param scope {@link Scope#ORG}, {@link Scope#TEAM}, {@link Scope#PROJECT} or {@link Scope#KEY}
   * @param id the org, team, project or key id it applies to: 1 to {@value #MAX_ID_LENGTH}
   *     characters
   * @param dollars the limit, a decimal such as {@code "500.00"}
   * @return the budget
   * @throws IllegalArgumentException if a value is not one of those
   */
  public static Budget forId(String name, Scope scope, String id, String dollars) {
    return forId(name, scope, id, dollars("limit", dollars));
  }

  /**
   * A budget of {@code dollars} per month for one id of {@code scope}.
   *
   * @param name the budget's unique name (see {@link #perId(String, Scope, String)})
   * @param scope {@link Scope#ORG}, {@link Scope#TEAM}, {@link Scope#PROJECT} or {@link Scope#KEY}
   * @param id the id it applies to (see {@link #forId(String, Scope, String, String)})
   * @param dollars the limit, positive, at most {@link #MAX_LIMIT}
   * @return the budget
   * @throws IllegalArgumentException if a value is not one of those
   */
  public static Budget forId(String name, Scope scope, String id, BigDecimal dollars) {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("a budget's id must be 1 to " + MAX_ID_LENGTH
          + " characters, was " + id.length());
    }
    return new Budget(checkName(name), checkScope(scope), id, limitNanos(dollars),
        BudgetPeriod.MONTH, ZoneOffset.UTC, DEFAULT_SOFT_THRESHOLD, HardLimitAction.REFUSE);
  }

  /**
   * This budget with another limit.
   *
   * @param dollars the limit, a decimal such as {@code "100.00"}, positive, at most {@link
   *     #MAX_LIMIT}
   * @return a new budget
   * @throws IllegalArgumentException if the limit is not such a decimal
   */
  public Budget limit(String dollars) {
    return limit(dollars("limit", dollars));
  }

  /**
   * This budget with another limit.
   *
   * @param dollars the limit, positive, at most {@link #MAX_LIMIT}
   * @return a new budget
   * @throws IllegalArgumentException if the limit is not positive or too large
   */
  public Budget limit(BigDecimal dollars) {
    return new Budget(name, scope, id, limitNanos(dollars), period, zone, softThreshold,
        atHardLimit);
  }

  /**
   * This budget over another calendar period.
   *
   * @param period a day, an ISO week or a calendar month
   * @return a new budget
   */
  public Budget period(BudgetPeriod period) {
    return new Budget(name, scope, id, limitNanos, Objects.requireNonNull(period, "period"), zone,
        softThreshold, atHardLimit);
  }

  /**
   * This budget with its periods in another time zone (a month then starts at midnight there).
   *
   * @param zone the time zone, e.g. {@code ZoneId.of("Europe/Berlin")}
   * @return a new budget
   */
  public Budget zone(ZoneId zone) {
    return new Budget(name, scope, id, limitNanos, period, Objects.requireNonNull(zone, "zone"),
        softThreshold, atHardLimit);
  }

  /**
   * This budget with another soft threshold: from this fraction of the limit spent on, calls that
   * are not {@link dev.llmgateway.RequestOptions#critical() critical} are sent down their alias's
   * downgrade route ({@code Route.downgradeTo}).
   *
   * @param fraction above 0 and at most 1 (1: no soft zone)
   * @return a new budget
   * @throws IllegalArgumentException if the fraction is outside that range
   */
  public Budget softThreshold(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException(
          "softThreshold must be above 0 and at most 1 (a fraction of the limit), was " + fraction);
    }
    return new Budget(name, scope, id, limitNanos, period, zone, fraction, atHardLimit);
  }

  /**
   * This budget with another action at its hard limit.
   *
   * @param action refuse every call, or send every call down its downgrade route
   * @return a new budget
   */
  public Budget atHardLimit(HardLimitAction action) {
    return new Budget(name, scope, id, limitNanos, period, zone, softThreshold,
        Objects.requireNonNull(action, "action"));
  }

  /** The budget's unique name. */
  public String name() {
    return name;
  }

  /** Whose calls it counts: an org's, a team's, a project's or a key's. */
  public Scope scope() {
    return scope;
  }

  /** The one id it applies to, or null when every id of its scope has a budget of this size. */
  public @Nullable String id() {
    return id;
  }

  /** The limit in US dollars, as kept: a whole number of nano-dollars. */
  public BigDecimal limit() {
    return toDollars(limitNanos);
  }

  /** The limit in nano-dollars. */
  public long limitNanos() {
    return limitNanos;
  }

  /** The calendar period it counts over. */
  public BudgetPeriod period() {
    return period;
  }

  /** The time zone its periods start in. */
  public ZoneId zone() {
    return zone;
  }

  /** The fraction of the limit spent from which non-critical calls are downgraded. */
  public double softThreshold() {
    return softThreshold;
  }

  /** What happens to calls once the limit is spent. */
  public HardLimitAction atHardLimit() {
    return atHardLimit;
  }

  /**
   * This budget's counter for {@code id} of {@code tenant} in the period that holds {@code at}.
   *
   * @param tenant the caller's org id ({@link BudgetCounter#tenantOf})
   * @param id the caller's id in this budget's scope
   * @param at an instant in the period
   * @return the counter
   */
  public BudgetCounter counter(String tenant, String id, java.time.Instant at) {
    return new BudgetCounter(name, scope, tenant, id, period.start(at, zone), period.end(at, zone));
  }

  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  /**
   * The nano-dollars (10<sup>-9</sup> USD) that {@code dollars} are kept as, rounded up: a cost of
   * $0.0000000001 is kept as 1. Saturates at {@link Long#MAX_VALUE}; negative amounts are refused.
   *
   * @param dollars an amount in US dollars, at least 0
   * @return whole nano-dollars, rounded up
   * @throws IllegalArgumentException if the amount is negative
   */
  public static long toNanos(BigDecimal dollars) {
    Objects.requireNonNull(dollars, "dollars");
    if (dollars.signum() < 0) {
      throw new IllegalArgumentException("an amount of money must be at least 0, was "
          + dollars.toPlainString());
    }
    if (dollars.signum() == 0) {
      return 0;
    }
    BigDecimal nanos = dollars.movePointRight(9).setScale(0, RoundingMode.CEILING);
    // compared, not unscaledValue().bitLength(): no BigInteger per call for an everyday amount
    return nanos.compareTo(LONG_MAX) <= 0 ? nanos.longValue() : Long.MAX_VALUE;
  }

  /**
   * {@code nanos} nano-dollars in US dollars, exactly.
   *
   * @param nanos an amount in nano-dollars
   * @return the same amount in dollars (scale 9 or less, trailing zeros stripped)
   */
  public static BigDecimal toDollars(long nanos) {
    if (nanos == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal d = BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  private static long limitNanos(BigDecimal dollars) {
    Objects.requireNonNull(dollars, "limit");
    if (dollars.signum() <= 0 || dollars.compareTo(MAX_LIMIT) > 0) {
      throw new IllegalArgumentException("a budget's limit must be above 0 and at most "
          + MAX_LIMIT.toPlainString() + " dollars, was " + dollars.toPlainString());
    }
    long nanos = toNanos(dollars);
    return Math.min(nanos, MAX_LIMIT_NANOS);
  }

  private static BigDecimal dollars(String field, String text) {
    Objects.requireNonNull(text, field);
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          field + " must be a decimal number of US dollars, such as \"100.00\"; was '" + text
              + "'", e);
    }
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("a budget's name must be 1 to " + MAX_NAME_LENGTH
          + " characters, was " + name.length());
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) {
        throw new IllegalArgumentException("a budget's name may hold letters, digits, '.', '_'"
            + " and '-' only; '" + name + "' has '" + c + "' at " + i);
      }
    }
    return name;
  }

  private static Scope checkScope(Scope scope) {
    Objects.requireNonNull(scope, "scope");
    return switch (scope) {
      case ORG, TEAM, PROJECT, KEY -> scope;
      case USER -> throw new IllegalArgumentException("budgets per end user (Scope.USER) are not"
          + " supported: the store would keep raw end-user ids; use TEAM, ORG, PROJECT or KEY");
      case GLOBAL -> throw new IllegalArgumentException("a budget over every call (Scope.GLOBAL)"
          + " is not supported: budgets count per tenant (org); give each org a budget with"
          + " Budget.perId(name, Scope.ORG, dollars)");
      case DEPLOYMENT -> throw new IllegalArgumentException("budgets per deployment"
          + " (Scope.DEPLOYMENT) are not supported: budgets count callers' spending; use TEAM,"
          + " ORG, PROJECT or KEY");
    };
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Budget b && name.equals(b.name) && scope == b.scope
        && Objects.equals(id, b.id) && limitNanos == b.limitNanos && period == b.period
        && zone.equals(b.zone) && Double.compare(softThreshold, b.softThreshold) == 0
        && atHardLimit == b.atHardLimit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, scope, id, limitNanos, period, zone, softThreshold, atHardLimit);
  }

  @Override
  public String toString() {
    return "Budget[" + name + ", " + scope.label() + (id == null ? " (each its own)" : " " + id)
        + ", $" + limit().toPlainString() + " per " + period.label() + " in " + zone
        + ", soft at " + Math.round(softThreshold * 100) + "%, at the limit " + atHardLimit + "]";
  }
}
