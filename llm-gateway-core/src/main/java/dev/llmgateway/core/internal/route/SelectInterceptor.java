package dev.llmgateway.core.internal.route;

import dev.llmgateway.CallResult;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Selected;
import dev.llmgateway.core.internal.call.Step;

/**
 * The select step, before the cache: walks from the requested model through aliases, rules, A/B
 * splits and a budget downgrade to one candidate list, and leaves the walk as the call's {@link
 * Selected} value (the cache keys its entries by it). See {@link RouteWalk}.
 */
public final class SelectInterceptor implements Step {
  private final RouteWalk walk;

  /** The select step over the gateway's route walk. */
  public SelectInterceptor(RouteWalk walk) {
    this.walk = walk;
  }

  @Override
  public CallResult intercept(Chain chain) {
    walk.select((Call) chain.call(), chain.request());
    return chain.proceed(chain.request());
  }
}
