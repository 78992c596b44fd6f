package dev.llmgateway.core.internal.access;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.AuditEvent;
import dev.llmgateway.Deployment;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.internal.call.AccessFilter;
import dev.llmgateway.core.internal.call.Audit;
import dev.llmgateway.core.internal.call.Call;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The deployments one caller's rules deny: the rules that filter, in precedence order (everyone,
 * org, team, key); deny lists are read before allow lists, so a denial names the first deny
 * pattern that matched in any of them. Immutable and thread-safe.
 */
final class Filter implements AccessFilter {
  private static final String PREFIX = "denied by access rule '";

  private final CompiledRule[] rules;
  private final Audit audit;

  Filter(CompiledRule[] rules, Audit audit) {
    this.rules = rules;
    this.audit = audit;
  }

  @Override
  public @Nullable String deny(Call call, Deployment deployment) {
    for (CompiledRule rule : rules) {
      String why = rule.denied(deployment);
      if (why != null) {
        return denied(call, deployment, rule, why);
      }
    }
    for (CompiledRule rule : rules) {
      String why = rule.notAllowed(deployment);
      if (why != null) {
        return denied(call, deployment, rule, why);
      }
    }
    return null;
  }

  private String denied(Call call, Deployment deployment, CompiledRule rule, String why) {
    audit.emit(new AuditEvent(audit.clock().instant(), AuditEvent.Type.DEPLOYMENT_DENIED,
        call.callId(), call.principal(), null, deployment.toString(), rule.name, why));
    return PREFIX + rule.name + "' (" + why + ")";
  }

  @Override
  public boolean deniesAny(List<Deployment> deployments) {
    for (int i = 0, n = deployments.size(); i < n; i++) {
      if (ruleDenying(deployments.get(i)) != null) {
        return true;
      }
    }
    return false;
  }

  private @Nullable CompiledRule ruleDenying(Deployment d) {
    for (CompiledRule rule : rules) {
      if (rule.denied(d) != null) {
        return rule;
      }
    }
    for (CompiledRule rule : rules) {
      if (rule.notAllowed(d) != null) {
        return rule;
      }
    }
    return null;
  }

  @Override
  public AccessDeniedException refuse(Call call, String model,
      List<RoutingDecision.Skip> skipped) {
    String first = null;
    for (RoutingDecision.Skip skip : skipped) {
      CompiledRule rule = ruleDenying(skip.deployment());
      if (rule != null) {
        first = rule.name;
        break;
      }
    }
    String message = "access rules deny every candidate of '" + model
        + "' that could serve this request: " + skipped + "; call a model or alias these rules"
        + " allow, or have the rules changed";
    call.refuse(UsageRecord.Refusal.ACCESS);
    audit.emit(new AuditEvent(audit.clock().instant(), AuditEvent.Type.ACCESS_DENIED,
        call.callId(), call.principal(), null, model, first, message));
    return new AccessDeniedException(message, first);
  }
}
