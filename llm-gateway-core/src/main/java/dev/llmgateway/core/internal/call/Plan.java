package dev.llmgateway.core.internal.call;

import dev.llmgateway.Deployment;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.core.route.Route;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the plan step hands the execute step (the call's {@link Call#tag(Class) slot} of this
 * type): the candidates in the order to try them, the settings of the route they came from, and
 * the decision trail the answer will carry.
 *
 * @param candidates the deployments to try, in order; never empty
 * @param settings the route whose retry, hedge and content-filter settings apply, or null for a
 *     call to a deployment or a bare model
 * @param decision why the call goes where it goes
 * @param contentFilterFallback where a content-filtered answer fails over to (the route's
 *     setting, unless the call's access rules deny it), or null
 */
public record Plan(List<Deployment> candidates, @Nullable Route settings,
    RoutingDecision decision, @Nullable Deployment contentFilterFallback) {

  /** A plan whose content-filter fallback is the route's own. */
  public Plan(List<Deployment> candidates, @Nullable Route settings, RoutingDecision decision) {
    this(candidates, settings, decision,
        settings == null ? null : settings.contentFilterFallback());
  }
}
