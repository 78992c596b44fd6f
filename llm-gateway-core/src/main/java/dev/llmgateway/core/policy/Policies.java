package dev.llmgateway.core.policy;

import dev.llmgateway.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which {@link PolicySet} a call runs under: the set of the model (alias) it asks for, else the
 * set of its caller's team, else the default set. The most specific set applies whole (sets are
 * not merged): a team that needs the defaults plus one more policy builds it from {@code
 * defaults.toBuilder()}.
 *
 * <pre>{@code
 * PolicySet standard = PolicySet.builder().pii(PiiPolicy.defaults())
 *     .injection(InjectionPolicy.defaults()).build();
 * Policies policies = Policies.builder()
 *     .defaults(standard)
 *     .team("research", standard.toBuilder().name("research").monitorOnly().build())
 *     .alias("support-bot", standard.toBuilder().name("support")
 *         .structuredOutput(StructuredOutputCheck.RETRY_ONCE).build())
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Policies {
  private final PolicySet defaults;
  private final Map<String, PolicySet> teams;
  private final Map<String, PolicySet> aliases;

  private Policies(Builder b) {
    this.defaults = b.defaults;
    this.teams = Map.copyOf(b.teams);
    this.aliases = Map.copyOf(b.aliases);
  }

  /** A new builder: no sets. */
  public static Builder builder() {
    return new Builder();
  }

  /** The same set for every call. */
  public static Policies of(PolicySet set) {
    return builder().defaults(set).build();
  }

  /**
   * The set a call to {@code model} by {@code principal} runs under ({@link PolicySet#NONE} when
   * none applies).
   */
  public PolicySet resolve(@Nullable Principal principal, String model) {
    PolicySet set = aliases.get(model);
    if (set != null) {
      return set;
    }
    if (principal != null && principal.teamId() != null) {
      set = teams.get(principal.teamId());
      if (set != null) {
        return set;
      }
    }
    return defaults;
  }

  /** The default set. */
  public PolicySet defaults() {
    return defaults;
  }

  /** The sets per team id. */
  public Map<String, PolicySet> teams() {
    return teams;
  }

  /** The sets per alias or model name. */
  public Map<String, PolicySet> aliases() {
    return aliases;
  }

  @Override
  public String toString() {
    return "Policies[defaults=" + defaults.name() + ", teams=" + teams.keySet() + ", aliases="
        + aliases.keySet() + "]";
  }

  /** Builds {@link Policies}. Not thread-safe. */
  public static final class Builder {
    private PolicySet defaults = PolicySet.NONE;
    private final Map<String, PolicySet> teams = new HashMap<>();
    private final Map<String, PolicySet> aliases = new HashMap<>();

    private Builder() {}

    /** The set of calls no alias or team set covers (default none). */
    public Builder defaults(PolicySet set) {
      this.defaults = Objects.requireNonNull(set, "set");
      return this;
    }

    /** The set of a team's calls. */
    public Builder team(String teamId, PolicySet set) {
      teams.put(Objects.requireNonNull(teamId, "teamId"), Objects.requireNonNull(set, "set"));
      return this;
    }

    /** The set of calls to an alias (or a model named directly). */
    public Builder alias(String alias, PolicySet set) {
      aliases.put(Objects.requireNonNull(alias, "alias"), Objects.requireNonNull(set, "set"));
      return this;
    }

    /** The policies. */
    public Policies build() {
      return new Policies(this);
    }
  }
}
