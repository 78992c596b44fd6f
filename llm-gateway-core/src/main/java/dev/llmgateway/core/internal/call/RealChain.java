package dev.llmgateway.core.internal.call;

import dev.llmgateway.CallKind;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.Interceptor;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** One position in an interceptor array assembled at build time; cheap to create per step. */
public final class RealChain implements Interceptor.Chain {
  private final Interceptor[] interceptors;
  private final int index;
  private final Call call;
  private final GatewayRequest request;
  private final @Nullable AttemptContext attempt;

  public RealChain(Interceptor[] interceptors, int index, Call call, GatewayRequest request,
      @Nullable AttemptContext attempt) {
    this.interceptors = interceptors;
    this.index = index;
    this.call = call;
    this.request = request;
    this.attempt = attempt;
  }

  @Override
  public CallContext call() {
    return call;
  }

  @Override
  public GatewayRequest request() {
    return request;
  }

  @Override
  public @Nullable AttemptContext attempt() {
    return attempt;
  }

  @Override
  public CallResult proceed(GatewayRequest next) {
    Objects.requireNonNull(next, "request");
    if ((call.kind() == CallKind.EMBED) != (next instanceof EmbeddingRequest)) {
      throw new IllegalStateException("an interceptor passed a "
          + next.getClass().getSimpleName() + " down a " + call.kind() + " call");
    }
    if (index >= interceptors.length) {
      throw new IllegalStateException("the last step of the chain called proceed");
    }
    Interceptor interceptor = interceptors[index];
    CallResult result = interceptor.intercept(
        new RealChain(interceptors, index + 1, call, next, attempt));
    if (result == null) {
      throw new IllegalStateException(
          "interceptor " + interceptor.getClass().getName() + " returned null");
    }
    return result;
  }

  public static ChatRequest chat(Interceptor.Chain chain) {
    return (ChatRequest) chain.request();
  }
}
