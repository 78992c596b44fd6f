package dev.llmgateway.core.access;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who may call what: {@link AccessRule}s for the callers of a gateway, named by the {@link
 * dev.llmgateway.Principal}'s org id, team id and key id, plus an optional rule for everyone.
 * Set with {@code GatewayBuilder.access(policy)}; the access step runs right after authentication.
 *
 * <pre>{@code
 * AccessPolicy policy = AccessPolicy.builder()
 *     .everyone(AccessRule.builder("org-deny").denyModels("o1-pro*").build())
 *     .team("support", AccessRule.builder("support").allowAliases("cheap").build())
 *     .team("research", AccessRule.builder("research").denyProviders("anthropic").build())
 *     .build();
 * }</pre>
 *
 * <p><b>Precedence.</b> A call must pass every rule that applies to its caller: the rule for
 * {@link Builder#everyone everyone}, then its org's, its team's and its key's. Deny wins: a deny
 * pattern of any of them refuses, whatever the others allow; an allow list refuses what it does
 * not match; the limit on output tokens is the smallest of theirs and the features those all
 * allow. So a team's or a key's rule can narrow what its org allows but never widen it, and an
 * org's deny list holds for every team and key of the org. A refusal names the first rule that
 * refuses, deny lists before allow lists, in the order everyone, org, team, key.
 *
 * <p><b>Callers no rule names.</b> A caller for whom no org, team or key rule exists (the rule for
 * everyone does not name anyone) is refused by default ({@link Unnamed#DENY}) under the rule
 * {@value #UNNAMED_CALLERS}: a gateway that checks access fails closed, so a caller the policy
 * forgot (a new team, a token whose claims map to no team) is told so instead of reaching every
 * model. {@link Builder#unnamedCallers(Unnamed) unnamedCallers(ALLOW)} lets them through, bound
 * by the rule for everyone only.
 *
 * <p>Immutable and thread-safe; the builder is not.
 */
public final class AccessPolicy {
  /** The name refusals give when no rule names the caller and unnamed callers are denied. */
  public static final String UNNAMED_CALLERS = "unnamed-callers";

  /** What happens to a caller no org, team or key rule names. */
  public enum Unnamed {
    /** Let it through (bound by the rule for everyone, if any). */
    ALLOW,
    /** Refuse it, naming the rule {@value AccessPolicy#UNNAMED_CALLERS}. */
    DENY
  }

  private final @Nullable AccessRule everyone;
  private final Map<String, AccessRule> orgs;
  private final Map<String, AccessRule> teams;
  private final Map<String, AccessRule> keys;
  private final Unnamed unnamed;

  private AccessPolicy(Builder b) {
    this.everyone = b.everyone;
    this.orgs = Map.copyOf(b.orgs);
    this.teams = Map.copyOf(b.teams);
    this.keys = Map.copyOf(b.keys);
    this.unnamed = b.unnamed;
  }

  /** A builder: no rules, unnamed callers denied. */
  public static Builder builder() {
    return new Builder();
  }

  /** The rule every caller must pass, or null. */
  public @Nullable AccessRule everyone() {
    return everyone;
  }

  /** Rules by org id. */
  public Map<String, AccessRule> orgs() {
    return orgs;
  }

  /** Rules by team id. */
  public Map<String, AccessRule> teams() {
    return teams;
  }

  /** Rules by key id (the id of the key or token, never the secret). */
  public Map<String, AccessRule> keys() {
    return keys;
  }

  /** What happens to a caller no org, team or key rule names. */
  public Unnamed unnamedCallers() {
    return unnamed;
  }

  @Override
  public String toString() {
    return "AccessPolicy[everyone=" + (everyone == null ? "none" : everyone.name()) + ", orgs="
        + orgs.size() + ", teams=" + teams.size() + ", keys=" + keys.size() + ", unnamedCallers="
        + unnamed + "]";
  }

  /** Builds an {@link AccessPolicy}. Not thread-safe. */
  public static final class Builder {
    private @Nullable AccessRule everyone;
    private final Map<String, AccessRule> orgs = new LinkedHashMap<>();
    private final Map<String, AccessRule> teams = new LinkedHashMap<>();
    private final Map<String, AccessRule> keys = new LinkedHashMap<>();
    private Unnamed unnamed = Unnamed.DENY;

    private Builder() {}

    /**
     * The rule every caller must pass, named by a rule of its own or not: the gateway-wide deny
     * list, say.
     */
    public Builder everyone(AccessRule rule) {
      this.everyone = Objects.requireNonNull(rule, "rule");
      return this;
    }

    /**
     * The rule of the callers whose principal has this org id.
     *
     * @throws IllegalArgumentException if the id is blank, too long or holds a control character
     * @throws IllegalStateException if the org has a rule already
     */
    public Builder org(String orgId, AccessRule rule) {
      return put(orgs, "org", orgId, rule);
    }

    /**
     * The rule of the callers whose principal has this team id (team ids are taken as they
     * come, across orgs).
     *
     * @throws IllegalArgumentException if the id is blank, too long or holds a control character
     * @throws IllegalStateException if the team has a rule already
     */
    public Builder team(String teamId, AccessRule rule) {
      return put(teams, "team", teamId, rule);
    }

    /**
     * The rule of the callers whose principal has this key id (the id an authenticator gives a
     * key or token, never its secret).
     *
     * @throws IllegalArgumentException if the id is blank, too long or holds a control character
     * @throws IllegalStateException if the key has a rule already
     */
    public Builder key(String keyId, AccessRule rule) {
      return put(keys, "key", keyId, rule);
    }

    /** What happens to a caller no org, team or key rule names; {@link Unnamed#DENY} unless set. */
    public Builder unnamedCallers(Unnamed unnamed) {
      this.unnamed = Objects.requireNonNull(unnamed, "unnamed");
      return this;
    }

    private Builder put(Map<String, AccessRule> map, String kind, String id, AccessRule rule) {
      AccessRule.checkText(kind + " id", id);
      Objects.requireNonNull(rule, "rule");
      AccessRule before = map.putIfAbsent(id, rule);
      if (before != null) {
        throw new IllegalStateException(kind + " '" + id + "' has a rule already ('"
            + before.name() + "'); give it one rule, with every pattern it needs");
      }
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalStateException if two different rules have the same name (refusals and
     *     audit events name rules, so each name must say which one); one rule may serve several
     *     callers
     */
    public AccessPolicy build() {
      Map<String, AccessRule> byName = new LinkedHashMap<>();
      Map<AccessRule, Boolean> seen = new IdentityHashMap<>();
      if (everyone != null) {
        check(byName, seen, everyone);
      }
      for (Map<String, AccessRule> map : List.of(orgs, teams, keys)) {
        for (AccessRule rule : map.values()) {
          check(byName, seen, rule);
        }
      }
      return new AccessPolicy(this);
    }

    private static void check(Map<String, AccessRule> byName, Map<AccessRule, Boolean> seen,
        AccessRule rule) {
      if (seen.put(rule, Boolean.TRUE) != null) {
        return;
      }
      AccessRule other = byName.putIfAbsent(rule.name(), rule);
      if (other != null && other != rule) {
        throw new IllegalStateException("two access rules are named '" + rule.name() + "' ("
            + other + " and " + rule + "): refusals name rules, so give each its own name");
      }
    }
  }
}
