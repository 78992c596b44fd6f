package dev.llmgateway.core.internal.access;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.AuditEvent;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.access.AccessPolicy;
import dev.llmgateway.core.access.AccessRule;
import dev.llmgateway.core.internal.call.AccessFilter;
import dev.llmgateway.core.internal.call.Audit;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Step;
import dev.llmgateway.spi.RequestNeeds;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The access step, right after authentication: finds the caller's rules (at most one map lookup
 * each by org, team and key id, all compiled at build), refuses what they forbid of the request
 * itself — an alias, a model named directly, more output tokens than allowed, a withheld feature
 * — and leaves the call's {@link AccessFilter} for the plan step when the rules deny deployments.
 * A refusal marks the call {@link UsageRecord.Refusal#ACCESS}, is one {@link
 * AuditEvent.Type#ACCESS_DENIED} event, and throws an {@link AccessDeniedException} naming the
 * rule and what to change, never the credential. Precedence: {@link AccessPolicy}.
 *
 * <p>Thread-safe: everything it holds is read-only.
 */
public final class AccessInterceptor implements Step {
  private final @Nullable CompiledRule everyone;
  private final Map<String, CompiledRule> orgs;
  private final Map<String, CompiledRule> teams;
  private final Map<String, CompiledRule> keys;
  private final boolean denyUnnamed;
  private final Set<String> aliases;
  private final Set<String> providers;
  private final Audit audit;

  /**
   * The step over {@code policy}, compiled now.
   *
   * @param aliases the gateway's alias names (a request naming one is checked by alias rules)
   * @param providers the gateway's provider names (to find the model part of {@code p/model})
   * @param audit the gateway's audit trail
   */
  public AccessInterceptor(AccessPolicy policy, Set<String> aliases, Set<String> providers,
      Audit audit) {
    Map<AccessRule, CompiledRule> compiled = new IdentityHashMap<>();
    AccessRule all = policy.everyone();
    this.everyone = all == null ? null : compiled.computeIfAbsent(all, r -> new CompiledRule(r,
        audit));
    this.orgs = compile(policy.orgs(), compiled, audit);
    this.teams = compile(policy.teams(), compiled, audit);
    this.keys = compile(policy.keys(), compiled, audit);
    if (everyone != null && everyone.filtersDeployments) {
      for (CompiledRule r : compiled.values()) {
        if (r != everyone && r.filtersDeployments) {
          r.withEveryone = new Filter(new CompiledRule[] {everyone, r}, audit);
        }
      }
    }
    this.denyUnnamed = policy.unnamedCallers() == AccessPolicy.Unnamed.DENY;
    this.aliases = Set.copyOf(aliases);
    this.providers = Set.copyOf(providers);
    this.audit = audit;
  }

  private static Map<String, CompiledRule> compile(Map<String, AccessRule> rules,
      Map<AccessRule, CompiledRule> compiled, Audit audit) {
    Map<String, CompiledRule> out = new HashMap<>(rules.size() * 2);
    rules.forEach((id, rule) -> out.put(id, compiled.computeIfAbsent(rule,
        r -> new CompiledRule(r, audit))));
    return out;
  }

  @Override
  public CallResult intercept(Chain chain) {
    Call call = (Call) chain.call();
    Principal p = call.principal();
    if (p == null) {
      p = Principal.ANONYMOUS;
    }
    CompiledRule org = p.orgId() == null ? null : orgs.get(p.orgId());
    CompiledRule team = p.teamId() == null ? null : teams.get(p.teamId());
    CompiledRule key = p.keyId() == null ? null : keys.get(p.keyId());
    GatewayRequest request = chain.request();
    String model = request.model();
    if (org == null && team == null && key == null && denyUnnamed) {
      throw refused(call, AccessPolicy.UNNAMED_CALLERS, model, "no access rule names this"
          + " caller (" + named(p) + "): give its org, team or key id a rule in the"
          + " gateway's AccessPolicy, or let unnamed callers through with"
          + " AccessPolicy.Builder.unnamedCallers(ALLOW)");
    }
    boolean alias = aliases.contains(model);
    String modelPart = alias ? model : modelPart(model);
    for (int i = 0; i < 4; i++) {
      CompiledRule r = i == 0 ? everyone : i == 1 ? org : i == 2 ? team : key;
      if (r != null) {
        denies(call, r, alias, model, modelPart);
      }
    }
    for (int i = 0; i < 4; i++) {
      CompiledRule r = i == 0 ? everyone : i == 1 ? org : i == 2 ? team : key;
      if (r != null) {
        notAllowed(call, r, alias, model, modelPart);
      }
    }
    RequestNeeds needs = null;
    CompiledRule tightest = null;
    CompiledRule filtering = null;
    int filters = 0;
    for (int i = 0; i < 4; i++) {
      CompiledRule r = i == 0 ? everyone : i == 1 ? org : i == 2 ? team : key;
      if (r == null) {
        continue;
      }
      if (r.withholdsFeatures) {
        if (needs == null) {
          needs = call.needs(request);
        }
        features(call, r, model, needs);
      }
      if (r.maxOutputTokens > 0 && (tightest == null
          || r.maxOutputTokens < tightest.maxOutputTokens)) {
        tightest = r;
      }
      if (r.filtersDeployments) {
        filters++;
        filtering = r; // the last, the most specific
      }
    }
    if (filtering != null) {
      call.tag(AccessFilter.class, filter(filtering, filters, org, team, key));
    }
    if (tightest != null && request instanceof ChatRequest chat) {
      Integer asked = chat.maxOutputTokens();
      if (asked == null) {
        request = chat.toBuilder().maxOutputTokens(tightest.maxOutputTokens).build();
      } else if (asked > tightest.maxOutputTokens) {
        throw refused(call, tightest.name, model, "the request asks for up to " + asked
            + " output tokens; access rule '" + tightest.name + "' allows at most "
            + tightest.maxOutputTokens + ": ask for fewer (ChatRequest.Builder.maxOutputTokens)");
      }
    }
    return chain.proceed(request);
  }

  /**
   * The filter of the call's rules that filter: made at build when it is one rule, or one and the
   * rule for everyone; else made now.
   */
  private AccessFilter filter(CompiledRule last, int filters, @Nullable CompiledRule org,
      @Nullable CompiledRule team, @Nullable CompiledRule key) {
    if (filters == 1) {
      return last.alone;
    }
    if (filters == 2 && everyone != null && everyone.filtersDeployments
        && last.withEveryone != null) {
      return last.withEveryone;
    }
    CompiledRule[] those = new CompiledRule[filters];
    int i = 0;
    for (CompiledRule r : new CompiledRule[] {everyone, org, team, key}) {
      if (r != null && r.filtersDeployments) {
        those[i++] = r;
      }
    }
    return new Filter(those, audit);
  }

  /** The model part of a model named directly: after the provider of {@code provider/model}. */
  private String modelPart(String model) {
    int slash = model.indexOf('/');
    return slash > 0 && providers.contains(model.substring(0, slash))
        ? model.substring(slash + 1) : model;
  }

  private void denies(Call call, CompiledRule r, boolean alias, String model, String part) {
    if (alias) {
      String p = r.denyAliases.match(model);
      if (p != null) {
        throw refused(call, r.name, model, "access rule '" + r.name + "' denies alias '" + model
            + "' (deny pattern '" + p + "'): call an alias the rule allows");
      }
    } else {
      String p = r.denyModels.match(part);
      if (p != null) {
        throw refused(call, r.name, model, "access rule '" + r.name + "' denies model '" + part
            + "' (deny pattern '" + p + "'): call a model the rule allows");
      }
    }
  }

  private void notAllowed(Call call, CompiledRule r, boolean alias, String model, String part) {
    if (alias) {
      if (!r.allowAliases.isEmpty() && r.allowAliases.match(model) == null) {
        throw refused(call, r.name, model, "access rule '" + r.name + "' does not allow alias '"
            + model + "': call one its allow list matches, " + r.allowAliases);
      }
    } else if (!r.allowModels.isEmpty() && r.allowModels.match(part) == null) {
      throw refused(call, r.name, model, "access rule '" + r.name + "' does not allow model '"
          + part + "': call one its allow list matches, " + r.allowModels);
    }
  }

  private void features(Call call, CompiledRule r, String model, RequestNeeds needs) {
    String feature = needs.tools() && !r.tools ? "tools"
        : needs.images() && !r.images ? "image input"
        : needs.documents() && !r.documents ? "document input" : null;
    if (feature != null) {
      throw refused(call, r.name, model, "access rule '" + r.name + "' does not allow "
          + feature + " in a request: send the request without it, or have the rule allow it"
          + " (AccessRule.Builder.features)");
    }
  }

  private static String named(Principal p) {
    StringBuilder s = new StringBuilder();
    s.append(p.orgId() == null ? "no org" : "org '" + p.orgId() + "'");
    s.append(p.teamId() == null ? ", no team" : ", team '" + p.teamId() + "'");
    s.append(p.keyId() == null ? ", no key id" : ", a key id with no rule");
    return s.toString();
  }

  /** Marks the call refused by access, records the audit event; returns what to throw. */
  private AccessDeniedException refused(Call call, String rule, String subject, String message) {
    call.refuse(UsageRecord.Refusal.ACCESS);
    audit.emit(new AuditEvent(audit.clock().instant(), AuditEvent.Type.ACCESS_DENIED,
        call.callId(), call.principal(), null, subject, rule, message));
    return new AccessDeniedException(message, rule);
  }
}
