package dev.llmgateway.core.route;

import java.util.Objects;

/**
 * Sends a call down its alias's cheaper route ({@link Route#downgradeTo(String)}): a budget step,
 * or any interceptor before routing, sets it as the call's typed value, e.g. {@code
 * chain.call().tag(Downgrade.class, new Downgrade("team budget at 92%"))}. The first route on the
 * call's walk that names a downgrade applies it, once, and the decision trail gives the reason.
 *
 * @param reason why the call is downgraded, for the decision trail (never a secret)
 */
public record Downgrade(String reason) {
  /** Validates. */
  public Downgrade {
    Objects.requireNonNull(reason, "reason");
  }
}
