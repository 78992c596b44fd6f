package dev.llmgateway;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A time limit ran out; {@link #kind()} says which. Retriable (except {@link Kind#TOTAL}). */
public class GatewayTimeoutException extends GatewayException {
  private final Kind kind;
  private final Duration limit;

  /** Which time limit ran out. */
  public enum Kind {
    /** One attempt took too long (the whole response of a unary call). */
    ATTEMPT,
    /** A stream produced no first token in time. */
    FIRST_TOKEN,
    /** A stream went quiet between events for too long. */
    IDLE,
    /** The call's total deadline (the gateway's or the caller's) ran out. */
    TOTAL
  }

  /** Creates one. */
  public GatewayTimeoutException(Kind kind, Duration limit, ErrorDetails details,
      @Nullable Throwable cause) {
    super(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " timeout of "
        + limit.toMillis() + " ms ran out", details, cause);
    this.kind = kind;
    this.limit = limit;
  }

  /** Which limit ran out. */
  public Kind kind() {
    return kind;
  }

  /** The limit that ran out. */
  public Duration limit() {
    return limit;
  }

  @Override
  public boolean isRetriable() {
    return kind != Kind.TOTAL;
  }
}
