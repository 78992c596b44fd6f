package dev.llmgateway.core.internal.access;

import dev.llmgateway.Deployment;
import dev.llmgateway.core.access.AccessRule;
import dev.llmgateway.core.internal.call.Audit;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AccessRule} compiled at build: its lists as {@link Patterns}, its features as flags,
 * and the {@link Filter} of a call that only this rule filters (made once, so such a call
 * allocates none). Immutable and thread-safe.
 */
final class CompiledRule {
  final String name;
  final Patterns allowAliases;
  final Patterns denyAliases;
  final Patterns allowModels;
  final Patterns denyModels;
  final Patterns allowProviders;
  final Patterns denyProviders;
  final Patterns allowDeployments;
  final Patterns denyDeployments;
  /** The most output tokens a request may ask for; 0: no limit. */
  final int maxOutputTokens;
  final boolean tools;
  final boolean images;
  final boolean documents;
  /** Whether any feature is withheld (only then is the request scanned for them). */
  final boolean withholdsFeatures;
  /** Whether the rule takes deployments out of plans (models, providers, deployments). */
  final boolean filtersDeployments;
  /** The filter of a call that only this rule filters, or null when it filters nothing. */
  final @Nullable Filter alone;
  /**
   * The filter of a call that this rule and the rule for everyone filter (both filtering), or
   * null; made at build, as {@link #alone}.
   */
  @Nullable Filter withEveryone;

  CompiledRule(AccessRule rule, Audit audit) {
    this.name = rule.name();
    this.allowAliases = Patterns.of(rule.allowedAliases());
    this.denyAliases = Patterns.of(rule.deniedAliases());
    this.allowModels = Patterns.of(rule.allowedModels());
    this.denyModels = Patterns.of(rule.deniedModels());
    this.allowProviders = Patterns.of(rule.allowedProviders());
    this.denyProviders = Patterns.of(rule.deniedProviders());
    this.allowDeployments = Patterns.of(rule.allowedDeployments());
    this.denyDeployments = Patterns.of(rule.deniedDeployments());
    Integer max = rule.maxOutputTokens();
    this.maxOutputTokens = max == null ? 0 : max;
    this.tools = rule.features().contains(AccessRule.Feature.TOOLS);
    this.images = rule.features().contains(AccessRule.Feature.IMAGES);
    this.documents = rule.features().contains(AccessRule.Feature.DOCUMENTS);
    this.withholdsFeatures = !(tools && images && documents);
    this.filtersDeployments = !(allowModels.isEmpty() && denyModels.isEmpty()
        && allowProviders.isEmpty() && denyProviders.isEmpty() && allowDeployments.isEmpty()
        && denyDeployments.isEmpty());
    this.alone = filtersDeployments ? new Filter(new CompiledRule[] {this}, audit) : null;
  }

  /** Why this rule's deny lists take the deployment out, or null. */
  @Nullable String denied(Deployment d) {
    String p = denyProviders.match(d.provider());
    if (p != null) {
      return "provider '" + d.provider() + "' matches its deny pattern '" + p + "'";
    }
    p = denyModels.match(d.model());
    if (p != null) {
      return "model '" + d.model() + "' matches its deny pattern '" + p + "'";
    }
    p = denyDeployments.match(d.provider(), d.model());
    if (p != null) {
      return "deployment '" + d + "' matches its deny pattern '" + p + "'";
    }
    return null;
  }

  /** Why this rule's allow lists leave the deployment out, or null. */
  @Nullable String notAllowed(Deployment d) {
    if (!allowProviders.isEmpty() && allowProviders.match(d.provider()) == null) {
      return "provider '" + d.provider() + "' is not on its allow list " + allowProviders;
    }
    if (!allowModels.isEmpty() && allowModels.match(d.model()) == null) {
      return "model '" + d.model() + "' is not on its allow list " + allowModels;
    }
    if (!allowDeployments.isEmpty()
        && allowDeployments.match(d.provider(), d.model()) == null) {
      return "deployment '" + d + "' is not on its allow list " + allowDeployments;
    }
    return null;
  }

  @Override
  public String toString() {
    return "CompiledRule[" + name + "]";
  }
}
