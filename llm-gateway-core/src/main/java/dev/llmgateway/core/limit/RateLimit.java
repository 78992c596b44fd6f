package dev.llmgateway.core.limit;

import dev.llmgateway.Deployment;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One rate limit: requests or tokens per sliding window, or calls in flight at once, counted per
 * {@link Scope} — for every id of the scope on its own ({@link #perTeam()}: each team its own
 * counter) or for one fixed id only ({@link #forTeam(String)}: only team {@code support}).
 *
 * <pre>{@code
 * RateLimit.requestsPerMinute(600).perTeam()                    // "team-rpm"
 * RateLimit.tokensPerMinute(100_000).perOrg()                   // "org-tpm"
 * RateLimit.concurrent(8).perKey()                              // "key-concurrent"
 * RateLimit.requestsPerMinute(50).forDeployment("openai/gpt-4o") // "deployment-openai/gpt-4o-rpm"
 * RateLimit.requests(20, Duration.ofSeconds(10)).perUser().named("burst")
 * }</pre>
 *
 * <p><b>Windows.</b> A {@link Kind#REQUESTS} or {@link Kind#TOKENS} limit counts in a sliding window
 * of length {@code W} ({@link #window()}, a minute by default) kept as {@code N} buckets ({@link
 * #bucketCount()}, 60 by default) of {@code b = ceil(W / N)} milliseconds. A call is admitted when the
 * counts of the last {@code N + 1} buckets (the current one and the {@code N} before it) plus its
 * own amount stay within the limit. <b>Bound: in every window of length {@code W}, at every
 * moment, what was admitted is at most the limit.</b> Proof: a window of length {@code W <= N·b}
 * touches at most {@code N + 1} consecutive buckets; the last admission in it counted all of them
 * (every earlier admission in the window sits in one of those buckets, at or before its own), and
 * was admitted only because that count plus its amount was within the limit. The price: a count
 * stays up to one bucket longer than {@code W}, so a client sending at the limit may be refused up
 * to {@code b} early. Under concurrency the bound holds on the times the store counted each call
 * at: a counter's time never goes back, so a call whose clock reading is older than the counter's
 * newest time is counted at that newest time ({@link LimitStore}, {@link InMemoryLimitStore}).
 *
 * <p><b>Tokens</b> are counted at admission as the request's estimated input tokens ({@link
 * TokenCounter}) and settled when the call ends to its actual input plus output tokens, in the
 * bucket the estimate went to (while that bucket is still in the window). The bound above holds
 * for the counts at admission; actual usage may exceed it by the estimate's error and the output
 * tokens of the calls admitted, and the window then refuses until its count is back under the
 * limit.
 *
 * <p><b>Concurrency</b> ({@link Kind#CONCURRENT}) counts calls holding a slot: a call takes one at
 * admission and gives it back when it ends, whatever ends it; a slot whose holder vanished (a
 * crashed process, with a shared store) expires at its lease, the call's deadline plus a margin
 * ({@link RateLimits.Builder#leaseMargin(Duration)}).
 *
 * <p><b>Deployments.</b> A {@link Scope#DEPLOYMENT} limit counts attempts, not calls: a deployment
 * at its limit is skipped in the call's plan, with the limit named in {@code
 * RoutingDecision.skipped()}, and the call fails over; the others refuse the call at admission
 * with a {@link dev.llmgateway.RateLimitedException} naming the limit.
 *
 * <p>Immutable and thread-safe; every method that configures returns a new limit. Arguments are
 * checked at once ({@link IllegalArgumentException} saying what to change).
 */
public final class RateLimit {
  /** The largest limit: counts stay exact integers in any store (2^40, about 10^12). */
  public static final long MAX_LIMIT = 1L << 40;
  /** The default window: one minute. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
  /** The default number of buckets a window is kept in: 60 (one second each for a minute). */
  public static final int DEFAULT_BUCKETS = 60;
  private static final int MAX_BUCKETS = 3_600;
  private static final long MAX_WINDOW_MILLIS = Duration.ofDays(1).toMillis();
  private static final int MAX_NAME = 128;

  /** What a limit counts. */
  public enum Kind {
    /** Calls (attempts, for a deployment) per window. */
    REQUESTS,
    /** Input tokens estimated at admission, settled to input plus output tokens, per window. */
    TOKENS,
    /** Calls in flight at once. */
    CONCURRENT
  }

  private final Kind kind;
  private final Scope scope;
  private final @Nullable String id;
  private final long limit;
  private final long windowMillis;
  private final int buckets;
  private final @Nullable String explicitName;
  private final String name;

  private RateLimit(Kind kind, Scope scope, @Nullable String id, long limit, long windowMillis,
      int buckets, @Nullable String explicitName) {
    this.kind = kind;
    this.scope = scope;
    this.id = id;
    this.limit = limit;
    this.windowMillis = windowMillis;
    this.buckets = buckets;
    this.explicitName = explicitName;
    this.name = explicitName != null ? explicitName : derivedName();
  }

  /** At most {@code limit} calls per minute, gateway-wide until a scope is chosen. */
  public static RateLimit requestsPerMinute(long limit) {
    return requests(limit, DEFAULT_WINDOW);
  }

  /** At most {@code limit} calls per sliding {@code window}. */
  public static RateLimit requests(long limit, Duration window) {
    return new RateLimit(Kind.REQUESTS, Scope.GLOBAL, null, checkLimit(limit),
        checkWindow(window, DEFAULT_BUCKETS), DEFAULT_BUCKETS, null);
  }

  /** At most {@code limit} tokens per minute, gateway-wide until a scope is chosen. */
  public static RateLimit tokensPerMinute(long limit) {
    return tokens(limit, DEFAULT_WINDOW);
  }

  /** At most {@code limit} tokens per sliding {@code window}. */
  public static RateLimit tokens(long limit, Duration window) {
    return new RateLimit(Kind.TOKENS, Scope.GLOBAL, null, checkLimit(limit),
        checkWindow(window, DEFAULT_BUCKETS), DEFAULT_BUCKETS, null);
  }

  /** At most {@code limit} calls in flight at once, gateway-wide until a scope is chosen. */
  public static RateLimit concurrent(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a concurrency limit must be at least 1, was " + limit);
    }
    return new RateLimit(Kind.CONCURRENT, Scope.GLOBAL, null, limit, 0, 0, null);
  }

  /** One counter for every call of the gateway. */
  public RateLimit global() {
    return scoped(Scope.GLOBAL, null);
  }

  /** Each organisation ({@code Principal.orgId()}) its own counter. */
  public RateLimit perOrg() {
    return scoped(Scope.ORG, null);
  }

  /** Each team its own counter (within its org: a team id is counted per org). */
  public RateLimit perTeam() {
    return scoped(Scope.TEAM, null);
  }

  /** Each project its own counter (within its org). */
  public RateLimit perProject() {
    return scoped(Scope.PROJECT, null);
  }

  /**
   * Each end user ({@code Principal.userId()}) its own counter (within its org). Messages and
   * records name the limit, never the user.
   */
  public RateLimit perUser() {
    return scoped(Scope.USER, null);
  }

  /** Each API key or token ({@code Principal.keyId()}) its own counter. */
  public RateLimit perKey() {
    return scoped(Scope.KEY, null);
  }

  /** Each deployment its own counter of attempts. */
  public RateLimit perDeployment() {
    return scoped(Scope.DEPLOYMENT, null);
  }

  /** Only organisation {@code orgId}. */
  public RateLimit forOrg(String orgId) {
    return scoped(Scope.ORG, checkId(orgId));
  }

  /** Only team {@code teamId} (in whichever org: counted per org). */
  public RateLimit forTeam(String teamId) {
    return scoped(Scope.TEAM, checkId(teamId));
  }

  /** Only project {@code projectId} (counted per org). */
  public RateLimit forProject(String projectId) {
    return scoped(Scope.PROJECT, checkId(projectId));
  }

  /** Only the key or token whose id is {@code keyId}. */
  public RateLimit forKey(String keyId) {
    return scoped(Scope.KEY, checkId(keyId));
  }

  /**
   * Only attempts at {@code deployment} ({@code provider/model}).
   *
   * @throws IllegalArgumentException when it is not written {@code provider/model}
   */
  public RateLimit forDeployment(String deployment) {
    return scoped(Scope.DEPLOYMENT, Deployment.parse(checkId(deployment)).toString());
  }

  /**
   * The same limit over another sliding window (a whole number of milliseconds, from {@code
   * buckets()} ms to one day).
   *
   * @throws IllegalArgumentException for a concurrency limit, or a window out of range
   */
  public RateLimit window(Duration window) {
    requireWindowed("window");
    return new RateLimit(kind, scope, id, limit, checkWindow(window, buckets), buckets,
        explicitName);
  }

  /**
   * The same limit with its window kept in {@code buckets} buckets (1 to 3,600; at most one per
   * millisecond of the window). More buckets refuse less early, and cost more memory per counter
   * (eight bytes each).
   *
   * @throws IllegalArgumentException for a concurrency limit, or a count out of range
   */
  public RateLimit buckets(int buckets) {
    requireWindowed("buckets");
    if (buckets < 1 || buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException("buckets must be 1 to " + MAX_BUCKETS + ", was "
          + buckets);
    }
    if (buckets > windowMillis) {
      throw new IllegalArgumentException(buckets + " buckets do not fit a window of "
          + windowMillis + " ms: a bucket is at least one millisecond");
    }
    return new RateLimit(kind, scope, id, limit, windowMillis, buckets, explicitName);
  }

  /**
   * The same limit under another name (1 to 128 printable characters): the name in refusals,
   * skip reasons and {@link RateLimits#remove(String)}, and part of its counters' keys.
   */
  public RateLimit named(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.length() > MAX_NAME) {
      throw new IllegalArgumentException("a limit's name must be 1 to " + MAX_NAME
          + " characters, not blank");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new IllegalArgumentException("a limit's name must hold no control character");
      }
    }
    return new RateLimit(kind, scope, id, limit, windowMillis, buckets, name);
  }

  private RateLimit scoped(Scope scope, @Nullable String id) {
    return new RateLimit(kind, scope, id, limit, windowMillis, buckets, explicitName);
  }

  private void requireWindowed(String what) {
    if (kind == Kind.CONCURRENT) {
      throw new IllegalArgumentException("a concurrency limit has no window: drop ." + what
          + "(...)");
    }
  }

  private static long checkLimit(long limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("a rate limit must be 1 to " + MAX_LIMIT + ", was "
          + limit);
    }
    return limit;
  }

  private static long checkWindow(Duration window, int buckets) {
    Objects.requireNonNull(window, "window");
    long millis;
    try {
      millis = window.toMillis();
    } catch (ArithmeticException e) {
      millis = Long.MAX_VALUE;
    }
    if (window.isNegative() || !Duration.ofMillis(millis).equals(window) || millis < buckets
        || millis > MAX_WINDOW_MILLIS) {
      throw new IllegalArgumentException("a window must be a whole number of milliseconds from "
          + buckets + " ms (one per bucket) to one day, was " + window);
    }
    return millis;
  }

  private static String checkId(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isBlank() || id.length() > 256) {
      throw new IllegalArgumentException("an id must be 1 to 256 characters, not blank");
    }
    return id;
  }

  private String derivedName() {
    StringBuilder s = new StringBuilder(scope.label());
    if (id != null) {
      s.append('-').append(id);
    }
    s.append('-');
    if (kind == Kind.CONCURRENT) {
      return s.append("concurrent").toString();
    }
    if (windowMillis == DEFAULT_WINDOW.toMillis()) {
      return s.append(kind == Kind.REQUESTS ? "rpm" : "tpm").toString();
    }
    return s.append(kind == Kind.REQUESTS ? "requests-per-" : "tokens-per-")
        .append(compact(windowMillis)).toString();
  }

  /** {@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}. */
  static String compact(long millis) {
    if (millis % 86_400_000L == 0) {
      return millis / 86_400_000L + "d";
    }
    if (millis % 3_600_000L == 0) {
      return millis / 3_600_000L + "h";
    }
    if (millis % 60_000L == 0) {
      return millis / 60_000L + "m";
    }
    if (millis % 1_000L == 0) {
      return millis / 1_000L + "s";
    }
    return millis + "ms";
  }

  /** What it counts. */
  public Kind kind() {
    return kind;
  }

  /** Whose calls it counts together. */
  public Scope scope() {
    return scope;
  }

  /** The one id it applies to, or null when each id of its scope has its own counter. */
  public @Nullable String id() {
    return id;
  }

  /** The most requests or tokens per window, or calls at once. */
  public long limit() {
    return limit;
  }

  /** The sliding window; null for a concurrency limit. */
  public @Nullable Duration window() {
    return kind == Kind.CONCURRENT ? null : Duration.ofMillis(windowMillis);
  }

  /** The window in milliseconds; 0 for a concurrency limit. */
  public long windowMillis() {
    return windowMillis;
  }

  /** The buckets the window is kept in; 0 for a concurrency limit. */
  public int bucketCount() {
    return buckets;
  }

  /**
   * The name in refusals and skip reasons: the one given to {@link #named(String)}, else derived
   * from scope, id and kind ({@code team-rpm}, {@code org-tpm}, {@code key-concurrent}, {@code
   * team-support-rpm}, {@code user-requests-per-10s}).
   */
  public String name() {
    return name;
  }

  /**
   * The limit in words for a message, naming a fixed id but never a user: {@code 600 requests per
   * minute per team}, {@code 50 requests per minute at deployment openai/gpt-4o}, {@code 8 calls
   * at once per key}.
   */
  public String describe() {
    StringBuilder s = new StringBuilder().append(limit);
    switch (kind) {
      case REQUESTS -> s.append(scope == Scope.DEPLOYMENT ? " attempts" : " requests");
      case TOKENS -> s.append(" tokens");
      default -> s.append(" calls at once");
    }
    if (kind != Kind.CONCURRENT) {
      s.append(" per ").append(windowMillis == 60_000L ? "minute" : compact(windowMillis));
    }
    if (scope == Scope.GLOBAL) {
      return s.append(" gateway-wide").toString();
    }
    if (id == null) {
      return s.append(" per ").append(scope.label()).toString();
    }
    return s.append(scope == Scope.DEPLOYMENT ? " at " : " for ").append(scope.label())
        .append(' ').append(id).toString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RateLimit r && kind == r.kind && scope == r.scope
        && Objects.equals(id, r.id) && limit == r.limit && windowMillis == r.windowMillis
        && buckets == r.buckets && name.equals(r.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, scope, id, limit, windowMillis, buckets, name);
  }

  /** {@code RateLimit[team-rpm: 600 requests per minute per team]}. */
  @Override
  public String toString() {
    return "RateLimit[" + name + ": " + describe() + "]";
  }
}
