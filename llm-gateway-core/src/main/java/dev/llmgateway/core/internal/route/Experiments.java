package dev.llmgateway.core.internal.route;

import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.health.LatencyHistogram;
import dev.llmgateway.core.route.VariantStats;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The running figures of every A/B variant, and the feedback scores callers attach to calls.
 *
 * <p>{@link #record} adds a metered call to its (alias, variant) aggregate: calls, errors, cache
 * hits, input and output tokens, exact cost, unpriced calls and a {@link LatencyHistogram} of
 * answered, non-cached calls. It also remembers the call so that {@link #feedback} can attach a
 * score to the variant later: calls among the most recent {@value #DEFAULT_MAX_CALLS} the gateway
 * made, each for {@value #DEFAULT_REMEMBER_HOURS} hours after it was recorded. The memory is a
 * ring indexed by the call's sequence number, which the gateway's call ids end with ({@code
 * <prefix>-<sequence in base 36>}, see {@link #sequenceOf}): call {@code n} lives in slot {@code n
 * mod maxCalls} until a later call takes the slot, and feedback finds it there by its id, so
 * remembering a call takes no map, no lock and no trimming; the bound is exact. A call whose id
 * carries no sequence number is counted in its variant but cannot be scored. A forgotten call's
 * score stays in its variant's figures.
 *
 * <p><b>No object per remembered call.</b> A slot is primitive arrays (the sequence number, a
 * 64-bit hash of the call id, the time) and a reference to the variant's aggregate, made on the
 * first call with a variant. Remembering a call used to be an object holding its id: 100,000 of
 * them alive for seconds were copied by every young collection (under 16 callers they doubled the
 * serial collector's pause, {@code results/gc.md}). A recorder claims a slot by setting its
 * sequence to {@link #FILLING}, writes the rest and then publishes the call's sequence; feedback
 * reads the sequence, the rest, then the sequence again, and trusts what it read only when both
 * reads name its call (a sequence lock; sequence numbers are never reused, so a slot cannot hold
 * the same call twice).
 *
 * <p>Thread-safe. {@link #record} takes no lock: counters are {@link LongAdder}s, the histogram
 * is lock-free, the cost is summed with a compare-and-set loop and a slot of the ring keeps the
 * call with the higher sequence number whatever order two calls end in. Aliases and variants come
 * from configuration, so their aggregates are kept for the life of the gateway. {@link #stats}
 * reads each figure exactly, though figures are read one after another while calls may still be
 * recorded.
 */
public final class Experiments {
  /** How many calls are remembered for feedback by default. */
  static final int DEFAULT_MAX_CALLS = 100_000;
  /** How long a call is remembered for feedback by default, in hours. */
  static final int DEFAULT_REMEMBER_HOURS = 24;

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Aggregate>> aliases =
      new ConcurrentHashMap<>();
  private final AtomicLong firstSeen = new AtomicLong();
  /** A slot's sequence while a recorder writes it. */
  private static final long FILLING = -1;
  /** Spins on a slot being filled before yielding the CPU to its filler. */
  private static final int SPINS_BEFORE_YIELD = 64;

  private final int maxCalls;
  /** The ring, made on the first call with a variant; null until then. */
  private volatile @Nullable Slots slots;
  private final LongSupplier nanoTime;
  private final long rememberNanos;
  /** For tests: run by feedback between its reads of the slot's call id hash and the rest. */
  volatile @Nullable Runnable betweenChecks;

  /** Remembers the default number of calls for the default time, by {@link System#nanoTime}. */
  public Experiments() {
    this(System::nanoTime);
  }

  /**
   * Remembers the default number of calls for the default time.
   *
   * @param nanoTime the time source for forgetting calls, like {@link System#nanoTime}
   */
  public Experiments(LongSupplier nanoTime) {
    this(nanoTime, DEFAULT_MAX_CALLS, Duration.ofHours(DEFAULT_REMEMBER_HOURS));
  }

  /**
   * Remembers at most {@code maxCalls} calls for {@code rememberFor}.
   *
   * @param nanoTime the time source for forgetting calls, like {@link System#nanoTime}
   * @param maxCalls how many of the most recent calls to remember (by sequence number), at least 1
   * @param rememberFor how long after it was recorded a call can be scored, positive
   */
  public Experiments(LongSupplier nanoTime, int maxCalls, Duration rememberFor) {
    if (maxCalls < 1) {
      throw new IllegalArgumentException("maxCalls must be at least 1, was " + maxCalls);
    }
    if (rememberFor.isNegative() || rememberFor.isZero()) {
      throw new IllegalArgumentException("rememberFor must be positive, was " + rememberFor);
    }
    this.nanoTime = nanoTime;
    this.maxCalls = maxCalls;
    this.rememberNanos = rememberFor.toNanos();
  }

  /**
   * Adds a metered call to the figures of its variant and remembers it for feedback. Call once
   * per call; a record without a variant is ignored.
   *
   * @param record the call's usage record
   * @param alias the alias whose split holds the record's variant
   */
  public void record(UsageRecord record, String alias) {
    String variant = record.variant();
    if (variant == null) {
      return;
    }
    Aggregate aggregate = aggregate(alias, variant);
    aggregate.add(record);
    String callId = record.callId();
    long sequence = sequenceOf(callId);
    if (sequence < 0) {
      return; // not a gateway's call id: counted, not scorable
    }
    Slots ring = ring();
    int slot = slotOf(sequence);
    long mine = sequence + 1; // 0 is an empty slot
    for (int spins = 0; ; spins++) {
      long there = ring.sequences.get(slot);
      if (there == FILLING) {
        // another recorder, maxCalls calls apart, is between its claim and its publish
        if (spins >= SPINS_BEFORE_YIELD) {
          Thread.yield();
        } else {
          Thread.onSpinWait();
        }
        continue;
      }
      if (there >= mine) {
        return; // a later call (or this one) has the slot
      }
      if (ring.sequences.compareAndSet(slot, there, FILLING)) {
        break;
      }
    }
    ring.idHashes[slot] = hash(callId);
    ring.recordedAt[slot] = nanoTime.getAsLong();
    ring.aggregates[slot] = aggregate;
    ring.sequences.set(slot, mine); // publishes the writes above
  }

  /** The ring, made once. */
  private Slots ring() {
    Slots ring = slots;
    if (ring == null) {
      synchronized (this) {
        ring = slots;
        if (ring == null) {
          ring = new Slots(maxCalls);
          slots = ring;
        }
      }
    }
    return ring;
  }

  /** A 64-bit FNV-1a hash of the call id's characters: tells calls of two gateways apart. */
  static long hash(String callId) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < callId.length(); i++) {
      h ^= callId.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /**
   * The sequence number a gateway's call id ends with: the base-36 digits after its last {@code
   * '-'} (at most 12, lower case); -1 when there are none.
   */
  public static long sequenceOf(String callId) {
    int dash = callId.lastIndexOf('-');
    int digits = callId.length() - dash - 1;
    if (dash < 0 || digits < 1 || digits > 12) {
      return -1;
    }
    long n = 0;
    for (int i = dash + 1; i < callId.length(); i++) {
      char c = callId.charAt(i);
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'z') {
        d = c - 'a' + 10;
      } else {
        return -1;
      }
      n = n * 36 + d;
    }
    return n;
  }

  private int slotOf(long sequence) {
    return (int) (sequence % maxCalls);
  }

  /**
   * Attaches a score to a remembered call's variant; a later score for the same call replaces
   * the earlier one.
   *
   * @param callId the call's id, as in its usage record
   * @param score any finite number; its meaning (thumbs up = 1, a rating, ...) is the caller's
   * @return false when the call is unknown: it had no variant, was never recorded, or is no
   *     longer remembered
   * @throws IllegalArgumentException if the score is NaN or infinite
   */
  public boolean feedback(String callId, double score) {
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("score must be a finite number, was " + score);
    }
    long sequence = sequenceOf(callId);
    Slots ring = slots;
    if (sequence < 0 || ring == null) {
      return false;
    }
    int slot = slotOf(sequence);
    long mine = sequence + 1;
    if (ring.sequences.get(slot) != mine) {
      return false;
    }
    long idHash = ring.idHashes[slot];
    Runnable hook = betweenChecks;
    if (hook != null) {
      hook.run();
    }
    long recordedAt = ring.recordedAt[slot];
    Aggregate aggregate = ring.aggregates[slot];
    VarHandle.loadLoadFence(); // the reads above before the check below
    if (ring.sequences.get(slot) != mine || aggregate == null || idHash != hash(callId)
        || expired(recordedAt, nanoTime.getAsLong())) {
      return false; // taken by a later call meanwhile, another gateway's call, or expired
    }
    synchronized (ring) { // feedback is rare: one monitor keeps a call's score and its tag together
      if (ring.sequences.get(slot) != mine) {
        return false; // taken meanwhile: its tag may now be a later call's, which this must keep
      }
      double previous = ring.scoredSequences[slot] == sequence ? ring.scores[slot] : Double.NaN;
      ring.scoredSequences[slot] = sequence;
      ring.scores[slot] = score;
      aggregate.score(Double.isNaN(previous) ? null : previous, score);
    }
    return true;
  }

  private boolean expired(long recordedAt, long now) {
    return now - recordedAt >= rememberNanos;
  }

  /**
   * The figures of each variant of an alias's split, in the order the variants were first
   * recorded; an empty list for an alias with no recorded calls.
   */
  public List<VariantStats> stats(String alias) {
    Map<String, Aggregate> variants = aliases.get(alias);
    if (variants == null) {
      return List.of();
    }
    List<Aggregate> ordered = new ArrayList<>(variants.values());
    ordered.sort(Comparator.comparingLong(a -> a.firstSeen));
    List<VariantStats> stats = new ArrayList<>(ordered.size());
    for (Aggregate aggregate : ordered) {
      stats.add(aggregate.stats(alias));
    }
    return List.copyOf(stats);
  }

  /** Forgets the calls past their time now (otherwise they go when their slot is reused). */
  public void cleanUp() {
    Slots ring = slots;
    if (ring == null) {
      return;
    }
    long now = nanoTime.getAsLong();
    for (int i = 0; i < maxCalls; i++) {
      long there = ring.sequences.get(i);
      if (there > 0) {
        long recordedAt = ring.recordedAt[i];
        VarHandle.loadLoadFence();
        if (expired(recordedAt, now)) {
          ring.sequences.compareAndSet(i, there, 0); // unless a later call took it meanwhile
        }
      }
    }
  }

  /** How many calls are remembered (expired ones count until {@link #cleanUp}). */
  public long rememberedCalls() {
    Slots ring = slots;
    long n = 0;
    for (int i = 0; ring != null && i < maxCalls; i++) {
      if (ring.sequences.get(i) != 0) {
        n++;
      }
    }
    return n;
  }

  private Aggregate aggregate(String alias, String variant) {
    ConcurrentHashMap<String, Aggregate> variants = aliases.get(alias);
    if (variants == null) {
      variants = aliases.computeIfAbsent(alias, a -> new ConcurrentHashMap<>());
    }
    Aggregate aggregate = variants.get(variant);
    if (aggregate == null) {
      aggregate = variants.computeIfAbsent(variant,
          v -> new Aggregate(v, firstSeen.getAndIncrement()));
    }
    return aggregate;
  }

  /**
   * The ring: slot {@code n mod maxCalls} holds the latest recorded call with sequence number n.
   * A slot's sequence is its call's plus one, 0 when empty, {@link #FILLING} while written; the
   * plain arrays are written only by the recorder that claimed the slot and read under the
   * sequence check. The scores are guarded by this object: slot i's score belongs to the call
   * {@code scoredSequences[i]} (-1: none), so a later call in the slot has none without a reset.
   */
  private static final class Slots {
    final AtomicLongArray sequences;
    final long[] idHashes;
    final long[] recordedAt;
    final @Nullable Aggregate[] aggregates;
    final long[] scoredSequences;
    final double[] scores;

    Slots(int n) {
      sequences = new AtomicLongArray(n);
      idHashes = new long[n];
      recordedAt = new long[n];
      aggregates = new Aggregate[n];
      scoredSequences = new long[n];
      Arrays.fill(scoredSequences, -1);
      scores = new double[n];
    }
  }

  /** The figures of one variant. Thread-safe; recording is lock-free. */
  private static final class Aggregate {
    private static final int COST_STRIPES = 8;
    private final String variant;
    private final long firstSeen;
    private final LongAdder calls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder inputTokens = new LongAdder();
    private final LongAdder outputTokens = new LongAdder();
    private final LongAdder unpricedCalls = new LongAdder();
    /**
     * The exact cost, summed in {@value #COST_STRIPES} cells picked by thread id and added up when
     * read: callers of one variant do not all compare-and-set one reference (a retry per lost race,
     * each a new sum).
     */
    private final AtomicReferenceArray<BigDecimal> cost = zeros();
    private final LatencyHistogram latency = new LatencyHistogram();
    /** The exact sum of the scores ({@code new BigDecimal(double)} is exact); guarded by this. */
    private BigDecimal scoreSum = BigDecimal.ZERO;
    /** Guarded by this. */
    private long scores;

    public Aggregate(String variant, long firstSeen) {
      this.variant = variant;
      this.firstSeen = firstSeen;
    }

    public void add(UsageRecord record) {
      calls.increment();
      if (record.outcome() == UsageRecord.Outcome.FAILED
          || record.outcome() == UsageRecord.Outcome.STREAM_FAILED) {
        errors.increment();
      }
      if (record.cacheHit()) {
        cacheHits.increment();
      } else if (record.outcome() == UsageRecord.Outcome.SUCCEEDED) {
        latency.record(record.latency());
      }
      inputTokens.add(record.usage().inputTokens());
      outputTokens.add(record.usage().outputTokens());
      BigDecimal price = record.cost();
      if (price != null) {
        if (price.signum() != 0) {
          int cell = (int) (Thread.currentThread().getId() & (COST_STRIPES - 1));
          cost.accumulateAndGet(cell, price, BigDecimal::add);
        }
      } else if (!record.cacheHit()) {
        unpricedCalls.increment();
      }
    }

    private static AtomicReferenceArray<BigDecimal> zeros() {
      AtomicReferenceArray<BigDecimal> cells = new AtomicReferenceArray<>(COST_STRIPES);
      for (int i = 0; i < COST_STRIPES; i++) {
        cells.set(i, BigDecimal.ZERO);
      }
      return cells;
    }

    /** The cells' sum. */
    private BigDecimal cost() {
      BigDecimal sum = cost.get(0);
      for (int i = 1; i < COST_STRIPES; i++) {
        BigDecimal c = cost.get(i);
        if (c.signum() != 0) {
          sum = sum.add(c);
        }
      }
      return sum;
    }

    /** Adds a call's score, or replaces its previous one. */
    public synchronized void score(@Nullable Double previous, double score) {
      if (previous == null) {
        scores++;
      } else {
        scoreSum = scoreSum.subtract(new BigDecimal(previous));
      }
      scoreSum = scoreSum.add(new BigDecimal(score));
    }

    public VariantStats stats(String alias) {
      LatencyHistogram.Snapshot latencies = latency.snapshot();
      long scoreCount;
      @Nullable Double meanScore;
      synchronized (this) {
        scoreCount = scores;
        meanScore = scores == 0 ? null
            : scoreSum.divide(BigDecimal.valueOf(scores), MathContext.DECIMAL128).doubleValue();
      }
      return new VariantStats(alias, variant, calls.sum(), errors.sum(), cacheHits.sum(),
          latencies.percentile(50), latencies.percentile(95), latencies.percentile(99),
          inputTokens.sum(), outputTokens.sum(), cost(), unpricedCalls.sum(), scoreCount,
          meanScore);
    }
  }
}
