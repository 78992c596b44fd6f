package dev.llmgateway.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis answers, as the stores of one connection saw it last, and how often to try it while
 * it does not. Up, every store call goes to Redis. The first failure marks it down (an outage, one
 * WARN line); while down, a store call goes to Redis only when it is the one caller let through per
 * {@code retryInterval} (a compare-and-set on the next probe time, so a hung Redis costs one
 * command timeout per interval, not one per call); the others take the failure policy's way at
 * once. The first success marks it up again (one WARN line saying how long it lasted).
 *
 * <p>Also counts what the health snapshot reports. Lock-free and thread-safe.
 */
public final class Availability {
  /** The logger of the Redis stores. */
  public static final Logger LOG = LoggerFactory.getLogger("dev.llmgateway.redis");

  private final long retryNanos;
  private final LongSupplier ticker;
  private final String failureMode;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicLong nextProbe = new AtomicLong();
  private volatile long downSinceMillis;
  private volatile long downSinceNanos;
  private final LongAdder outages = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder refusals = new LongAdder();

  /**
   * @param retryNanos how long after a failure the next call tries Redis again
   * @param ticker the nanosecond clock ({@code System::nanoTime}; a test's own)
   * @param failureMode what the store does meanwhile, for the WARN line
   */
  public Availability(long retryNanos, LongSupplier ticker, String failureMode) {
    this.retryNanos = retryNanos;
    this.ticker = ticker;
    this.failureMode = failureMode;
  }

  /** Whether this call should go to Redis: always while up; one caller per interval while down. */
  public boolean shouldTry() {
    if (!down.get()) {
      return true;
    }
    long now = ticker.getAsLong();
    long next = nextProbe.get();
    return now - next >= 0 && nextProbe.compareAndSet(next, now + retryNanos);
  }

  /** Whether Redis is taken to be down now. */
  public boolean isDown() {
    return down.get();
  }

  /** A store call to Redis failed with {@code e}: Redis is down (an outage starts if it was up). */
  public void failed(RuntimeException e) {
    failures.increment();
    long now = ticker.getAsLong();
    nextProbe.set(now + retryNanos);
    if (down.compareAndSet(false, true)) {
      downSinceNanos = now;
      downSinceMillis = System.currentTimeMillis();
      outages.increment();
      LOG.warn("Redis failed ({}); the limit and budget stores {} until it answers again,"
          + " trying it at most every {} ms", describe(e), failureMode, retryNanos / 1_000_000);
    } else {
      LOG.debug("Redis failed again ({})", describe(e));
    }
  }

  /** A store call to Redis succeeded: the outage, if any, is over. Returns whether it was down. */
  public boolean succeeded() {
    if (!down.get()) {
      return false;
    }
    if (down.compareAndSet(true, false)) {
      LOG.warn("Redis answers again after {} ms", (ticker.getAsLong() - downSinceNanos)
          / 1_000_000);
      return true;
    }
    return false;
  }

  /** An admission served by the local fallback (fail-open). */
  public void fellBack() {
    fallbacks.increment();
  }

  /** An admission refused because Redis failed (fail-closed). */
  public void refused() {
    refusals.increment();
  }

  /** When the current outage began (epoch ms), or -1 when Redis is up. */
  public long downSinceMillis() {
    return down.get() ? downSinceMillis : -1;
  }

  public long outages() {
    return outages.sum();
  }

  public long failures() {
    return failures.sum();
  }

  public long fallbacks() {
    return fallbacks.sum();
  }

  public long refusals() {
    return refusals.sum();
  }

  /**
   * The failure's type, and for a server error its code ({@code LOADING}, {@code OOM}, {@code
   * CLUSTERDOWN}, ...): never a message that could carry a key or an argument.
   */
  public static String describe(Throwable e) {
    String type = e.getClass().getSimpleName();
    if (e instanceof RedisCommandExecutionException && e.getMessage() != null) {
      String m = e.getMessage();
      int space = m.indexOf(' ');
      String code = space > 0 ? m.substring(0, space) : m;
      if (code.length() <= 16 && code.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
        return type + " " + code;
      }
    }
    return type;
  }
}
