package dev.llmgateway.core.limit;

import dev.llmgateway.Principal;
import java.util.List;

/**
 * Per-tenant rate limits from the host application's own configuration (a plan's quota, a
 * customer's contract): asked for the limits of each call's principal, in addition to the ones
 * configured in {@link RateLimits}. A limit it returns with the name of a configured one replaces
 * that one for the call (a tenant's own {@code org-rpm} instead of the default); the others are
 * added. Its limits are counted like configured ones — by name and by the id of their scope (a
 * per-org limit: each org its own counter) — so return the same name for the same limit every
 * time.
 *
 * <p><b>Called once per call</b>, at admission, on the caller's thread, after authentication (with
 * {@link Principal#ANONYMOUS} for a call without a principal). It must be fast and must not block:
 * read the host's configuration from memory (a map, a cache), never from a database on the call's
 * path. It must not throw; a throw fails the call (a {@code GatewayInternalException} naming the
 * source's exception type). Thread-safe, as it is called concurrently.
 */
@FunctionalInterface
public interface LimitSource {
  /** No limits of its own. */
  LimitSource NONE = principal -> List.of();

  /** The limits of {@code principal}'s calls beyond the configured ones; empty for none. */
  List<RateLimit> limitsFor(Principal principal);
}
