package dev.llmgateway.core.internal.call;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallKind;
import dev.llmgateway.Caller;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.PolicyVerdict;
import dev.llmgateway.Principal;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.RequestNeeds;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One call on its way through the chain: what every step reads (id, kind, caller, principal,
 * deadline), the attempts log the call's story is told from, the once-only end flag that makes
 * metering exact, and typed per-call slots ({@link #tag(Class)}): each step keeps its per-call
 * value under a type it owns (the route step its selection, the plan step the {@link Plan}, the
 * cache step its outcome), so this class imports no step's types.
 *
 * <p>Thread-safe: a stream's events may arrive on another thread than the caller's. Its atomic
 * fields are {@link VarHandle}s on plain fields and its slots and attempts live in arrays of
 * its own, so that a call is a handful of objects, not one per field.
 */
public final class Call implements CallContext {
  private static final Object[] NO_TAGS = new Object[0];
  /** Slots (type and value) of the first array {@link #tag(Class, Object)} makes: 6 values. */
  private static final int FIRST_TAGS = 12;
  private static final Attempt[] NO_ATTEMPTS = new Attempt[0];
  private static final VarHandle TAG = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle ATTEMPT_NUMBERS;
  private static final VarHandle ENDED;
  private static final VarHandle CANCELLER;
  private static final VarHandle ENDS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      ATTEMPT_NUMBERS = lookup.findVarHandle(Call.class, "attemptNumbers", int.class);
      ENDED = lookup.findVarHandle(Call.class, "ended", boolean.class);
      CANCELLER = lookup.findVarHandle(Call.class, "canceller", Runnable.class);
      ENDS = lookup.findVarHandle(Call.class, "ends", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String callId;
  private final CallKind kind;
  private final Caller caller;
  private final GatewayRequest originalRequest;
  private final Instant timestamp;
  private final long startNanos;
  private final long deadlineNanos;
  private volatile @Nullable Principal principal;
  /**
   * Type, value pairs, then nulls: written under this object's monitor, read without it. A new
   * pair goes into the first free slots (its value, then its type, each with release semantics;
   * readers read both with acquire semantics), a value is replaced in its slot the same way, and
   * an array that is full or loses a pair is replaced as a whole.
   */
  private volatile Object[] tags = NO_TAGS;
  /** The ended (or skipped) attempts in the order they ended; guarded by this object's monitor. */
  private Attempt[] attempts = NO_ATTEMPTS;
  private int attemptsSize;
  private volatile int attemptNumbers;
  private volatile boolean ended;
  private final EndUsers endUsers;
  private volatile @Nullable String endUserHash;
  private volatile @Nullable CallContext listenerView;
  /** The needs of the request last asked about ({@link #needs}). */
  private volatile @Nullable RequestNeeds needs;
  /** Set by the step that refuses the call, before it throws. */
  private volatile UsageRecord.@Nullable Refusal refusal;
  /** The policies' verdicts, in order; replaced as a whole under this object's monitor. */
  private volatile List<PolicyVerdict> verdicts = List.of();
  /**
   * What cancels the running call; {@link #CANCELLED} once its caller cancelled, {@link #SEALED}
   * once its outcome was decided first.
   */
  private volatile @Nullable Runnable canceller;
  private static final Runnable CANCELLED = () -> { };
  private static final Runnable SEALED = () -> { };
  /**
   * The hooks to run when the call ends (none, one {@code CallEnd}, or a {@code CallEnd[]} of
   * more, replaced as a whole by a compare-and-set), then the call's {@link UsageRecord} once they
   * ran: a hook registered later runs at once.
   */
  private volatile Object ends = NO_ENDS;
  private static final CallEnd[] NO_ENDS = new CallEnd[0];

  /**
   * A call that entered the gateway at {@code startNanos}; its end user is hashed by the gateway's
   * {@code endUsers}.
   */
  public Call(String callId, CallKind kind, Caller caller, GatewayRequest request,
      Instant timestamp, long startNanos, long deadlineNanos, EndUsers endUsers) {
    this.callId = callId;
    this.endUsers = endUsers;
    this.kind = kind;
    this.caller = caller;
    this.originalRequest = request;
    this.timestamp = timestamp;
    this.startNanos = startNanos;
    this.deadlineNanos = deadlineNanos;
    if (caller instanceof Principal p) {
      this.principal = p;
    }
  }

  /**
   * Marks the call as refused by the gateway's own {@code step} (authentication, access, a limit,
   * a budget, a policy): the step calls this just before it throws, and the call's usage record
   * says {@link UsageRecord.Outcome#REFUSED} by that step. The first refusal counts.
   */
  public void refuse(UsageRecord.Refusal step) {
    if (refusal == null) {
      refusal = Objects.requireNonNull(step, "step");
    }
  }

  /** The step that refused the call, or null. */
  public UsageRecord.@Nullable Refusal refusal() {
    return refusal;
  }

  /** Adds an input or output policy's verdict to the call's usage record. */
  public synchronized void verdict(PolicyVerdict verdict) {
    Objects.requireNonNull(verdict, "verdict");
    List<PolicyVerdict> next = new ArrayList<>(verdicts.size() + 1);
    next.addAll(verdicts);
    next.add(verdict);
    verdicts = List.copyOf(next);
  }

  /** The policies' verdicts so far, in order. */
  public List<PolicyVerdict> verdicts() {
    return verdicts;
  }

  @Override
  public String callId() {
    return callId;
  }

  @Override
  public CallKind kind() {
    return kind;
  }

  @Override
  public Caller caller() {
    return caller;
  }

  @Override
  public @Nullable Principal principal() {
    return principal;
  }

  @Override
  public void principal(Principal principal) {
    this.principal = Objects.requireNonNull(principal, "principal");
    CallLog.authenticated(this);
  }

  @Override
  public String requestedModel() {
    return originalRequest.model();
  }

  /** The request as the caller passed it, before any interceptor rewrote it. */
  public GatewayRequest originalRequest() {
    return originalRequest;
  }

  /** When the call entered the gateway, on the gateway's clock. */
  public Instant timestamp() {
    return timestamp;
  }

  @Override
  public long startNanos() {
    return startNanos;
  }

  @Override
  public long deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public <T> @Nullable T tag(Class<? extends T> type) {
    Object[] t = tags;
    for (int i = 0; i < t.length; i += 2) {
      Object at = TAG.getAcquire(t, i);
      if (at == type) {
        @SuppressWarnings("unchecked")
        T value = (T) TAG.getAcquire(t, i + 1);
        return value;
      }
      if (at == null) {
        return null;
      }
    }
    return null;
  }

  @Override
  public <T> void tag(Class<T> type, @Nullable T value) {
    Objects.requireNonNull(type, "type");
    if (value != null && !type.isInstance(value)) {
      throw new IllegalArgumentException(
          value.getClass().getName() + " is not a " + type.getName());
    }
    synchronized (this) {
      Object[] t = tags;
      int at = -1;
      int used = 0;
      while (used < t.length && t[used] != null) {
        if (t[used] == type) {
          at = used;
        }
        used += 2;
      }
      if (value == null) {
        if (at < 0) {
          return;
        }
        Object[] next = new Object[t.length];
        System.arraycopy(t, 0, next, 0, at);
        System.arraycopy(t, at + 2, next, at, used - at - 2);
        tags = next;
      } else if (at >= 0) {
        TAG.setRelease(t, at + 1, value);
      } else if (used < t.length) {
        TAG.setRelease(t, used + 1, value);
        TAG.setRelease(t, used, type);
      } else {
        Object[] next = Arrays.copyOf(t, Math.max(FIRST_TAGS, t.length * 2));
        next[used] = type;
        next[used + 1] = value;
        tags = next;
      }
    }
  }

  /**
   * The keyed hash of the principal's end user ({@link EndUsers}), computed once per call; null
   * when there is none.
   */
  public @Nullable String endUserHash() {
    String hash = endUserHash;
    if (hash == null) {
      Principal p = principal;
      if (p == null || p.userId() == null) {
        return null;
      }
      hash = endUsers.hash(p.userId());
      endUserHash = hash;
    }
    return hash;
  }

  /**
   * This call as listeners see it: the caller's credential replaced by a placeholder (a principal
   * passed by the host application is shown as is).
   */
  public CallContext forListeners() {
    if (caller instanceof Principal) {
      return this;
    }
    CallContext view = listenerView;
    if (view == null) {
      view = new ListenerView(this);
      listenerView = view;
    }
    return view;
  }

  /**
   * What {@code request} needs of a model ({@link RequestNeeds#of}), worked out once for the same
   * request object however many steps ask (access, routing, planning): a step that rewrote the
   * request gets the needs of its own.
   */
  public RequestNeeds needs(GatewayRequest request) {
    RequestNeeds n = needs;
    if (n == null || n.request() != request) {
      n = RequestNeeds.of(request, kind);
      needs = n;
    }
    return n;
  }

  /** The plan the plan step made, or null before it ran (or when the cache answered). */
  public @Nullable Plan plan() {
    return tag(Plan.class);
  }

  /** How many attempts have been started. */
  public int attemptCount() {
    return attemptNumbers;
  }

  /** Numbers the next attempt (1, 2, ...). */
  public int nextAttemptNumber() {
    return (int) ATTEMPT_NUMBERS.getAndAdd(this, 1) + 1;
  }

  /** Adds an ended (or skipped) attempt to the call's story. */
  public synchronized void recordAttempt(Attempt attempt) {
    Objects.requireNonNull(attempt, "attempt");
    if (attemptsSize == attempts.length) {
      attempts = Arrays.copyOf(attempts, Math.max(2, attemptsSize * 2));
    }
    attempts[attemptsSize++] = attempt;
  }

  /** The attempts so far, in the order they ended. */
  public synchronized List<Attempt> attempts() {
    switch (attemptsSize) {
      case 0:
        return List.of();
      case 1:
        return List.of(attempts[0]);
      case 2:
        return List.of(attempts[0], attempts[1]);
      default:
        return List.of(Arrays.copyOf(attempts, attemptsSize));
    }
  }

  /** The usage of every attempt, summed. */
  public synchronized Usage attemptUsage() {
    Usage sum = Usage.ZERO;
    for (int i = 0; i < attemptsSize; i++) {
      sum = sum.plus(attempts[i].usage());
    }
    return sum;
  }

  /**
   * Registers what cancels the running call (the execute step registers its sequencer); runs it at
   * once when the caller has cancelled already.
   */
  public void onCancel(Runnable hook) {
    for (;;) {
      Runnable current = canceller;
      if (current == CANCELLED) {
        hook.run();
        return;
      }
      if (current == SEALED || CANCELLER.compareAndSet(this, current, hook)) {
        return;
      }
    }
  }

  /**
   * The caller gave up (a {@code chatAsync} future cancelled): cancels the running call, once.
   * False when it is too late: the call's outcome was decided (metered) first, or it was cancelled
   * before. Exactly one of a cancel and the call's {@link #end() end} wins.
   */
  public boolean cancel() {
    return cancel(() -> { });
  }

  /** {@link #cancel()}, running {@code won} first when the cancel wins (before the call stops). */
  public boolean cancel(Runnable won) {
    for (;;) {
      Runnable current = canceller;
      if (current == CANCELLED || current == SEALED) {
        return false;
      }
      if (CANCELLER.compareAndSet(this, current, CANCELLED)) {
        won.run();
        if (current != null) {
          current.run();
        }
        return true;
      }
    }
  }

  /** Whether the caller cancelled the call before its outcome was decided. */
  public boolean isCancelled() {
    return canceller == CANCELLED;
  }

  /**
   * True exactly once: for whoever ends the call and so meters it. From then on a {@link
   * #cancel()} is too late; whether one came first is {@link #isCancelled()}.
   */
  public boolean end() {
    if (!ENDED.compareAndSet(this, false, true)) {
      return false;
    }
    for (;;) {
      Runnable current = canceller;
      if (current == CANCELLED || CANCELLER.compareAndSet(this, current, SEALED)) {
        return true;
      }
    }
  }

  /**
   * Registers what must happen when this call ends (see {@link CallEnd}); runs it at once, on this
   * thread, when the call has ended already.
   */
  public void onEnd(CallEnd hook) {
    Objects.requireNonNull(hook, "hook");
    for (;;) {
      Object current = ends;
      if (current instanceof UsageRecord record) {
        runEnd(hook, record);
        return;
      }
      Object next;
      if (current == NO_ENDS) {
        next = hook; // the first, as itself: no array for a call with one hook
      } else if (current instanceof CallEnd first) {
        next = new CallEnd[] {first, hook};
      } else {
        CallEnd[] hooks = (CallEnd[]) current;
        CallEnd[] more = java.util.Arrays.copyOf(hooks, hooks.length + 1);
        more[hooks.length] = hook;
        next = more;
      }
      if (ENDS.compareAndSet(this, current, next)) {
        return;
      }
    }
  }

  /**
   * Runs every registered end hook with the call's one record, in the order they were registered;
   * called once, by the meter, before the record reaches the sinks.
   */
  public void ended(UsageRecord record) {
    Object previous = ENDS.getAndSet(this, Objects.requireNonNull(record, "record"));
    if (previous instanceof CallEnd hook) {
      runEnd(hook, record);
    } else if (previous instanceof CallEnd[] hooks) {
      for (CallEnd hook : hooks) {
        runEnd(hook, record);
      }
    }
  }

  private static void runEnd(CallEnd hook, UsageRecord record) {
    try {
      hook.ended(record);
    } catch (Throwable t) {
      new Guard("call end hook", hook).failed("ended", t); // a bug: hooks must not throw
    }
  }

  /** Whether the call has been metered. */
  public boolean hasEnded() {
    return ended;
  }

  @Override
  public String toString() {
    return "Call[" + callId + ", " + kind + ", model=" + originalRequest.model() + "]";
  }
}
