package dev.llmgateway.core.internal.call;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.Deployment;
import dev.llmgateway.RoutingDecision;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The deployments a call's access rules deny, as the access step leaves them for the steps after
 * it (the call's {@link Call#tag(Class) slot} of this type; absent when the caller's rules deny no
 * deployment). The plan step takes what it denies out of the plan (so no failover, hedge,
 * content-filter fallback or downgraded route reaches it); the cache step does not share answers
 * with a call whose candidates it denies in part.
 *
 * <p>Thread-safe and immutable: one may serve many calls.
 */
public interface AccessFilter {

  /**
   * Why the call may not reach the deployment, as a skip reason naming the rule ({@code denied by
   * access rule 'no-anthropic' (provider 'anthropic' denied)}), or null when it may. Records the
   * denial in the audit trail: the plan step asks once per deployment per call.
   */
  @Nullable String deny(Call call, Deployment deployment);

  /** Whether the rules deny any of these deployments (a question only: nothing is recorded). */
  boolean deniesAny(List<Deployment> deployments);

  /**
   * Marks the call refused by access and records it in the audit trail; returns the exception to
   * throw when the rules denied every candidate of {@code model} that could serve it.
   *
   * @param skipped every candidate taken out, with why
   */
  AccessDeniedException refuse(Call call, String model, List<RoutingDecision.Skip> skipped);
}
