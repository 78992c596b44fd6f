package dev.llmgateway.core.internal.route;

import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.core.internal.call.AccessFilter;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Plan;
import dev.llmgateway.core.internal.route.RouteTree.Leaf;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.RequestNeeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The plan step's per-call work: the selected candidates in their router's order (a user's own
 * router is checked to answer with its candidates only), minus those that cannot serve the request
 * as their capabilities say (by the one capability rule, {@link
 * dev.llmgateway.spi.RequestNeeds}) and those the call's access rules deny (its {@link
 * AccessFilter}: asked once per deployment, first, so a denied candidate's reason names the rule;
 * the route's content-filter fallback is asked too), with the decision trail. Filtering here, on
 * the candidates the walk reached — a downgraded route's included — is what keeps every later
 * failover, hedge and fallback off a denied deployment: the execute step only ever sees the plan.
 *
 * <p>Thread-safe: holds only the walk and the providers, both read-only here.
 */
public final class RoutePlanner {
  private final RouteWalk walk;
  private final Map<String, Provider> providers;

  /** The plan step over the gateway's walk. */
  public RoutePlanner(RouteWalk walk) {
    this.walk = walk;
    this.providers = walk.providers();
  }

  /**
   * Decides the call's plan: the strategy's order of the selected candidates, minus those that
   * cannot serve the request; sets it as the call's {@link Plan}.
   *
   * @throws UnsupportedCapabilityException if no candidate can serve the request
   * @throws dev.llmgateway.AccessDeniedException if none is left and access rules took some out
   * @throws GatewayInternalException if a user's router answers nothing or a foreign deployment
   */
  public Plan plan(Call call, GatewayRequest request) {
    Selection selection = walk.select(call, request);
    RoutingCall in = selection.input;
    Leaf leaf = selection.leaf;
    List<Deployment> ordered;
    if (leaf == null) {
      ordered = selection.direct;
    } else {
      in.candidates(leaf.candidates);
      ordered = leaf.router.order(in);
      if (leaf.custom) {
        ordered = checked(leaf, ordered);
      }
    }
    AccessFilter access = call.tag(AccessFilter.class);
    List<RoutingDecision.Skip> skipped = List.of();
    List<Deployment> plan = ordered;
    boolean denied = false;
    boolean capabilities = leaf != null || ordered.size() > 1;
    if (capabilities || access != null) {
      for (int i = 0; i < ordered.size(); i++) {
        Deployment d = ordered.get(i);
        String unfit = access == null ? null : access.deny(call, d);
        if (unfit != null) {
          denied = true;
        } else if (capabilities) {
          unfit = providers.containsKey(d.provider())
              ? unfit(walk.known(d).capabilities, in)
              : "no provider is named '" + d.provider() + "'";
        }
        if (unfit != null) {
          if (skipped.isEmpty()) {
            skipped = new ArrayList<>(2);
            plan = new ArrayList<>(ordered.subList(0, i));
          }
          skipped.add(new RoutingDecision.Skip(d, unfit));
        } else if (!skipped.isEmpty()) {
          plan.add(d);
        }
      }
    }
    if (plan.isEmpty()) {
      if (denied) {
        throw access.refuse(call, request.model(), skipped);
      }
      throw new UnsupportedCapabilityException("no candidate of '" + request.model()
          + "' can serve this request: " + skipped + " (as each Provider.capabilities(model)"
          + " says)");
    }
    Deployment fallback = leaf == null ? null : leaf.settings.contentFilterFallback();
    if (fallback != null && access != null) {
      if (skippedHas(skipped, fallback)) {
        fallback = null; // denied as a candidate already: not asked (nor audited) twice
      } else if (!plan.contains(fallback)) {
        String why = access.deny(call, fallback);
        if (why != null) {
          if (skipped.isEmpty()) {
            skipped = new ArrayList<>(1);
          }
          skipped.add(new RoutingDecision.Skip(fallback, why + ", as content-filter fallback"));
          fallback = null;
        }
      }
    }
    Plan result = new Plan(plan, leaf == null ? null : leaf.settings,
        new RoutingDecision(selection.decisionPath(), selection.variant, plan, skipped,
            selection.downgraded), fallback);
    call.tag(Plan.class, result);
    return result;
  }

  private static boolean skippedHas(List<RoutingDecision.Skip> skipped, Deployment d) {
    for (RoutingDecision.Skip skip : skipped) {
      if (skip.deployment().equals(d)) {
        return skip.reason().startsWith("denied by access rule");
      }
    }
    return false;
  }

  private static List<Deployment> checked(Leaf leaf, @Nullable List<Deployment> ordered) {
    if (ordered == null || ordered.isEmpty()) {
      throw new GatewayInternalException("router '" + leaf.router.describe()
          + "' returned no candidate");
    }
    Set<Deployment> allowed = new HashSet<>(leaf.candidates);
    for (Deployment d : ordered) {
      if (!allowed.contains(d)) {
        throw new GatewayInternalException("router '" + leaf.router.describe() + "' returned "
            + d + ", which is not one of its candidates " + leaf.candidates);
      }
    }
    return ordered;
  }

  /**
   * The capability rule: why a deployment with these capabilities cannot serve the request, or
   * null when it can (as far as its capabilities say).
   */
  static @Nullable String unfit(ModelCapabilities caps, RoutingCall in) {
    RequestNeeds needs = in.needs();
    String unmet = needs.unmetBy(caps);
    return unmet != null ? unmet : needs.tooLongFor(caps);
  }
}
