package dev.llmgateway.spi;

import dev.llmgateway.CallKind;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import org.jspecify.annotations.Nullable;

/**
 * One call as interceptors and listeners see it: its id, kind, caller, the principal once
 * authenticated, and typed per-call values ({@link #tag(Class)}) that steps leave for later
 * steps.
 *
 * <p>Thread-safe: a streamed call's events may be handled on another thread than the one that
 * started it.
 */
public interface CallContext {

  /** The gateway's id for the call. */
  String callId();

  /** Chat, stream or embed. */
  CallKind kind();

  /** Who makes the call, as passed in (a credential or a principal). */
  Caller caller();

  /** The authenticated caller, or null before the authentication step ran. */
  @Nullable Principal principal();

  /** Sets the authenticated caller (the authentication step does this). */
  void principal(Principal principal);

  /** The model, alias or deployment the caller asked for. */
  String requestedModel();

  /** The {@link System#nanoTime()} at which the call entered the gateway. */
  long startNanos();

  /**
   * The {@link System#nanoTime()} by which the whole call must end, or {@link
   * AttemptContext#NO_DEADLINE}.
   */
  long deadlineNanos();

  /**
   * The call's value of {@code type}, set by a step or interceptor that owns the type (OkHttp's
   * {@code Request.tag(Class)}); null when none. A budget interceptor, for example, sets the core
   * module's {@code Downgrade} value here to send the call down its alias's cheaper route.
   */
  <T> @Nullable T tag(Class<? extends T> type);

  /**
   * Sets the call's value of {@code type}, replacing any earlier one; null removes it. Keep
   * values small and immutable: every step after this one may read them, on any thread.
   *
   * @throws IllegalArgumentException when {@code value} is not an instance of {@code type}
   */
  <T> void tag(Class<T> type, @Nullable T value);
}
