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

/**
 * One position in an interceptor array assembled at build time.
 *
 * <p>A chain held only by built-in {@link Step}s is advanced in place: when such a chain proceeds
 * to another {@code Step}, it moves its own position and request forward for the duration of that
 * step's {@code intercept} and puts them back when it returns or throws, so a call through the
 * built-in steps makes one chain object instead of one per step. An interceptor that is not a
 * {@code Step} (a user's) always gets a chain object of its own that is never changed, which it
 * may keep, read from any thread and proceed on as often as it likes; when it proceeds, the steps
 * after it get a new chain of their own. Not thread-safe when held by steps (they promise to use
 * it on one thread); immutable otherwise.
 */
public final class RealChain implements Interceptor.Chain {
  private final Interceptor[] interceptors;
  private final Call call;
  private final @Nullable AttemptContext attempt;
  /** Whether only built-in steps hold this chain, so that it may be advanced in place. */
  private final boolean steps;
  private int index;
  private GatewayRequest request;

  /** The head of a chain: {@link #proceed} runs {@code interceptors[index]} first. */
  public RealChain(Interceptor[] interceptors, int index, Call call, GatewayRequest request,
      @Nullable AttemptContext attempt) {
    this(interceptors, index, call, request, attempt, true);
  }

  private RealChain(Interceptor[] interceptors, int index, Call call, GatewayRequest request,
      @Nullable AttemptContext attempt, boolean steps) {
    this.interceptors = interceptors;
    this.index = index;
    this.call = call;
    this.request = request;
    this.attempt = attempt;
    this.steps = steps;
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
    boolean step = interceptor instanceof Step;
    CallResult result;
    if (steps && step) {
      int at = index;
      GatewayRequest mine = request;
      index = at + 1;
      request = next;
      try {
        result = interceptor.intercept(this);
      } finally {
        index = at;
        request = mine;
      }
    } else {
      result = interceptor.intercept(
          new RealChain(interceptors, index + 1, call, next, attempt, step));
    }
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
