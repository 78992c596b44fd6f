package dev.llmgateway.core.internal.route;

import dev.llmgateway.CallResult;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Plan;
import dev.llmgateway.core.internal.call.Step;
import dev.llmgateway.spi.GatewayListener;

/**
 * The plan step, after the cache: orders the selected candidates by their route's strategy and
 * drops those that cannot serve the request, leaving the call's {@link Plan} for the execute step.
 * See {@link RoutePlanner}.
 */
public final class PlanInterceptor implements Step {
  private final RoutePlanner planner;
  private final GatewayListener listener;

  /** The plan step over the gateway's planner. */
  public PlanInterceptor(RoutePlanner planner, GatewayListener listener) {
    this.planner = planner;
    this.listener = listener;
  }

  @Override
  public CallResult intercept(Chain chain) {
    Call call = (Call) chain.call();
    Plan plan = planner.plan(call, chain.request());
    listener.onRouted(call, plan.candidates());
    return chain.proceed(chain.request());
  }
}
