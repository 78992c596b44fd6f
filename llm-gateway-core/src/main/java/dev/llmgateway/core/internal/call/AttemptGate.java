package dev.llmgateway.core.internal.call;

import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import org.jspecify.annotations.Nullable;

/**
 * Asked by the execute step before every attempt — the first, a retry, a failover, a hedge —
 * whether the call may make it at that deployment now: a deployment's rate limit, a budget whose
 * reservation must grow for one more attempt. A step that needs it adds one to its call with
 * {@link #add(Call, AttemptGate)}; the gates of several steps all must admit.
 *
 * <p>A refused deployment is skipped with the exception's message as the reason (it shows in
 * {@code RoutingDecision.skipped()}) and the call fails over; when every candidate was refused the
 * call fails with that exception (one candidate) or with all of them. A gate that admits may have
 * taken something (a request of a deployment's window): it gives it back from its own {@link
 * CallEnd} hook. Asked before the deployment's circuit breaker, on the thread that starts the
 * attempt, possibly concurrently for a hedge.
 */
@FunctionalInterface
public interface AttemptGate {
  /** Null when the call may make an attempt at {@code deployment} now; else why not, typed. */
  @Nullable GatewayException admit(Call call, Deployment deployment);

  /** Adds {@code gate} to the call's gates (after those added before). */
  static void add(Call call, AttemptGate gate) {
    AttemptGate existing = call.tag(AttemptGate.class);
    if (existing == null) {
      call.tag(AttemptGate.class, gate);
    } else {
      call.tag(AttemptGate.class, (c, d) -> {
        GatewayException refused = existing.admit(c, d);
        return refused != null ? refused : gate.admit(c, d);
      });
    }
  }
}
