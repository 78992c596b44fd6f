package dev.llmgateway.core.internal.route;

import dev.llmgateway.CallResult;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Selected;
import dev.llmgateway.spi.Interceptor;

/**
 * The select step, before the cache: walks from the requested model through aliases, rules, A/B
 * splits and a budget downgrade to one candidate list, and leaves the walk as the call's {@link
 * Selected} value (the cache keys its entries by it). See {@link Routing}.
 */
public final class SelectInterceptor implements Interceptor {
  private final Routing routing;

  /** The select step over the gateway's routing. */
  public SelectInterceptor(Routing routing) {
    this.routing = routing;
  }

  @Override
  public CallResult intercept(Chain chain) {
    routing.select((Call) chain.call(), chain.request());
    return chain.proceed(chain.request());
  }
}
