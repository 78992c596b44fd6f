package dev.llmgateway.core.internal.call;

import dev.llmgateway.Attempt;
import dev.llmgateway.Deployment;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.GatewayListener;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * All configured listeners as one, each guarded so that none can break a call, each shown the
 * call with its caller's credential redacted ({@link Call#forListeners()}).
 */
public final class SafeListener implements GatewayListener {
  private final GatewayListener[] listeners;
  private final Guard[] guards;

  private SafeListener(List<GatewayListener> listeners) {
    this.listeners = listeners.toArray(new GatewayListener[0]);
    this.guards = new Guard[this.listeners.length];
    for (int i = 0; i < guards.length; i++) {
      guards[i] = new Guard("listener", this.listeners[i]);
    }
  }

  public static GatewayListener of(List<GatewayListener> listeners) {
    return listeners.isEmpty() ? GatewayListener.NONE : new SafeListener(listeners);
  }

  @Override
  public void onCallStart(CallContext call) {
    CallContext view = view(call);
    each("onCallStart", l -> l.onCallStart(view));
  }

  @Override
  public void onRouted(CallContext call, List<Deployment> candidates) {
    CallContext view = view(call);
    each("onRouted", l -> l.onRouted(view, candidates));
  }

  @Override
  public void onAttemptStart(CallContext call, AttemptContext attempt) {
    CallContext view = view(call);
    each("onAttemptStart", l -> l.onAttemptStart(view, attempt));
  }

  @Override
  public void onAttemptEnd(CallContext call, Attempt attempt) {
    CallContext view = view(call);
    each("onAttemptEnd", l -> l.onAttemptEnd(view, attempt));
  }

  @Override
  public void onFirstToken(CallContext call, Duration timeToFirstToken) {
    CallContext view = view(call);
    each("onFirstToken", l -> l.onFirstToken(view, timeToFirstToken));
  }

  @Override
  public void onCallEnd(CallContext call, UsageRecord record) {
    CallContext view = view(call);
    each("onCallEnd", l -> l.onCallEnd(view, record));
  }

  /** What listeners see of a call: the gateway's calls with their credential redacted. */
  private static CallContext view(CallContext call) {
    return call instanceof Call c ? c.forListeners() : call;
  }

  private void each(String method, Consumer<GatewayListener> event) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        event.accept(listeners[i]);
      } catch (Throwable t) {
        guards[i].failed(method, t);
      }
    }
  }
}
