package dev.llmgateway.spi;

import dev.llmgateway.Deployment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * What travels down with one attempt: the deployment, the attempt's number, its deadline and extra
 * HTTP headers that interceptors and listeners may add (this is how trace context reaches the wire
 * without the transport knowing OpenTelemetry).
 *
 * <p>Headers are not thread-safe: they are set by the attempt's interceptors before the transport
 * sends, on the attempt's thread. Cancellation is thread-safe: the gateway {@link #cancel()
 * cancels} an attempt that lost a hedge, outlived a timer or whose caller gave up, and a transport
 * that blocks registers how to stop with {@link #onCancel(Runnable)} (the built-in ones cancel
 * their OkHttp call). {@link #toString()} prints header names, never values.
 *
 * <p>A transport that speaks HTTP reports the status it received with {@link #responded(int)} (the
 * built-in ones do, for answers and errors alike), so that the attempt's record carries it on
 * success too ({@link dev.llmgateway.Attempt#httpStatus()}); the status is safe to read from any
 * thread.
 */
public final class AttemptContext {
  /** No deadline. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private final String callId;
  private final Deployment deployment;
  private final int number;
  private final long deadlineNanos;
  private final @Nullable String endUserHash;
  private final @Nullable ProviderIdentity provider;
  private static final Runnable CANCELLED = () -> { };
  private static final String[] NO_HEADERS = new String[0];
  private static final VarHandle ON_CANCEL;

  static {
    try {
      ON_CANCEL = MethodHandles.lookup()
          .findVarHandle(AttemptContext.class, "onCancel", Runnable.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile @Nullable Runnable onCancel;
  /** Header names and values, in pairs, in insertion order; {@code headerCount} pairs are set. */
  private String[] headers = NO_HEADERS;
  private int headerCount;
  private @Nullable Map<String, String> headerView;
  private volatile int httpStatus; // 0: none received
  private volatile boolean deadlineEnforced;

  /**
   * Creates a context.
   *
   * @param callId the gateway's id for the call
   * @param deployment where the attempt goes
   * @param number 1 for the call's first attempt
   * @param deadlineNanos the {@link System#nanoTime()} by which the attempt must end, or {@link
   *     #NO_DEADLINE}
   */
  public AttemptContext(String callId, Deployment deployment, int number, long deadlineNanos) {
    this(callId, deployment, number, deadlineNanos, null);
  }

  /**
   * Creates a context that carries the caller's end-user id, hashed.
   *
   * @param endUserHash a stable, keyed hash of the end user's id (never the raw id), or null
   */
  public AttemptContext(String callId, Deployment deployment, int number, long deadlineNanos,
      @Nullable String endUserHash) {
    this(callId, deployment, number, deadlineNanos, endUserHash, null);
  }

  /**
   * Creates a context that also says who the deployment's provider is ({@link
   * Provider#identity()}), for observers.
   *
   * @param provider the identity of the deployment's provider, or null when unknown
   */
  public AttemptContext(String callId, Deployment deployment, int number, long deadlineNanos,
      @Nullable String endUserHash, @Nullable ProviderIdentity provider) {
    this.endUserHash = endUserHash;
    this.provider = provider;
    this.callId = Objects.requireNonNull(callId, "callId");
    this.deployment = Objects.requireNonNull(deployment, "deployment");
    if (number < 1) {
      throw new IllegalArgumentException("attempt numbers start at 1, was " + number);
    }
    this.number = number;
    this.deadlineNanos = deadlineNanos;
  }

  /** A context for calling a provider directly, outside a gateway (tests, benchmarks). */
  public static AttemptContext standalone(Deployment deployment) {
    return new AttemptContext("standalone", deployment, 1, NO_DEADLINE);
  }

  /** The gateway's id for the call. */
  public String callId() {
    return callId;
  }

  /** Where the attempt goes. */
  public Deployment deployment() {
    return deployment;
  }

  /** 1 for the call's first attempt, counting across retries and failover. */
  public int number() {
    return number;
  }

  /** The {@link System#nanoTime()} by which the attempt must end, or {@link #NO_DEADLINE}. */
  public long deadlineNanos() {
    return deadlineNanos;
  }

  /** Time left before the deadline (never negative); a very long duration when there is none. */
  public Duration remaining() {
    if (deadlineNanos == NO_DEADLINE) {
      return Duration.ofNanos(Long.MAX_VALUE);
    }
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  /**
   * A keyed hash of the caller's end-user id (64 hex characters), for provider fields such as
   * OpenAI's {@code safety_identifier}; null when the caller named no user. The built-in gateway
   * computes it as HMAC-SHA256 under its own key (random per gateway unless its builder's {@code
   * endUserIdKey} sets one), so it is stable for a user within a gateway, and across gateways that
   * share the key, but a provider cannot confirm a guessed id by hashing it. The raw id never
   * reaches a transport.
   */
  public @Nullable String endUserHash() {
    return endUserHash;
  }

  /**
   * Who the deployment's provider is ({@link Provider#identity()}): the gateway sets it on every
   * attempt it makes; null on a context made without one.
   */
  public @Nullable ProviderIdentity provider() {
    return provider;
  }

  /** Adds or replaces an HTTP header the transport will send with this attempt. */
  public AttemptContext header(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    for (int i = 0; i < headerCount; i++) {
      if (headers[2 * i].equals(name)) {
        headers[2 * i + 1] = value; // replaced in place: the header keeps its position
        return this;
      }
    }
    if (2 * headerCount == headers.length) {
      headers = Arrays.copyOf(headers, Math.max(4, headers.length * 2));
    }
    headers[2 * headerCount] = name;
    headers[2 * headerCount + 1] = value;
    headerCount++;
    return this;
  }

  /**
   * The extra headers, in insertion order (a read-only view: it shows headers added later too).
   * The headers are kept as name, value pairs in one array, not in a map per attempt.
   */
  public Map<String, String> headers() {
    if (headerCount == 0 && headerView == null) {
      return Map.of();
    }
    Map<String, String> view = headerView;
    if (view == null) {
      view = new HeaderView();
      headerView = view;
    }
    return view;
  }

  /** The read-only, insertion-ordered map view of the header pairs. */
  private final class HeaderView extends AbstractMap<String, String> {
    @Override
    public int size() {
      return headerCount;
    }

    @Override
    public @Nullable String get(Object key) {
      for (int i = 0; i < headerCount; i++) {
        if (headers[2 * i].equals(key)) {
          return headers[2 * i + 1];
        }
      }
      return null;
    }

    @Override
    public boolean containsKey(Object key) {
      return get(key) != null;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super String> action) {
      for (int i = 0; i < headerCount; i++) {
        action.accept(headers[2 * i], headers[2 * i + 1]);
      }
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public int size() {
          return headerCount;
        }

        @Override
        public Iterator<Entry<String, String>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < headerCount;
            }

            @Override
            public Entry<String, String> next() {
              if (next >= headerCount) {
                throw new NoSuchElementException();
              }
              int i = next++;
              return new SimpleImmutableEntry<>(headers[2 * i], headers[2 * i + 1]);
            }
          };
        }
      };
    }
  }

  /**
   * Registers what stops this attempt's work when it is cancelled (one hook per attempt; a later
   * one replaces an earlier one). Runs the hook at once if the attempt is already cancelled.
   */
  public void onCancel(Runnable hook) {
    Objects.requireNonNull(hook, "hook");
    for (;;) {
      Runnable current = onCancel;
      if (current == CANCELLED) {
        hook.run();
        return;
      }
      if (ON_CANCEL.compareAndSet(this, current, hook)) {
        return;
      }
    }
  }

  /**
   * Cancels the attempt: runs the registered hook once. Idempotent; called by the gateway, never
   * by transports.
   *
   * @return true if this call cancelled it, false if it was cancelled before
   */
  public boolean cancel() {
    Runnable hook = (Runnable) ON_CANCEL.getAndSet(this, CANCELLED);
    if (hook == CANCELLED) {
      return false;
    }
    if (hook != null) {
      hook.run();
    }
    return true;
  }

  /**
   * Reports the HTTP status of the provider's response to this attempt, as soon as the transport
   * has it (before reading the body): the gateway records it on the attempt, whether the attempt
   * then succeeds or fails. A later report replaces an earlier one.
   *
   * @throws IllegalArgumentException when the status does not have three digits (100 to 999:
   *     servers do send codes past 599)
   */
  public void responded(int httpStatus) {
    if (httpStatus < 100 || httpStatus > 999) {
      throw new IllegalArgumentException("an HTTP status has three digits, was " + httpStatus);
    }
    this.httpStatus = httpStatus;
  }

  /** The HTTP status the transport reported with {@link #responded(int)}, or null before. */
  public @Nullable Integer httpStatus() {
    int status = httpStatus;
    return status == 0 ? null : status;
  }

  /**
   * Says that whoever made this context enforces its deadline: it {@linkplain #cancel() cancels}
   * the context when the deadline passes (the gateway does for every unary attempt), so a
   * transport need not arm a timer of its own for it. Set before the context reaches the
   * transport. Returns this context.
   */
  public AttemptContext deadlineEnforced() {
    this.deadlineEnforced = true;
    return this;
  }

  /**
   * Whether the deadline is enforced by whoever made this context ({@link #deadlineEnforced()}):
   * a transport then arms no timer for it, and reads a cancellation after the deadline as the
   * attempt's timeout.
   */
  public boolean isDeadlineEnforced() {
    return deadlineEnforced;
  }

  /** Whether the attempt was cancelled; a transport may check it before sending. */
  public boolean isCancelled() {
    return onCancel == CANCELLED;
  }

  @Override
  public String toString() {
    return "AttemptContext[callId=" + callId + ", deployment=" + deployment + ", number=" + number
        + (headerCount == 0 ? "" : ", headers=" + headers().keySet()) + "]";
  }
}
