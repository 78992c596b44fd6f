package dev.llmgateway.core.access;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one named caller (an org, a team, a key — see {@link AccessPolicy}) may call: allow and
 * deny lists of glob patterns over aliases, models, providers and deployments, the most output
 * tokens one request may ask for, and the request features it may use.
 *
 * <pre>{@code
 * AccessRule support = AccessRule.builder("team-support")
 *     .allowAliases("cheap", "fast*")
 *     .denyProviders("anthropic")
 *     .maxOutputTokens(2_000)
 *     .features(AccessRule.Feature.TOOLS)
 *     .build();
 * }</pre>
 *
 * <p>What each list is matched against:
 *
 * <ul>
 *   <li><b>aliases</b>: the model a request names, when it is one of the gateway's aliases. A
 *       refusal happens at the access step, before routing.
 *   <li><b>models</b>: the model part of a deployment ({@code gpt-4.1} of {@code openai/gpt-4.1}).
 *       A request that names a model or a deployment directly is refused at the access step; the
 *       candidates an alias reaches are taken out of its routing plan.
 *   <li><b>providers</b>: a deployment's provider name ({@code openai}). Filters the plan.
 *   <li><b>deployments</b>: {@code provider/model}. Filters the plan.
 * </ul>
 *
 * <p>Patterns are globs: {@code *} stands for any run of characters ({@code /} included), every
 * other character for itself, case-sensitive ({@code openai/*}, {@code gpt-4.1*}, {@code *}). They
 * are compiled once when the gateway is built. On a list, deny wins over allow; an empty allow
 * list allows everything (to allow nothing, deny {@code *}). A taken-out deployment appears in
 * the decision trail as skipped, {@code denied by access rule '<name>'}, and neither failover, a
 * hedge, a content-filter fallback nor a budget downgrade reaches it.
 *
 * <p>Immutable and thread-safe; the builder is not.
 */
public final class AccessRule {
  /** The longest rule name and pattern, in characters. */
  public static final int MAX_TEXT_LENGTH = 256;
  /** The most patterns one list of a rule may hold. */
  public static final int MAX_PATTERNS = 1_000;

  /** A feature of a request that a rule may withhold. */
  public enum Feature {
    /** Offering the model tools to call. */
    TOOLS,
    /** Image input. */
    IMAGES,
    /** Document input (PDF and the like). */
    DOCUMENTS
  }

  private final String name;
  private final List<String> allowedAliases;
  private final List<String> deniedAliases;
  private final List<String> allowedModels;
  private final List<String> deniedModels;
  private final List<String> allowedProviders;
  private final List<String> deniedProviders;
  private final List<String> allowedDeployments;
  private final List<String> deniedDeployments;
  private final @Nullable Integer maxOutputTokens;
  private final Set<Feature> features;

  private AccessRule(Builder b) {
    this.name = b.name;
    this.allowedAliases = List.copyOf(b.allowedAliases);
    this.deniedAliases = List.copyOf(b.deniedAliases);
    this.allowedModels = List.copyOf(b.allowedModels);
    this.deniedModels = List.copyOf(b.deniedModels);
    this.allowedProviders = List.copyOf(b.allowedProviders);
    this.deniedProviders = List.copyOf(b.deniedProviders);
    this.allowedDeployments = List.copyOf(b.allowedDeployments);
    this.deniedDeployments = List.copyOf(b.deniedDeployments);
    this.maxOutputTokens = b.maxOutputTokens;
    this.features = Collections.unmodifiableSet(EnumSet.copyOf(b.features));
  }

  /**
   * A builder for a rule of this name, which refusals, skipped candidates and audit events quote.
   *
   * @throws IllegalArgumentException if the name is blank, longer than {@value #MAX_TEXT_LENGTH}
   *     characters or holds a control character
   */
  public static Builder builder(String name) {
    return new Builder(checkText("rule name", name));
  }

  /** The rule's name. */
  public String name() {
    return name;
  }

  /** Alias patterns the rule allows (empty: every alias not denied). */
  public List<String> allowedAliases() {
    return allowedAliases;
  }

  /** Alias patterns the rule denies. */
  public List<String> deniedAliases() {
    return deniedAliases;
  }

  /** Model patterns the rule allows (empty: every model not denied). */
  public List<String> allowedModels() {
    return allowedModels;
  }

  /** Model patterns the rule denies. */
  public List<String> deniedModels() {
    return deniedModels;
  }

  /** Provider patterns the rule allows (empty: every provider not denied). */
  public List<String> allowedProviders() {
    return allowedProviders;
  }

  /** Provider patterns the rule denies. */
  public List<String> deniedProviders() {
    return deniedProviders;
  }

  /** Deployment patterns ({@code provider/model}) the rule allows (empty: all not denied). */
  public List<String> allowedDeployments() {
    return allowedDeployments;
  }

  /** Deployment patterns ({@code provider/model}) the rule denies. */
  public List<String> deniedDeployments() {
    return deniedDeployments;
  }

  /** The most output tokens one request may ask for, or null for no limit. */
  public @Nullable Integer maxOutputTokens() {
    return maxOutputTokens;
  }

  /** The features a request may use (all of them unless the builder said otherwise). */
  public Set<Feature> features() {
    return features;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("AccessRule[").append(name);
    list(s, "allowAliases", allowedAliases);
    list(s, "denyAliases", deniedAliases);
    list(s, "allowModels", allowedModels);
    list(s, "denyModels", deniedModels);
    list(s, "allowProviders", allowedProviders);
    list(s, "denyProviders", deniedProviders);
    list(s, "allowDeployments", allowedDeployments);
    list(s, "denyDeployments", deniedDeployments);
    if (maxOutputTokens != null) {
      s.append(", maxOutputTokens=").append(maxOutputTokens);
    }
    if (features.size() < Feature.values().length) {
      s.append(", features=").append(features);
    }
    return s.append(']').toString();
  }

  private static void list(StringBuilder s, String label, List<String> patterns) {
    if (!patterns.isEmpty()) {
      s.append(", ").append(label).append('=').append(patterns);
    }
  }

  static String checkText(String what, @Nullable String text) {
    Objects.requireNonNull(text, what);
    if (text.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    if (text.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(what + " has " + text.length()
          + " characters; the limit is " + MAX_TEXT_LENGTH);
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw new IllegalArgumentException(String.format(
            "%s holds a control character (U+%04X at index %d)", what, (int) text.charAt(i), i));
      }
    }
    return text;
  }

  /** Builds an {@link AccessRule}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final List<String> allowedAliases = new ArrayList<>();
    private final List<String> deniedAliases = new ArrayList<>();
    private final List<String> allowedModels = new ArrayList<>();
    private final List<String> deniedModels = new ArrayList<>();
    private final List<String> allowedProviders = new ArrayList<>();
    private final List<String> deniedProviders = new ArrayList<>();
    private final List<String> allowedDeployments = new ArrayList<>();
    private final List<String> deniedDeployments = new ArrayList<>();
    private @Nullable Integer maxOutputTokens;
    private Set<Feature> features = EnumSet.allOf(Feature.class);

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Allows the aliases these patterns match (and only those, once any is given).
     *
     * @throws IllegalArgumentException for a blank pattern, one over {@value #MAX_TEXT_LENGTH}
     *     characters or with a control character, or past {@value #MAX_PATTERNS} on the list
     */
    public Builder allowAliases(String... patterns) {
      return add(allowedAliases, "alias pattern", patterns, false);
    }

    /**
     * Denies the aliases these patterns match; deny wins over allow.
     *
     * @throws IllegalArgumentException as {@link #allowAliases(String...)}
     */
    public Builder denyAliases(String... patterns) {
      return add(deniedAliases, "alias pattern", patterns, false);
    }

    /**
     * Allows the models these patterns match (and only those, once any is given).
     *
     * @throws IllegalArgumentException as {@link #allowAliases(String...)}
     */
    public Builder allowModels(String... patterns) {
      return add(allowedModels, "model pattern", patterns, false);
    }

    /**
     * Denies the models these patterns match; deny wins over allow.
     *
     * @throws IllegalArgumentException as {@link #allowAliases(String...)}
     */
    public Builder denyModels(String... patterns) {
      return add(deniedModels, "model pattern", patterns, false);
    }

    /**
     * Allows the providers these patterns match (and only those, once any is given).
     *
     * @throws IllegalArgumentException as {@link #allowAliases(String...)}, or for a pattern
     *     with a {@code /} (a provider name has none; use {@link #allowDeployments})
     */
    public Builder allowProviders(String... patterns) {
      return addProviders(allowedProviders, patterns);
    }

    /**
     * Denies the providers these patterns match; deny wins over allow.
     *
     * @throws IllegalArgumentException as {@link #allowProviders(String...)}
     */
    public Builder denyProviders(String... patterns) {
      return addProviders(deniedProviders, patterns);
    }

    /**
     * Allows the deployments these {@code provider/model} patterns match (and only those, once
     * any is given).
     *
     * @throws IllegalArgumentException as {@link #allowAliases(String...)}, or for a pattern that
     *     is neither {@code *} nor holds a {@code /}
     */
    public Builder allowDeployments(String... patterns) {
      return add(allowedDeployments, "deployment pattern", patterns, true);
    }

    /**
     * Denies the deployments these {@code provider/model} patterns match; deny wins over allow.
     *
     * @throws IllegalArgumentException as {@link #allowDeployments(String...)}
     */
    public Builder denyDeployments(String... patterns) {
      return add(deniedDeployments, "deployment pattern", patterns, true);
    }

    /**
     * The most output tokens one request may ask for: a request asking for more is refused; one
     * that asks for no limit is sent with this one.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxOutputTokens(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxOutputTokens must be positive, was " + max);
      }
      this.maxOutputTokens = max;
      return this;
    }

    /** The request features allowed (replacing the default, all of them); none: plain text. */
    public Builder features(Feature... allowed) {
      EnumSet<Feature> set = EnumSet.noneOf(Feature.class);
      for (Feature f : allowed) {
        set.add(Objects.requireNonNull(f, "feature"));
      }
      this.features = set;
      return this;
    }

    private Builder addProviders(List<String> list, String... patterns) {
      for (String p : patterns) {
        if (p != null && p.indexOf('/') >= 0) {
          throw new IllegalArgumentException("provider pattern '" + p + "' holds a '/': a"
              + " provider name has none; match provider/model with allowDeployments or"
              + " denyDeployments");
        }
      }
      return add(list, "provider pattern", patterns, false);
    }

    private Builder add(List<String> list, String what, String[] patterns,
        boolean deployment) {
      for (String p : patterns) {
        checkText(what, p);
        if (deployment && !p.equals("*") && p.indexOf('/') < 0) {
          throw new IllegalArgumentException(what + " '" + p + "' has no '/': a deployment is"
              + " provider/model (e.g. openai/*); match models alone with allowModels or"
              + " denyModels");
        }
        if (list.size() >= MAX_PATTERNS) {
          throw new IllegalArgumentException("rule '" + name + "' has more than " + MAX_PATTERNS
              + " " + what + "s on one list");
        }
        list.add(p);
      }
      return this;
    }

    /** Builds the rule. */
    public AccessRule build() {
      return new AccessRule(this);
    }
  }
}
