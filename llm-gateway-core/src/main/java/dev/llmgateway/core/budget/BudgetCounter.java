package dev.llmgateway.core.budget;

import dev.llmgateway.Principal;
import dev.llmgateway.core.limit.Scope;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link BudgetStore} counts under one key: the spending of one id (a team, an org, ...) of
 * one tenant against one {@link Budget} in one period. The gateway makes one per budget that
 * applies to a call, when the call is admitted; the period is fixed then, so a call that runs
 * across the end of a period is charged to the period it started in.
 *
 * <p>A shared store keys it by all its parts; every counter of one call has the same {@link
 * #tenant()}, so a Redis store can put them under one hash tag ({@code {tenant}}) and reserve,
 * settle and release in one script over keys of one slot.
 *
 * <p>Immutable and thread-safe.
 *
 * @param budget the {@link Budget#name() budget's name}
 * @param scope the budget's scope
 * @param tenant the caller's org id, or {@code ""} for a caller with none
 * @param id the caller's id in that scope (the org, team, project or key id)
 * @param periodStart the first instant of the period
 * @param periodEnd the first instant after the period
 */
public record BudgetCounter(String budget, Scope scope, String tenant, String id,
    Instant periodStart, Instant periodEnd) {
  /** Validates. */
  public BudgetCounter {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(periodStart, "periodStart");
    Objects.requireNonNull(periodEnd, "periodEnd");
    if (!periodEnd.isAfter(periodStart)) {
      throw new IllegalArgumentException("a counter's period must end after it starts, was "
          + periodStart + " to " + periodEnd);
    }
  }

  /**
   * The tenant a caller's counters are kept under: its org id, or {@code ""} when it has none.
   *
   * @param principal the caller
   * @return the tenant
   */
  public static String tenantOf(@Nullable Principal principal) {
    String org = principal == null ? null : principal.orgId();
    return org == null ? "" : org;
  }

  @Override
  public String toString() {
    return "BudgetCounter[" + budget + ", " + scope.label() + " " + id
        + (tenant.isEmpty() ? "" : " of " + tenant) + ", " + periodStart + " to " + periodEnd
        + "]";
  }
}
