package dev.llmgateway.spi;

import dev.llmgateway.CallKind;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One call as interceptors and listeners see it: its id, kind, caller, the principal once
 * authenticated, and a small attribute map where interceptors leave notes for later steps.
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

  /** Notes interceptors leave for each other during the call (thread-safe map). */
  Map<String, Object> attributes();
}
