package dev.llmgateway.core.budget;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link BudgetStore}: counters and reservations in this JVM's memory, for a gateway
 * that runs in one process (several gateways of one process may share it). It can write its state
 * to a file ({@link #snapshot(Path)}) and start from one ({@link Builder#restore(Path)}), e.g.
 * around a restart.
 *
 * <p><b>No locks.</b> Each counter's figures (spent, reserved, marks) are one immutable value
 * replaced by compare-and-set, so no caller holds anything another waits on, and a caller the
 * scheduler preempts blocks no one. A reservation over a call's counters (at most one per budget
 * that applies to it: its org's, team's, project's and key's) claims its amount on each in turn,
 * each claim exact against that counter's limit, and gives back what it claimed when a later one
 * refuses: all or nothing, never past a limit; a concurrent call may see an amount that is then
 * given back for a moment (stricter, never looser). Settling charges and frees each counter on its
 * own. Reservations and settled call ids live in a {@link ConcurrentHashMap}, the settled ids also
 * in a queue in the order they settled (appending and forgetting the oldest are O(1)); the store
 * keeps no index of the leases' ends, only a time no later than the earliest: when an operation
 * finds that time passed, one thread sweeps the map for the reservations whose leases ended (about
 * once per lease period under steady traffic), so a call adds no entry to a time-ordered index.
 * Every operation looks at the queue's head and that time first (the lazy expiry of leases and
 * memories: no thread of its own); a lease that ends while another thread sweeps is released by a
 * later operation.
 *
 * <p><b>Memory is bounded.</b> Counters: at most {@link Builder#maxCounters(int)} (100,000 by
 * default, about 200 bytes each); a counter whose period ended more than {@link
 * Builder#keepEndedPeriods(Duration)} ago (7 days by default) and holds no reservation is dropped
 * when room is needed and when the counters are listed; a reservation that would need a new counter
 * past the bound fails with a {@link BudgetStoreException}. Reservations: one per call in flight,
 * dropped when the call settles or its lease expires. Settled call ids: each is remembered until
 * the later of its lease's end and {@link Builder#settledIdMemory(Duration)} (15 minutes by
 * default) after it settled, then dropped, and at most {@link Builder#maxSettledIds(int)} of them
 * (10,000 by default, about 2 MB at about 200 bytes each): past that the oldest are forgotten
 * first, so memory is bounded by time and by count (at 10 calls a second the time bounds it; at
 * 10,000 a second the count does, a second of ids — the time alone would hold 1.8 GB). A settle
 * repeated after that many newer calls settled would charge again; the gateway settles each call
 * once, in this JVM, so only a store across a network needs the memory for retries. The default
 * was 100,000: those ids (about 20 MB of small objects living seconds each) were copied by every
 * young collection until they died or were promoted, and made the serial collector's young
 * pauses under the load runner's 16 callers 45–75 ms where 10,000 ids make them 18–38 ms
 * (2.1–5.1 µs of the collector's CPU per call against 1.1–1.6); a gateway that shares this store
 * with callers which repeat settles over longer gaps raises it with {@link
 * Builder#maxSettledIds(int)}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryBudgetStore implements BudgetStore {
  /** The default of {@link Builder#maxCounters(int)}. */
  public static final int DEFAULT_MAX_COUNTERS = 100_000;
  /** The default of {@link Builder#maxSettledIds(int)}. */
  public static final int DEFAULT_MAX_SETTLED_IDS = 10_000;
  /** The default of {@link Builder#settledIdMemory(Duration)}. */
  public static final Duration DEFAULT_SETTLED_ID_MEMORY = Duration.ofMinutes(15);
  /** The default of {@link Builder#keepEndedPeriods(Duration)}. */
  public static final Duration DEFAULT_KEEP_ENDED_PERIODS = Duration.ofDays(7);
  /** The default of {@link Builder#maxSnapshotBytes(long)}: 64 MiB. */
  public static final long DEFAULT_MAX_SNAPSHOT_BYTES = 64L << 20;

  /** The most counters one reservation may span. */
  static final int MAX_COUNTERS_PER_CALL = 16;

  private static final Comparator<BudgetCounter> ORDER = Comparator
      .comparing(BudgetCounter::tenant)
      .thenComparing(BudgetCounter::budget)
      .thenComparing(BudgetCounter::scope)
      .thenComparing(BudgetCounter::id)
      .thenComparing(BudgetCounter::periodStart);

  private final int maxCounters;
  private final Duration settledIdMemory;
  /** {@link #settledIdMemory} in whole seconds and the nanoseconds left over. */
  private final long memorySeconds;
  private final int memoryNanos;
  private final Duration keepEndedPeriods;
  private final long maxSnapshotBytes;
  private final ConcurrentHashMap<BudgetCounter, Counter> counters = new ConcurrentHashMap<>();
  /** Per call id: its {@link Hold} while it is in flight, then {@link Done} for a while. */
  private final ConcurrentHashMap<String, Object> calls = new ConcurrentHashMap<>();
  /**
   * No later than the earliest lease of a hold in {@link #calls} ({@link #NEVER} for none): when
   * the time reaches it, one thread sweeps the calls for the holds whose leases ended, instead of
   * keeping every hold in a time-ordered index (an entry made and removed per call). A hold lowers
   * it when made; a settled hold leaves it early, which costs one sweep that finds nothing.
   */
  private final AtomicReference<Instant> earliestLease = new AtomicReference<>(NEVER);
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private static final Instant NEVER = Instant.MAX;
  /**
   * The {@link Done} entries of {@link #calls} in the order they settled, which is the order their
   * memory ends in but for a lease that outlives it (that id is then forgotten a little later than
   * it could be, never sooner): forgetting takes the head, appending is O(1).
   */
  private final ConcurrentLinkedQueue<Done> settled = new ConcurrentLinkedQueue<>();
  /** How many {@link Done} entries {@link #calls} holds; at most {@link #maxSettledIds} at rest. */
  private final AtomicInteger settledIds = new AtomicInteger();
  /** Held by the one thread forgetting settled ids whose memory ended; the others go on. */
  private final AtomicBoolean expiring = new AtomicBoolean();
  private final int maxSettledIds;

  private InMemoryBudgetStore(Builder b) {
    this.maxCounters = b.maxCounters;
    this.maxSettledIds = b.maxSettledIds;
    this.settledIdMemory = b.settledIdMemory;
    this.memorySeconds = b.settledIdMemory.getSeconds();
    this.memoryNanos = b.settledIdMemory.getNano();
    this.keepEndedPeriods = b.keepEndedPeriods;
    this.maxSnapshotBytes = b.maxSnapshotBytes;
  }

  /** A store with the default bounds, empty. */
  public static InMemoryBudgetStore create() {
    return builder().build();
  }

  /** A builder of a store with the default bounds. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One counter's figures at one moment; a counter's figures change only by replacing them whole
   * with a compare-and-set, so every reader sees them consistent.
   *
   * @param removed dropped from the map: whoever finds it so must look the counter up again
   */
  record Figures(long spent, long reserved, int marks, boolean removed) {
    static final Figures ZERO = new Figures(0, 0, 0, false);
  }

  /** One counter: its key and its current {@link Figures}. Lock-free. */
  static final class Counter {
    private static final VarHandle FIGURES;

    static {
      try {
        FIGURES = MethodHandles.lookup().findVarHandle(Counter.class, "figures", Figures.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final BudgetCounter key;
    private volatile Figures figures;

    Counter(BudgetCounter key) {
      this(key, Figures.ZERO);
    }

    Counter(BudgetCounter key, Figures figures) {
      this.key = key;
      this.figures = figures;
    }

    Figures figures() {
      return figures;
    }

    boolean replace(Figures from, Figures to) {
      return FIGURES.compareAndSet(this, from, to);
    }

    BudgetBalance balance(Figures f) {
      return new BudgetBalance(key, f.spent(), f.reserved(), f.marks());
    }

    /**
     * Adds {@code amount} to the reserved figure when spent + reserved + amount stays within
     * {@code limit}: {@link #GRANTED}, {@link #RETRY} (removed), or the refusing balance.
     */
    Object claim(long amount, long limit) {
      for (;;) {
        Figures f = figures;
        if (f.removed()) {
          return RETRY;
        }
        if (add(add(f.spent(), f.reserved()), amount) > limit) {
          return balance(f);
        }
        if (replace(f, new Figures(f.spent(), add(f.reserved(), amount), f.marks(), false))) {
          return GRANTED;
        }
      }
    }

    /**
     * Adds {@code spend} to the spent figure and takes {@code free} off the reserved one (at
     * least 0); false when the counter was removed (then nothing changed).
     */
    boolean charge(long spend, long free) {
      for (;;) {
        Figures f = figures;
        if (f.removed()) {
          return false;
        }
        if (replace(f, new Figures(add(f.spent(), spend), Math.max(0, f.reserved() - free),
            f.marks(), false))) {
          return true;
        }
      }
    }
  }

  /** A call's reservation: the same amount on each of its counters. Immutable. */
  static final class Hold {
    final List<BudgetCounter> counters;
    final long amount;
    final Instant leaseUntil;

    Hold(List<BudgetCounter> counters, long amount, Instant leaseUntil) {
      this.counters = counters;
      this.amount = amount;
      this.leaseUntil = leaseUntil;
    }
  }

  /**
   * A call that settled (or was released): repeats change nothing until its memory ends, {@code
   * from} plus the settled-id memory when {@code plusMemory}, else {@code from} itself (a lease
   * that ends later, or a snapshot's time). The instant the call settled at is kept as it came,
   * not a sum made per settle.
   */
  static final class Done {
    final String callId;
    final Instant from;
    final boolean plusMemory;

    Done(String callId, Instant from, boolean plusMemory) {
      this.callId = callId;
      this.from = from;
      this.plusMemory = plusMemory;
    }
  }

  /** When {@code d}'s memory ends. */
  private Instant until(Done d) {
    return d.plusMemory ? d.from.plus(settledIdMemory) : d.from;
  }

  /** Whether {@code d}'s memory has ended at {@code now}, without making an instant. */
  private boolean ended(Done d, Instant now) {
    return d.plusMemory ? memoryEndsBy(d.from, now) : !d.from.isAfter(now);
  }

  /** Whether {@code from} plus the settled-id memory is at or before {@code t}. */
  private boolean memoryEndsBy(Instant from, Instant t) {
    long seconds = from.getEpochSecond() + memorySeconds;
    if (seconds < from.getEpochSecond()) {
      return false; // past every instant
    }
    int nanos = from.getNano() + memoryNanos;
    if (nanos >= 1_000_000_000) {
      seconds++;
      nanos -= 1_000_000_000;
    }
    return seconds < t.getEpochSecond() || seconds == t.getEpochSecond() && nanos <= t.getNano();
  }

  /** Lowers {@link #earliestLease} to {@code lease} when that is earlier. */
  private void leaseEnds(Instant lease) {
    for (;;) {
      Instant e = earliestLease.get();
      if (!lease.isBefore(e) || earliestLease.compareAndSet(e, lease)) {
        return;
      }
    }
  }

  @Override
  public List<BudgetBalance> balances(List<BudgetCounter> keys, Instant now) {
    Objects.requireNonNull(now, "now");
    expire(now);
    if (keys.size() == 1) { // one budget, as a rule: no array
      return List.of(balance(Objects.requireNonNull(keys.get(0), "counter")));
    }
    BudgetBalance[] out = new BudgetBalance[keys.size()];
    for (int i = 0; i < out.length; i++) { // indexed: no iterator per call
      out[i] = balance(Objects.requireNonNull(keys.get(i), "counter"));
    }
    return Arrays.asList(out);
  }

  private BudgetBalance balance(BudgetCounter key) {
    Counter c = counters.get(key);
    return c == null ? BudgetBalance.empty(key) : c.balance(c.figures());
  }

  @Override
  public @Nullable BudgetBalance reserve(String callId, List<Cap> caps, long amountNanos,
      Instant leaseUntil, Instant now) {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    Objects.requireNonNull(now, "now");
    if (amountNanos < 0) {
      throw new IllegalArgumentException("a reservation is at least 0, was " + amountNanos);
    }
    Cap only = caps.size() == 1 ? Objects.requireNonNull(caps.get(0), "cap") : null;
    Cap[] sorted = only == null ? sortedCaps(caps) : null;
    expire(now);
    if (calls.get(callId) instanceof Done) {
      return null; // the call has ended: nothing more to hold
    }
    List<BudgetCounter> keys; // this store's own, never changed
    if (only != null) { // one budget, as a rule: no arrays
      for (;;) {
        Object outcome = counter(only.counter(), now).claim(amountNanos, only.limitNanos());
        if (outcome == GRANTED) {
          break;
        }
        if (outcome instanceof BudgetBalance refused) {
          return refused;
        }
      }
      keys = List.of(only.counter());
    } else {
      BudgetBalance refused = claimAll(Objects.requireNonNull(sorted), amountNanos, now);
      if (refused != null) {
        return refused;
      }
      BudgetCounter[] sortedKeys = new BudgetCounter[sorted.length];
      for (int i = 0; i < sorted.length; i++) {
        sortedKeys[i] = sorted[i].counter();
      }
      keys = Arrays.asList(sortedKeys);
    }
    hold(callId, keys, amountNanos, leaseUntil);
    return null;
  }

  /**
   * Claims {@code amount} on every counter of {@code sorted}, all or nothing; the balance of the
   * counter that refused, or null when all took it.
   */
  private @Nullable BudgetBalance claimAll(Cap[] sorted, long amount, Instant now) {
    for (;;) {
      Counter[] held = new Counter[sorted.length];
      for (int i = 0; i < held.length; i++) {
        held[i] = counter(sorted[i].counter(), now);
      }
      Object outcome = GRANTED;
      int claimed = 0;
      while (claimed < held.length && outcome == GRANTED) {
        outcome = held[claimed].claim(amount, sorted[claimed].limitNanos());
        claimed += outcome == GRANTED ? 1 : 0;
      }
      if (outcome == GRANTED) {
        return null;
      }
      for (int i = 0; i < claimed; i++) {
        held[i].charge(0, amount); // all or nothing: give back what was claimed
      }
      if (outcome instanceof BudgetBalance refused) {
        return refused;
      }
    }
  }


  /** Records (or extends) the call's hold after its counters took the amount. */
  private void hold(String callId, List<BudgetCounter> keys, long amount, Instant leaseUntil) {
    if (calls.putIfAbsent(callId, new Hold(keys, amount, leaseUntil)) == null) {
      leaseEnds(leaseUntil); // after the hold is in: a sweep that missed it is not yet done
      return; // the call's first reservation, as a rule
    }
    Object now = calls.compute(callId, (id, previous) -> {
      if (previous instanceof Done) {
        return previous;
      }
      if (previous instanceof Hold h) {
        if (!h.counters.equals(keys)) {
          throw new IllegalArgumentException("call " + id + " reserved on other counters before:"
              + " a call keeps its counters");
        }
        boolean longer = leaseUntil.isAfter(h.leaseUntil);
        return new Hold(keys, add(h.amount, amount), longer ? leaseUntil : h.leaseUntil);
      }
      return new Hold(keys, amount, leaseUntil);
    });
    if (now instanceof Hold h) {
      leaseEnds(h.leaseUntil);
    } else {
      take(keys, amount); // it settled meanwhile: give back what was just added
    }
  }

  @Override
  public List<BudgetBalance> settle(String callId, List<BudgetCounter> keys, long actualNanos,
      Instant now) {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(now, "now");
    if (actualNanos < 0) {
      throw new IllegalArgumentException("a cost is at least 0, was " + actualNanos);
    }
    if (keys.size() > MAX_COUNTERS_PER_CALL) {
      throw new IllegalArgumentException("a call has at most " + MAX_COUNTERS_PER_CALL
          + " counters, was " + keys.size());
    }
    expire(now);
    Object previous;
    Done after;
    for (;;) { // compare-and-set on the call's entry: no lambda, no holder per settle
      previous = calls.get(callId);
      if (previous instanceof Done) {
        return balances(keys, now); // a repeat: charged once
      }
      // remembered until the later of now plus the memory and the call's lease
      after = previous instanceof Hold h && memoryEndsBy(now, h.leaseUntil)
          ? new Done(callId, h.leaseUntil, false) : new Done(callId, now, true);
      if (previous == null ? calls.putIfAbsent(callId, after) == null
          : calls.replace(callId, previous, after)) {
        break;
      }
    }
    settled.offer(after);
    if (settledIds.incrementAndGet() > maxSettledIds) {
      forgetOldestSettled();
    }
    Hold hold = previous instanceof Hold h ? h : null;
    for (int i = 0; i < keys.size(); i++) {
      BudgetCounter key = Objects.requireNonNull(keys.get(i), "counter");
      if (!namedBefore(keys, i)) { // a key named twice is charged once
        charge(key, actualNanos, hold != null && hold.counters.contains(key) ? hold.amount : 0);
      }
    }
    if (hold != null) {
      for (BudgetCounter key : hold.counters) {
        if (!keys.contains(key)) {
          charge(key, 0, hold.amount); // a counter the call reserved on but is not charged to
        }
      }
    }
    return balances(keys, now);
  }

  @Override
  public int mark(BudgetCounter key, int bits, Instant now) {
    Objects.requireNonNull(key, "counter");
    for (;;) {
      Counter c = counter(key, now);
      Figures f = c.figures();
      if (f.removed()) {
        continue;
      }
      int newly = bits & ~f.marks();
      if (newly == 0
          || c.replace(f, new Figures(f.spent(), f.reserved(), f.marks() | bits, false))) {
        return newly;
      }
    }
  }

  @Override
  public List<BudgetBalance> list(Instant now) {
    Objects.requireNonNull(now, "now");
    expire(now);
    evictEnded(now);
    List<BudgetBalance> out = new ArrayList<>(counters.size());
    for (Counter c : counters.values()) {
      Figures f = c.figures();
      if (!f.removed()) {
        out.add(c.balance(f));
      }
    }
    return out;
  }

  /** How many counters the store holds now. */
  public int counterCount() {
    return counters.size();
  }

  /** How many call ids the store holds now: reservations in flight and settled calls remembered. */
  public int callIdCount() {
    return calls.size();
  }

  /**
   * Writes the store's counters, reservations and remembered call ids to {@code file} (JSON Lines,
   * versioned; written to a temporary file beside it, then moved over it). Taken while calls run,
   * each counter is read consistently but not all at one instant; reservations come back on restore
   * as they were written, and their counters' reserved figures are recomputed from them. Take it
   * with no calls in flight (e.g. after the gateway closed) for an exact copy.
   *
   * @param file where to write
   * @throws IOException if the file cannot be written
   */
  public void snapshot(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    List<SnapshotFile.CounterLine> counterLines = new ArrayList<>();
    Map<BudgetCounter, Integer> index = new java.util.HashMap<>();
    for (Counter c : counters.values()) {
      Figures f = c.figures();
      if (!f.removed()) {
        index.put(c.key, counterLines.size());
        counterLines.add(new SnapshotFile.CounterLine(c.key, f.spent(), f.marks()));
      }
    }
    List<SnapshotFile.HoldLine> holds = new ArrayList<>();
    List<SnapshotFile.SettledLine> settledLines = new ArrayList<>();
    for (Map.Entry<String, Object> e : calls.entrySet()) {
      if (e.getValue() instanceof Hold h) {
        for (BudgetCounter k : h.counters) {
          if (!index.containsKey(k)) {
            index.put(k, counterLines.size());
            counterLines.add(new SnapshotFile.CounterLine(k, 0, 0));
          }
        }
        holds.add(new SnapshotFile.HoldLine(e.getKey(), h.counters, h.amount, h.leaseUntil));
      } else if (e.getValue() instanceof Done d) {
        settledLines.add(new SnapshotFile.SettledLine(e.getKey(), until(d)));
      }
    }
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      SnapshotFile.write(temp, counterLines, index, holds, settledLines);
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Loads a snapshot's state into this (new, empty) store. */
  private InMemoryBudgetStore load(SnapshotFile.Contents contents) {
    for (SnapshotFile.CounterLine line : contents.counters()) {
      counters.put(line.counter(), new Counter(line.counter(),
          new Figures(line.spent(), 0, line.marks(), false)));
    }
    for (SnapshotFile.HoldLine line : contents.holds()) {
      for (BudgetCounter k : line.counters()) {
        Counter c = counters.get(k);
        Figures f = c.figures();
        c.replace(f, new Figures(f.spent(), add(f.reserved(), line.amount()), f.marks(), false));
      }
      calls.put(line.callId(), new Hold(line.counters(), line.amount(), line.leaseUntil()));
      leaseEnds(line.leaseUntil());
    }
    List<SnapshotFile.SettledLine> lines = new ArrayList<>(contents.settled());
    lines.sort(Comparator.comparing(SnapshotFile.SettledLine::until));
    for (SnapshotFile.SettledLine line : lines) {
      Done d = new Done(line.callId(), line.until(), false);
      calls.put(line.callId(), d);
      settled.offer(d);
      settledIds.incrementAndGet();
    }
    forgetOldestSettled(); // a snapshot of a store with a higher bound: keep the newest
    return this;
  }

  /**
   * Forgets the oldest settled ids until at most {@link #maxSettledIds} remain. Each forget is
   * claimed on the count first, so threads racing here never forget more than the excess.
   */
  private void forgetOldestSettled() {
    for (;;) {
      int n = settledIds.get();
      if (n <= maxSettledIds) {
        return;
      }
      if (settledIds.compareAndSet(n, n - 1)) {
        Done d = settled.poll();
        if (d == null) {
          settledIds.incrementAndGet(); // nothing left to forget: the count stays true
          return;
        }
        calls.remove(d.callId, d);
      }
    }
  }

  /** How many settled call ids the store remembers now, by its count; for tests. */
  int settledIdCount() {
    return settledIds.get();
  }

  /** How many settled call ids the store holds now, counted one by one; for tests. */
  int settledIdsHeld() {
    int n = 0;
    for (Object entry : calls.values()) {
      n += entry instanceof Done ? 1 : 0;
    }
    return n;
  }

  /** Frees the holds whose leases have ended and forgets settled ids whose memory has. */
  private void expire(Instant now) {
    Done head = settled.peek();
    if (head != null && ended(head, now) && expiring.compareAndSet(false, true)) {
      try {
        for (Done d = head; d != null && ended(d, now); d = settled.peek()) {
          // d, unless the count bound took it first: then the oldest left, which the bound at
          // work forgets at the next settle anyway (a poll: removing d by value would search
          // the whole queue once another thread had taken it)
          Done taken = settled.poll();
          if (taken != null) {
            calls.remove(taken.callId, taken);
            settledIds.decrementAndGet();
          }
        }
      } finally {
        expiring.set(false);
      }
    }
    if (earliestLease.get().isAfter(now) || !sweeping.compareAndSet(false, true)) {
      return; // no lease ended, or another thread sweeps (the next operation sweeps again)
    }
    try {
      // first, read and reset at once: a hold that lowered it before is in the map for the
      // walk below to see; one made from here on lowers it again
      earliestLease.getAndSet(NEVER);
      Instant next = NEVER;
      for (Map.Entry<String, Object> e : calls.entrySet()) {
        if (e.getValue() instanceof Hold h) {
          if (!h.leaseUntil.isAfter(now)) {
            if (calls.remove(e.getKey(), h)) {
              take(h.counters, h.amount);
            }
          } else if (h.leaseUntil.isBefore(next)) {
            next = h.leaseUntil;
          }
        }
      }
      leaseEnds(next);
    } finally {
      sweeping.set(false);
    }
  }

  /** Takes {@code amount} off the reserved figure of each counter. */
  private void take(List<BudgetCounter> keys, long amount) {
    for (BudgetCounter key : keys) {
      charge(key, 0, amount);
    }
  }

  /**
   * Charges {@code spend} to the counter of {@code key} and frees {@code free} of its reserved
   * figure; a counter removed meanwhile (its period ended, nothing reserved) is looked up again.
   */
  private void charge(BudgetCounter key, long spend, long free) {
    for (;;) {
      Counter c = counters.get(key);
      if (c == null) {
        if (spend == 0) {
          return; // nothing to free on a counter that holds nothing
        }
        c = counter(key, null);
      }
      if (c.charge(spend, free)) {
        return;
      }
      counters.remove(key, c);
    }
  }

  /** The counter of {@code key}, made when missing; {@code now} null: no bound check. */
  private Counter counter(BudgetCounter key, @Nullable Instant now) {
    Counter c = counters.get(key);
    if (c == null) {
      if (now != null && counters.size() >= maxCounters) {
        evictEnded(now);
        if (counters.size() >= maxCounters) {
          throw new BudgetStoreException("the in-memory budget store holds its most counters ("
              + maxCounters + "); raise InMemoryBudgetStore.builder().maxCounters(...) or"
              + " shorten keepEndedPeriods(...)", null);
        }
      }
      c = counters.computeIfAbsent(key, Counter::new);
    }
    return c;
  }


  /** Drops counters whose period ended more than keepEndedPeriods ago and that hold nothing. */
  private void evictEnded(Instant now) {
    Instant cutoff = now.minus(keepEndedPeriods);
    for (Counter c : counters.values()) {
      if (c.key.periodEnd().isAfter(cutoff)) {
        continue;
      }
      Figures f = c.figures();
      if (!f.removed() && f.reserved() == 0
          && c.replace(f, new Figures(f.spent(), 0, f.marks(), true))) {
        counters.remove(c.key, c);
      }
    }
  }

  private static final Object RETRY = new Object();
  private static final Object GRANTED = new Object();

  private static final Comparator<Cap> CAP_ORDER = Comparator.comparing(Cap::counter, ORDER);

  private static Cap[] sortedCaps(List<Cap> caps) {
    Objects.requireNonNull(caps, "caps");
    if (caps.isEmpty() || caps.size() > MAX_COUNTERS_PER_CALL) {
      throw new IllegalArgumentException("a reservation spans 1 to " + MAX_COUNTERS_PER_CALL
          + " counters, was " + caps.size());
    }
    Cap[] sorted = caps.toArray(new Cap[caps.size()]);
    if (sorted.length > 1) {
      Arrays.sort(sorted, CAP_ORDER);
    }
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i].counter().equals(sorted[i - 1].counter())) {
        throw new IllegalArgumentException("a reservation names counter " + sorted[i].counter()
            + " twice");
      }
    }
    return sorted;
  }

  /** Whether {@code keys.get(i)} is also at an index before {@code i}. */
  private static boolean namedBefore(List<BudgetCounter> keys, int i) {
    for (int j = 0; j < i; j++) {
      if (keys.get(j).equals(keys.get(i))) {
        return true;
      }
    }
    return false;
  }

  /** Saturating addition of two non-negative amounts. */
  private static long add(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  @Override
  public String toString() {
    return "InMemoryBudgetStore[counters=" + counters.size() + ", callIds=" + calls.size()
        + ", maxCounters=" + maxCounters + "]";
  }

  /**
   * Settings of an {@link InMemoryBudgetStore}: its bounds, and the snapshot it starts from. Not
   * thread-safe; reusable.
   */
  public static final class Builder {
    private int maxCounters = DEFAULT_MAX_COUNTERS;
    private int maxSettledIds = DEFAULT_MAX_SETTLED_IDS;
    private Duration settledIdMemory = DEFAULT_SETTLED_ID_MEMORY;
    private Duration keepEndedPeriods = DEFAULT_KEEP_ENDED_PERIODS;
    private long maxSnapshotBytes = DEFAULT_MAX_SNAPSHOT_BYTES;

    private Builder() {}

    /**
     * The most counters (budget × id × period) the store holds; 100,000 by default.
     *
     * @param maximum at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maximum} is below 1
     */
    public Builder maxCounters(int maximum) {
      if (maximum < 1) {
        throw new IllegalArgumentException("maxCounters must be at least 1, was " + maximum);
      }
      this.maxCounters = maximum;
      return this;
    }

    /**
     * The most settled call ids remembered at once; 10,000 by default (about 2 MB). Past it the
     * ids due to be forgotten first go first, whatever {@link #settledIdMemory(Duration)} says,
     * so a gateway settling thousands of calls a second keeps a bounded heap.
     *
     * @param maximum at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maximum} is below 1
     */
    public Builder maxSettledIds(int maximum) {
      if (maximum < 1) {
        throw new IllegalArgumentException("maxSettledIds must be at least 1, was " + maximum);
      }
      this.maxSettledIds = maximum;
      return this;
    }

    /**
     * How long a settled call id is remembered at least (so a settle retried after its reply was
     * lost charges once), beyond which it is remembered until its lease would have ended; 15
     * minutes by default, within {@link #maxSettledIds(int)}.
     *
     * @param memory positive
     * @return this builder
     * @throws IllegalArgumentException if {@code memory} is not positive
     */
    public Builder settledIdMemory(Duration memory) {
      this.settledIdMemory = positive("settledIdMemory", memory);
      return this;
    }

    /**
     * How long the counters of a period that ended are kept for reports (and for settles of calls
     * that ran past the period's end); 7 days by default.
     *
     * @param keep positive
     * @return this builder
     * @throws IllegalArgumentException if {@code keep} is not positive
     */
    public Builder keepEndedPeriods(Duration keep) {
      this.keepEndedPeriods = positive("keepEndedPeriods", keep);
      return this;
    }

    /**
     * The largest snapshot file {@link #restore(Path)} reads; 64 MiB by default.
     *
     * @param bytes at least 1 KiB
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is below 1024
     */
    public Builder maxSnapshotBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxSnapshotBytes must be at least 1024, was " + bytes);
      }
      this.maxSnapshotBytes = bytes;
      return this;
    }

    /** An empty store with these settings. */
    public InMemoryBudgetStore build() {
      return new InMemoryBudgetStore(this);
    }

    /**
     * A store with these settings holding what {@link InMemoryBudgetStore#snapshot(Path)} wrote.
     * The file is read line by line and checked: at most {@link #maxSnapshotBytes(long)} bytes,
     * lines of at most 4 KiB, at most {@link #maxCounters(int)} counters, every value in range
     * (ids at most 1,024 characters, amounts not negative, periods that end after they start),
     * counts matching its last line (so a cut file is refused). Reservations come back with their
     * leases; those that ended while the process was down expire on first access.
     *
     * @param file the snapshot
     * @return the store
     * @throws BudgetSnapshotException if the file is not a snapshot this store reads
     * @throws IOException if it cannot be read
     */
    public InMemoryBudgetStore restore(Path file) throws IOException {
      Objects.requireNonNull(file, "file");
      return new InMemoryBudgetStore(this)
          .load(SnapshotFile.read(file, maxSnapshotBytes, maxCounters));
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
