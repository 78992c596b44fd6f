package dev.llmgateway.core.internal;

import dev.llmgateway.CallResult;
import dev.llmgateway.Deployment;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.core.Route;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.Interceptor;
import dev.llmgateway.spi.Provider;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Step 6: turns the requested model into an ordered plan of candidate deployments: an alias's
 * route, a {@code provider/model} deployment, or a bare model at the default provider.
 */
final class RouteInterceptor implements Interceptor {
  private final Map<String, Route> routes;
  private final Map<String, Provider> providers;
  private final @Nullable String defaultProvider;
  private final GatewayListener listener;

  RouteInterceptor(Map<String, Route> aliases, Map<String, Provider> providers,
      @Nullable String defaultProvider, GatewayListener listener) {
    this.routes = aliases;
    this.providers = providers;
    this.defaultProvider = defaultProvider;
    this.listener = listener;
  }

  @Override
  public CallResult intercept(Chain chain) {
    CallState call = (CallState) chain.call();
    String model = chain.request().model();
    Route route = routes.get(model);
    List<Deployment> plan = route != null ? route.candidates() : resolve(model);
    call.plan(plan);
    call.route(route);
    listener.onRouted(call, plan);
    return chain.proceed(chain.request());
  }

  /** The plan of a model that is not an alias: a deployment, or a bare model. */
  private List<Deployment> resolve(String model) {
    int slash = model.indexOf('/');
    if (slash > 0 && providers.containsKey(model.substring(0, slash))) {
      return List.of(Deployment.parse(model));
    }
    if (defaultProvider != null) {
      return List.of(new Deployment(defaultProvider, model));
    }
    throw new InvalidRequestException("model '" + model + "' is not an alias " + routes.keySet()
        + " nor provider/model for a provider " + providers.keySet()
        + ", and no default provider is set");
  }
}
