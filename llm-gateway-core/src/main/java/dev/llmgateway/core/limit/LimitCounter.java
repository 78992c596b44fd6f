package dev.llmgateway.core.limit;

import java.util.Objects;

/**
 * One counter of a store: the counts of one {@link RateLimit} (by name) for one id of its scope,
 * within one tenant. Two requests with equal counters count together.
 *
 * <p>{@code tenant} groups the counters a shared store should keep together (a Redis Cluster hash
 * tag, so that one script can take all the counters of one admission): the caller's org id, or
 * {@code ""} for counters that belong to no org (gateway-wide, per deployment, callers without an
 * org). A team, project, user or key id is counted per tenant: team {@code support} of org {@code
 * a} and of org {@code b} are two counters.
 *
 * <p>{@link #toString()} never prints a {@link Scope#USER} counter's id (a raw end-user id): a
 * shared store that writes ids into its keys should hash them.
 *
 * @param limit the limit's name
 * @param scope whose calls it counts
 * @param tenant the group it belongs to, {@code ""} for none
 * @param id the id it counts under ({@code "*"} gateway-wide, a deployment's {@code provider/model})
 */
public record LimitCounter(String limit, Scope scope, String tenant, String id) {
  /** Checks that nothing is null. */
  public LimitCounter {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
  }

  /** {@code LimitCounter[team-rpm, team support, tenant acme]}, a user's id redacted. */
  @Override
  public String toString() {
    return "LimitCounter[" + limit + ", " + scope.label() + " "
        + (scope == Scope.USER ? "<redacted>" : id) + ", tenant " + tenant + "]";
  }
}
