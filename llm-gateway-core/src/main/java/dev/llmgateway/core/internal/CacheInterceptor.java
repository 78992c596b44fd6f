package dev.llmgateway.core.internal;

import dev.llmgateway.CallResult;
import dev.llmgateway.core.ResponseCache;
import dev.llmgateway.spi.Interceptor;

/** Step 5: the response cache. (Placeholder: passes every call on.) */
final class CacheInterceptor implements Interceptor {
  private final ResponseCache settings;
  private final Routing routing;

  CacheInterceptor(ResponseCache settings, Routing routing) {
    this.settings = settings;
    this.routing = routing;
  }

  @Override
  public CallResult intercept(Chain chain) {
    return chain.proceed(chain.request());
  }

  @Override
  public String toString() {
    return "CacheInterceptor[" + settings + ", " + routing + "]";
  }
}
