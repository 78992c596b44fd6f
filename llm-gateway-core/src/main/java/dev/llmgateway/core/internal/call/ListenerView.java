package dev.llmgateway.core.internal.call;

import dev.llmgateway.CallKind;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.spi.CallContext;
import org.jspecify.annotations.Nullable;

/**
 * A call as listeners see it: everything but the caller's credential, which is replaced by a
 * placeholder of its kind, so an API key or a token never reaches observers (logs, metrics,
 * traces). Listeners observe: they cannot set the principal. Thread-safe, as the call is.
 */
final class ListenerView implements CallContext {
  private static final Caller REDACTED_KEY = Caller.apiKey("redacted");
  private static final Caller REDACTED_TOKEN = Caller.bearerToken("redacted");

  private final Call call;
  private final Caller caller;

  ListenerView(Call call) {
    this.call = call;
    Caller c = call.caller();
    this.caller = c instanceof Caller.ApiKey ? REDACTED_KEY
        : c instanceof Caller.BearerToken ? REDACTED_TOKEN : c;
  }

  @Override
  public String callId() {
    return call.callId();
  }

  @Override
  public CallKind kind() {
    return call.kind();
  }

  /** The caller's kind of credential, its secret replaced; a principal as is. */
  @Override
  public Caller caller() {
    return caller;
  }

  @Override
  public @Nullable Principal principal() {
    return call.principal();
  }

  @Override
  public void principal(Principal principal) {
    throw new UnsupportedOperationException("a listener observes the call; the authentication"
        + " step sets its principal");
  }

  @Override
  public String requestedModel() {
    return call.requestedModel();
  }

  @Override
  public long startNanos() {
    return call.startNanos();
  }

  @Override
  public long deadlineNanos() {
    return call.deadlineNanos();
  }

  @Override
  public <T> @Nullable T tag(Class<? extends T> type) {
    return call.tag(type);
  }

  @Override
  public <T> void tag(Class<T> type, @Nullable T value) {
    call.tag(type, value);
  }

  @Override
  public String toString() {
    return call.toString();
  }
}
