package dev.llmgateway;

import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Per-request options that steer the gateway rather than the model.
 *
 * @param deadline the most time the caller allows for the whole call, retries and failover
 *     included; null means the gateway's own total deadline applies
 * @param tags free labels carried into usage records and telemetry (e.g. a feature name)
 * @param cacheBypass skip the response cache for this call
 * @param critical mark a call the application cannot afford to lose (quota and budget steps may
 *     let it through where they would reject others)
 */
public record RequestOptions(
    @Nullable Duration deadline, Set<String> tags, boolean cacheBypass, boolean critical) {

  /** No options. */
  public static final RequestOptions DEFAULT = new RequestOptions(null, Set.of(), false, false);

  /** Validates and copies. */
  public RequestOptions {
    tags = Set.copyOf(tags);
    if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
      throw new IllegalArgumentException("deadline must be positive, was " + deadline);
    }
  }

  /** These options with a deadline. */
  public RequestOptions withDeadline(Duration deadline) {
    return new RequestOptions(deadline, tags, cacheBypass, critical);
  }

  /** These options with tags. */
  public RequestOptions withTags(String... tags) {
    return new RequestOptions(deadline, Set.of(tags), cacheBypass, critical);
  }

  /** These options with the cache bypassed or not. */
  public RequestOptions withCacheBypass(boolean cacheBypass) {
    return new RequestOptions(deadline, tags, cacheBypass, critical);
  }

  /** These options with the critical flag set or not. */
  public RequestOptions withCritical(boolean critical) {
    return new RequestOptions(deadline, tags, cacheBypass, critical);
  }
}
