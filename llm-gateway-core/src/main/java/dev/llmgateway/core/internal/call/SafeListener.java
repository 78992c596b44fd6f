package dev.llmgateway.core.internal.call;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallResult;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.GatewayListener;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * All configured listeners as one, each guarded so that none can break a call, each shown the
 * call with its caller's credential redacted ({@link Call#forListeners()}). Each event is one loop
 * over the listeners, with nothing allocated per event.
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
    for (int i = 0; i < listeners.length; i++) {
      GatewayListener l = listeners[i];
      try {
        l.onCallStart(view);
      } catch (Throwable t) {
        guards[i].failed("onCallStart", t);
      }
    }
  }

  @Override
  public void onRouted(CallContext call, List<Deployment> candidates) {
    CallContext view = view(call);
    for (int i = 0; i < listeners.length; i++) {
      GatewayListener l = listeners[i];
      try {
        l.onRouted(view, candidates);
      } catch (Throwable t) {
        guards[i].failed("onRouted", t);
      }
    }
  }

  @Override
  public void onAttemptStart(CallContext call, AttemptContext attempt) {
    CallContext view = view(call);
    for (int i = 0; i < listeners.length; i++) {
      GatewayListener l = listeners[i];
      try {
        l.onAttemptStart(view, attempt);
      } catch (Throwable t) {
        guards[i].failed("onAttemptStart", t);
      }
    }
  }

  @Override
  public void onAttemptEnd(CallContext call, Attempt attempt) {
    CallContext view = view(call);
    for (int i = 0; i < listeners.length; i++) {
      GatewayListener l = listeners[i];
      try {
        l.onAttemptEnd(view, attempt);
      } catch (Throwable t) {
        guards[i].failed("onAttemptEnd", t);
      }
    }
  }

  @Override
  public void onAttemptStart(CallContext call, AttemptContext attempt, GatewayRequest request) {
    CallContext view = view(call);
    for (int i = 0; i < listeners.length; i++) {
      GatewayListener l = listeners[i];
      try {
        l.onAttemptStart(view, attempt, request);
      } catch (Throwable t) {
        guards[i].failed("onAttemptStart", t);
      }
    }
  }

  @Override
  public void onAttemptEnd(CallContext call, AttemptContext context, Attempt attempt,
      @Nullable CallResult answer) {
    CallContext view = view(call);
    for (int i = 0; i < listeners.length; i++) {
      GatewayListener l = listeners[i];
      try {
        l.onAttemptEnd(view, context, attempt, answer);
      } catch (Throwable t) {
        guards[i].failed("onAttemptEnd", t);
      }
    }
  }

  @Override
  public void onFirstToken(CallContext call, Duration timeToFirstToken) {
    CallContext view = view(call);
    for (int i = 0; i < listeners.length; i++) {
      GatewayListener l = listeners[i];
      try {
        l.onFirstToken(view, timeToFirstToken);
      } catch (Throwable t) {
        guards[i].failed("onFirstToken", t);
      }
    }
  }

  @Override
  public void onCallEnd(CallContext call, UsageRecord record) {
    CallContext view = view(call);
    for (int i = 0; i < listeners.length; i++) {
      GatewayListener l = listeners[i];
      try {
        l.onCallEnd(view, record);
      } catch (Throwable t) {
        guards[i].failed("onCallEnd", t);
      }
    }
  }

  /** What listeners see of a call: the gateway's calls with their credential redacted. */
  private static CallContext view(CallContext call) {
    return call instanceof Call c ? c.forListeners() : call;
  }
}
