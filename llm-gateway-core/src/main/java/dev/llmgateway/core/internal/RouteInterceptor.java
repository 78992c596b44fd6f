package dev.llmgateway.core.internal;

import dev.llmgateway.CallResult;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.Interceptor;

/**
 * Step 6: turns the requested model into an ordered plan of candidate deployments (an alias's
 * rules, split and strategy; a {@code provider/model} deployment; or a bare model at the default
 * provider), minus the candidates that cannot serve the request. See {@link Routing}.
 */
final class RouteInterceptor implements Interceptor {
  private final Routing routing;
  private final GatewayListener listener;

  RouteInterceptor(Routing routing, GatewayListener listener) {
    this.routing = routing;
    this.listener = listener;
  }

  @Override
  public CallResult intercept(Chain chain) {
    CallState call = (CallState) chain.call();
    routing.route(call, chain.request());
    listener.onRouted(call, call.plan());
    return chain.proceed(chain.request());
  }
}
