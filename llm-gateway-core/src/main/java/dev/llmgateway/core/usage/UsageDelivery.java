package dev.llmgateway.core.usage;

import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.internal.call.Checks;
import dev.llmgateway.spi.UsageSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How a gateway hands usage records to one sink: read-only settings made by {@link #builder()},
 * {@link #inline()}, {@link #defaults()} or {@link #billing(Path)}, given to {@code
 * GatewayBuilder.usageSink(sink, delivery)}. Immutable and thread-safe.
 *
 * <p><b>Records are produced exactly once, delivered at least once.</b> The metering step makes
 * one record per call. An <em>asynchronous</em> sink (every setting but {@link #inline()}) gets
 * it through a bounded queue of its own ({@link #queueCapacity()}) drained by a gateway-owned
 * daemon thread of its own, {@code llm-gateway-usage-<n>-<sink>}, in batches of up to {@link
 * #batchSize()} ({@link UsageSink#acceptBatch}). The delivery thread waits up to {@link #linger()}
 * for a batch to fill before it delivers a smaller one, so that a sink is called a few times a
 * second, not once per call: the queue is lock-free (an offer is one compare-and-set and no thread
 * wake-up, but for the first record into an empty queue and the one that fills a batch). A caller
 * only puts its record in the queue; it never waits on the sink, but when the queue is full: {@link Overflow#DROP} drops the record
 * (counted; one WARN line a minute at most), {@link Overflow#BLOCK} waits up to {@link
 * #maxBlock()} for room and then writes the record to the dead-letter file itself. So a caller
 * waits at most {@code maxBlock} plus one append to a local file.
 *
 * <p>One thread per sink, not one shared: a slow or stuck sink then delays only its own records,
 * and sinks are few. The sink itself is called on a second, small pool of the lane, so that the
 * delivery thread can give up on a call: <b>a batch the sink does not take within {@link
 * #deliveryTimeout()} counts as failed and is written to the dead-letter file</b>; the sink's
 * thread is interrupted and abandoned, and the next batch gets a fresh one. At most {@value
 * #MAX_SINK_THREADS} sink threads exist per sink; when all of them are stuck in the sink, batches
 * go straight to the dead-letter file until one comes back. A stuck thread that returns later may
 * have delivered its batch after all, which is why delivery is at least once.
 *
 * <p><b>Failures.</b> A batch the sink throws on is retried with exponential backoff and jitter
 * ({@link #maxRetries()} times, from {@link #initialBackoff()} up to {@link #maxBackoff()}) on
 * the delivery thread, then written to the dead-letter file, or counted as dropped when the sink
 * has none. Retries use Failsafe's {@code RetryPolicy}: this is background work off the request
 * path, with no commit point and no need for the gateway's clock, which is what Failsafe is made
 * for (the request path's attempt loop is the gateway's own). A timed-out batch is not retried:
 * that would abandon another thread to the same stuck sink.
 *
 * <p><b>Dead letters.</b> One JSON Lines file per sink ({@link #deadLetter()}; give each sink and
 * each gateway its own path), appended in {@link UsageRecordJson} form, schema 1, never rotated.
 * Each spill is one {@code write} to the operating system, so a process crash loses nothing
 * written; an operating system crash may lose what the OS had not yet put on disk (no fsync). A
 * record that cannot be written there either (the disk is full) is counted as dropped and logged
 * at ERROR. {@link #replay(Path, UsageSink)} delivers a file's records to a sink, each call id
 * once.
 *
 * <p><b>Closing.</b> {@code Gateway.close()} stops taking records into the queues and lets each
 * delivery thread deliver what is queued, for at most {@link #drainTimeout()} (all sinks drain in
 * parallel, so close takes at most the longest drain timeout, plus writing what is left to the
 * dead-letter files); what is still queued then, and a batch in flight, is written to the
 * dead-letter file — or, for a sink without one, counted as dropped and logged. A record produced
 * after close (a call in flight ends later) goes to the dead-letter file, or is counted as
 * dropped. Nothing bound for a {@link Overflow#BLOCK} sink is dropped silently.
 *
 * <p><b>What a crash can lose.</b> Records in the queue and the batch in flight, at most {@link
 * #queueCapacity()} + {@link #batchSize()} per sink, plus what the sink itself buffers (see its
 * flush policy, e.g. {@link JsonLinesUsageSink}); a dead-letter file loses nothing once written.
 *
 * <p><b>Inline.</b> {@link #inline()} calls the sink on the thread that ends the call, before
 * {@code chat} returns, as gateways always did: for sinks that keep records in memory and never
 * block ({@code InMemoryUsageSink}, {@link UsageAggregates}). An inline sink that throws is logged
 * and counted as dropped.
 */
public final class UsageDelivery {

  /** What a caller does when an asynchronous sink's queue is full. */
  public enum Overflow {
    /** Drop the record and count it: for logs and metrics, where a gap is better than a wait. */
    DROP,
    /**
     * Wait up to {@link #maxBlock()} for room, then write the record to the dead-letter file: for
     * billing, where nothing may be lost. Needs a {@link Builder#deadLetter(Path) dead-letter}
     * file.
     */
    BLOCK
  }

  /** The most sink threads per asynchronous sink: one at work and two abandoned while stuck. */
  public static final int MAX_SINK_THREADS = 3;
  /** The default of {@link Builder#linger(Duration)}. */
  public static final Duration DEFAULT_LINGER = Duration.ofMillis(100);
  /** The default of {@link Builder#queueCapacity(int)}. */
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  /** The default of {@link Builder#batchSize(int)}. */
  public static final int DEFAULT_BATCH_SIZE = 256;
  /** The default of {@link Builder#blockWhenFull(Duration)}'s bound for {@link #billing(Path)}. */
  public static final Duration DEFAULT_MAX_BLOCK = Duration.ofMillis(100);
  /** The default of {@link Builder#deliveryTimeout(Duration)}. */
  public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);
  /** The default of {@link Builder#drainTimeout(Duration)}. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);
  /** The default of {@link Builder#retries}: 3 retries, from 100 ms up to 5 s. */
  public static final int DEFAULT_MAX_RETRIES = 3;

  private static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
  private static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  private static final UsageDelivery INLINE = new UsageDelivery(new Builder(), true);
  private static final UsageDelivery DEFAULTS = new UsageDelivery(new Builder(), false);

  private final boolean inline;
  private final int queueCapacity;
  private final int batchSize;
  private final Duration linger;
  private final Overflow overflow;
  private final Duration maxBlock;
  private final @Nullable Path deadLetter;
  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration deliveryTimeout;
  private final Duration drainTimeout;

  private UsageDelivery(Builder b, boolean inline) {
    this.inline = inline;
    this.queueCapacity = b.queueCapacity;
    this.batchSize = b.batchSize;
    this.linger = b.linger;
    this.overflow = b.overflow;
    this.maxBlock = b.maxBlock;
    this.deadLetter = b.deadLetter;
    this.maxRetries = b.maxRetries;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.deliveryTimeout = b.deliveryTimeout;
    this.drainTimeout = b.drainTimeout;
  }

  /** The sink is called on the thread that ends each call (see the class comment). */
  public static UsageDelivery inline() {
    return INLINE;
  }

  /**
   * Asynchronous with the defaults: a queue of {@value #DEFAULT_QUEUE_CAPACITY}, batches of
   * {@value #DEFAULT_BATCH_SIZE}, {@link Overflow#DROP}, {@value #DEFAULT_MAX_RETRIES} retries, no
   * dead-letter file, a 30 s delivery timeout and a 5 s drain on close.
   */
  public static UsageDelivery defaults() {
    return DEFAULTS;
  }

  /**
   * Asynchronous for billing: {@link Overflow#BLOCK} for up to {@link #DEFAULT_MAX_BLOCK}, and
   * {@code deadLetter} for whatever cannot be delivered; otherwise the defaults.
   */
  public static UsageDelivery billing(Path deadLetter) {
    return builder().blockWhenFull(DEFAULT_MAX_BLOCK).deadLetter(deadLetter).build();
  }

  /** A builder of asynchronous delivery, starting from the {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether the sink is called inline, on the thread that ends the call. */
  public boolean isInline() {
    return inline;
  }

  /** The most records waiting for the sink. */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** The most records per {@link UsageSink#acceptBatch} call. */
  public int batchSize() {
    return batchSize;
  }

  /** How long the delivery thread waits for a batch to fill. */
  public Duration linger() {
    return linger;
  }

  /** What a caller does when the queue is full. */
  public Overflow overflow() {
    return overflow;
  }

  /** How long a caller waits for room under {@link Overflow#BLOCK}; zero under DROP. */
  public Duration maxBlock() {
    return maxBlock;
  }

  /** The dead-letter file, or null when undeliverable records are dropped (and counted). */
  public @Nullable Path deadLetter() {
    return deadLetter;
  }

  /** How often a failed batch is tried again. */
  public int maxRetries() {
    return maxRetries;
  }

  /** The first retry's delay (doubling, with jitter, up to {@link #maxBackoff()}). */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The longest delay between retries. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** How long one {@link UsageSink#acceptBatch} call may take before it counts as failed. */
  public Duration deliveryTimeout() {
    return deliveryTimeout;
  }

  /** How long {@code Gateway.close()} lets the queue drain before it spills the rest. */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  /**
   * Delivers every call record of a dead-letter file to {@code sink}, in file order, each call id
   * once even when the file holds it several times (the first copy wins), on the calling thread
   * through {@link UsageSink#accept}. A line that cannot be read — the last one torn by a crash
   * mid-write, say — is skipped and counted, and so are records of other types (feedback).
   * Remembers the call ids it has seen (tens of bytes each). Move the file aside before replaying
   * it, so that new spills go to a fresh one; replaying twice delivers everything twice, which a
   * sink idempotent by call id absorbs.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when a line is of a schema newer than {@value
   *     UsageRecordJson#SCHEMA}, naming the line
   * @throws RuntimeException whatever the sink throws; records before it were delivered
   */
  public static Replayed replay(Path deadLetter, UsageSink sink) throws IOException {
    Objects.requireNonNull(deadLetter, "deadLetter");
    Objects.requireNonNull(sink, "sink");
    Set<String> seen = new HashSet<>();
    long delivered = 0;
    long duplicates = 0;
    long skipped = 0;
    long lineNumber = 0;
    try (BufferedReader lines = Files.newBufferedReader(deadLetter, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        UsageRecord record;
        try {
          record = UsageRecordJson.read(line);
        } catch (UsageRecordJson.NewerSchemaException e) {
          throw new IllegalArgumentException("line " + lineNumber + " of " + deadLetter.getFileName()
              + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
          skipped++;
          continue;
        }
        if (record == null) {
          skipped++;
        } else if (!seen.add(record.callId())) {
          duplicates++;
        } else {
          sink.accept(record);
          delivered++;
        }
      }
    }
    return new Replayed(delivered, duplicates, skipped);
  }

  /**
   * What {@link #replay} did.
   *
   * @param delivered records handed to the sink, one per call id
   * @param duplicates records left out because their call id came before
   * @param skipped lines that could not be read (a torn last line) or were not call records
   */
  public record Replayed(long delivered, long duplicates, long skipped) {}

  @Override
  public String toString() {
    if (inline) {
      return "UsageDelivery[inline]";
    }
    return "UsageDelivery[queue " + queueCapacity + ", batch " + batchSize + ", " + overflow
        + (overflow == Overflow.BLOCK ? " " + maxBlock.toMillis() + " ms" : "")
        + ", dead letter " + (deadLetter == null ? "none" : deadLetter.getFileName())
        + ", " + maxRetries + " retries from " + initialBackoff.toMillis() + " ms to "
        + maxBackoff.toMillis() + " ms, delivery timeout " + deliveryTimeout.toMillis()
        + " ms, drain " + drainTimeout.toMillis() + " ms]";
  }

  /**
   * Builds asynchronous delivery. Setters check their argument ({@link IllegalArgumentException});
   * {@link #build()} checks how they fit ({@link IllegalStateException}). Not thread-safe;
   * reusable.
   */
  public static final class Builder {
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration linger = DEFAULT_LINGER;
    private Overflow overflow = Overflow.DROP;
    private Duration maxBlock = Duration.ZERO;
    private @Nullable Path deadLetter;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration deliveryTimeout = DEFAULT_DELIVERY_TIMEOUT;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

    private Builder() {}

    /**
     * The most records waiting for the sink (default {@value
     * UsageDelivery#DEFAULT_QUEUE_CAPACITY}).
     *
     * @throws IllegalArgumentException unless 1 to 10,000,000
     */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1 || capacity > 10_000_000) {
        throw new IllegalArgumentException(
            "queueCapacity must be between 1 and 10,000,000, was " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * The most records per {@link UsageSink#acceptBatch} call (default {@value
     * UsageDelivery#DEFAULT_BATCH_SIZE}).
     *
     * @throws IllegalArgumentException unless 1 to 100,000
     */
    public Builder batchSize(int size) {
      if (size < 1 || size > 100_000) {
        throw new IllegalArgumentException("batchSize must be between 1 and 100,000, was " + size);
      }
      this.batchSize = size;
      return this;
    }

    /**
     * How long the delivery thread waits for a batch to fill before it delivers a smaller one
     * (default 100 ms); zero delivers each record as soon as the thread sees it. Closing the
     * gateway delivers at once.
     *
     * @throws IllegalArgumentException when negative or over a minute
     */
    public Builder linger(Duration linger) {
      Objects.requireNonNull(linger, "linger");
      if (linger.isNegative() || linger.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("linger must be between 0 and 1 minute, was " + linger);
      }
      this.linger = linger;
      return this;
    }

    /** When the queue is full, drop the record and count it (the default). */
    public Builder dropWhenFull() {
      this.overflow = Overflow.DROP;
      this.maxBlock = Duration.ZERO;
      return this;
    }

    /**
     * When the queue is full, wait up to {@code maxBlock} for room, then write the record to the
     * dead-letter file on the caller's thread. Needs {@link #deadLetter(Path)}.
     *
     * @throws IllegalArgumentException when {@code maxBlock} is negative or over a minute
     */
    public Builder blockWhenFull(Duration maxBlock) {
      Objects.requireNonNull(maxBlock, "maxBlock");
      if (maxBlock.isNegative() || maxBlock.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "blockWhenFull's maxBlock must be between 0 and 1 minute, was " + maxBlock);
      }
      this.overflow = Overflow.BLOCK;
      this.maxBlock = maxBlock;
      return this;
    }

    /**
     * The JSON Lines file for records the sink could not take (appended; created with its
     * directories when first needed). One file per sink.
     */
    public Builder deadLetter(Path file) {
      this.deadLetter = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Retries of a batch the sink threw on: {@code maxRetries} more tries, the first after {@code
     * initialBackoff}, doubling up to {@code maxBackoff}, each delay varied by up to a quarter.
     *
     * @throws IllegalArgumentException when {@code maxRetries} is negative or over 100, a delay is
     *     not positive, or {@code initialBackoff} exceeds {@code maxBackoff}
     */
    public Builder retries(int maxRetries, Duration initialBackoff, Duration maxBackoff) {
      if (maxRetries < 0 || maxRetries > 100) {
        throw new IllegalArgumentException("maxRetries must be between 0 and 100, was "
            + maxRetries);
      }
      Checks.positive("initialBackoff", initialBackoff);
      Checks.positive("maxBackoff", maxBackoff);
      if (initialBackoff.compareTo(maxBackoff) > 0) {
        throw new IllegalArgumentException("initialBackoff (" + initialBackoff
            + ") exceeds maxBackoff (" + maxBackoff + ")");
      }
      this.maxRetries = maxRetries;
      this.initialBackoff = initialBackoff;
      this.maxBackoff = maxBackoff;
      return this;
    }

    /**
     * How long one {@link UsageSink#acceptBatch} call may take before its batch counts as failed
     * and is spilled (default 30 s).
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder deliveryTimeout(Duration timeout) {
      this.deliveryTimeout = Checks.positive("deliveryTimeout", timeout);
      return this;
    }

    /**
     * How long {@code Gateway.close()} lets the queue drain before it spills the rest (default
     * 5 s).
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder drainTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("drainTimeout must not be negative, was " + timeout);
      }
      this.drainTimeout = timeout;
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalStateException when {@link Overflow#BLOCK} has no dead-letter file
     */
    public UsageDelivery build() {
      if (overflow == Overflow.BLOCK && deadLetter == null) {
        throw new IllegalStateException("blockWhenFull(" + maxBlock + ") needs a deadLetter(path)"
            + " for the records that find no room in time; or use dropWhenFull()");
      }
      return new UsageDelivery(this, false);
    }
  }
}
