package dev.llmgateway.core.internal.meter.delivery;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.usage.UsageDelivery;
import dev.llmgateway.core.usage.UsageDeliveryStats;
import dev.llmgateway.spi.UsageSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One asynchronous sink: a bounded lock-free queue that callers put records in (a {@link
 * ConcurrentLinkedQueue} bounded by a count taken before the record goes in), drained in batches
 * by this lane's delivery thread, which waits up to the linger for a batch to fill; it is woken
 * only by the first record into an empty queue, by the record that fills a batch and by close,
 * never per record. The delivery thread which hands each batch to a sink thread and waits at most the delivery
 * timeout for it; a batch the sink throws on is retried (Failsafe), then spilled to the
 * dead-letter file, as is a batch that timed out. See {@link UsageDelivery} for the guarantees.
 *
 * <p>Each record is taken from the queue exactly once — by the delivery thread, by {@link
 * #awaitClosed} once the drain time is up, or, when it was put in as the lane closed, taken back
 * by its own offer — and then delivered, spilled or dropped by whoever took it. Thread-safe.
 */
final class QueueLane implements Lane {
  private static final Logger log = LoggerFactory.getLogger(UsageDeliveries.class);
  /** How long an idle delivery thread waits before it looks at the closing flag again. */
  private static final long IDLE_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** How long close waits for an interrupted delivery thread to spill its batch and leave. */
  private static final long EXIT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** How often a caller waiting for room under {@code BLOCK} looks again. */
  private static final long ROOM_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final UsageSink sink;
  private final String name;
  private final UsageDelivery settings;
  private final ConcurrentLinkedQueue<UsageRecord> queue = new ConcurrentLinkedQueue<>();
  /**
   * Records in the queue or reserved to go in: raised before a record is added (so the bound is
   * never passed), lowered after one is taken.
   */
  private final AtomicInteger size = new AtomicInteger();
  private final int capacity;
  private final int batchSize;
  private final long lingerNanos;
  private final @Nullable DeadLetterFile deadLetter;
  private final ThreadPoolExecutor sinkThreads;
  private final RetryPolicy<Object> retry;
  private final Thread drainer;
  private final long maxBlockNanos;
  private final long timeoutNanos;

  /** Set by {@link #beginClose()}: records offered from now on are not queued. */
  private volatile boolean closing;
  /** Set when the drain time is up: the delivery thread stops and spills what it holds. */
  private volatile boolean abandoned;

  private final LongAdder delivered = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder spilled = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final AtomicInteger maxQueued = new AtomicInteger();
  private final AtomicInteger stuck = new AtomicInteger();
  /** For tests: run on a sink thread after its call returned, before it takes the next; null. */
  volatile @Nullable Runnable afterSinkCall;
  private final Throttle dropLog = new Throttle();
  private final Throttle failureLog = new Throttle();

  QueueLane(UsageSink sink, String name, UsageDelivery settings) {
    this.sink = sink;
    this.name = name;
    this.settings = settings;
    this.capacity = settings.queueCapacity();
    this.batchSize = settings.batchSize();
    this.lingerNanos = settings.linger().toNanos();
    Path deadLetterPath = settings.deadLetter();
    this.deadLetter = deadLetterPath == null ? null : new DeadLetterFile(deadLetterPath, name);
    this.maxBlockNanos = settings.maxBlock().toNanos();
    this.timeoutNanos = settings.deliveryTimeout().toNanos();
    AtomicInteger n = new AtomicInteger();
    // a queue, not a hand-off: a sink thread whose call just returned is not yet back for the
    // next one, and a hand-off then makes a thread or, with all of them finishing, refuses the
    // batch (which was dropped as if every thread were stuck); whether they are is counted below
    this.sinkThreads = new ThreadPoolExecutor(UsageDelivery.MAX_SINK_THREADS,
        UsageDelivery.MAX_SINK_THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "llm-gateway-usage-" + name + "-sink-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    sinkThreads.allowCoreThreadTimeOut(true);
    RetryPolicyBuilder<Object> policy = RetryPolicy.builder()
        .abortOn(SinkUnavailable.class)
        .withMaxRetries(settings.maxRetries())
        .onRetry(e -> retried.increment());
    if (settings.initialBackoff().compareTo(settings.maxBackoff()) < 0) {
      policy.withBackoff(settings.initialBackoff(), settings.maxBackoff());
    } else {
      policy.withDelay(settings.initialBackoff());
    }
    this.retry = policy.withJitter(0.25).build();
    this.drainer = new Thread(this::drain, "llm-gateway-usage-" + name);
    drainer.setDaemon(true);
    drainer.start();
  }

  // ---- the callers' side

  @Override
  public void offer(UsageRecord record) {
    if (closing) {
      late(record);
      return;
    }
    int depth = reserve();
    if (depth < 0 && maxBlockNanos > 0) {
      depth = awaitRoom();
    }
    if (depth < 0) {
      overflow(record);
      return;
    }
    queue.offer(record);
    if (depth == 1 || depth == batchSize) {
      LockSupport.unpark(drainer); // a queue that was empty, or a batch full: the thread looks
    }
    if (depth > maxQueued.get()) {
      maxQueued.accumulateAndGet(depth, Math::max);
    }
    // closing was set meanwhile: the delivery thread may have left; take the record back unless
    // the delivery thread or the closer took it (remove is then false and they deliver it)
    if (closing && queue.remove(record)) {
      size.decrementAndGet();
      late(record);
    }
  }

  /** A place in the queue: the queue's size with this record, or -1 when it is full. */
  private int reserve() {
    for (int n = size.get(); n < capacity; n = size.get()) {
      if (size.compareAndSet(n, n + 1)) {
        return n + 1;
      }
    }
    return -1;
  }

  /** Waits up to the caller's bound for room ({@code BLOCK}); the size with this record, or -1. */
  private int awaitRoom() {
    long deadline = System.nanoTime() + maxBlockNanos;
    LockSupport.unpark(drainer);
    for (long left = maxBlockNanos; left > 0 && !closing; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(this, Math.min(left, ROOM_POLL_NANOS));
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt(); // the caller's; spill the record now
        return -1;
      }
      int depth = reserve();
      if (depth >= 0) {
        return depth;
      }
    }
    return -1;
  }

  private void overflow(UsageRecord record) {
    if (settings.overflow() == UsageDelivery.Overflow.BLOCK) {
      spill(List.of(record), "its queue stayed full for the caller's wait");
    } else {
      dropped.increment();
      if (dropLog.due()) {
        log.warn("usage sink {}: its queue of {} is full; {} records dropped so far (logged once a"
            + " minute)", name, settings.queueCapacity(), dropped.sum());
      }
    }
  }

  /** A record produced after close began: to the dead-letter file, or dropped. */
  private void late(UsageRecord record) {
    spill(List.of(record), "it came after the gateway closed");
  }

  /** To the dead-letter file, or dropped (and counted) when there is none or it failed. */
  private void spill(List<UsageRecord> records, String why) {
    if (deadLetter != null && deadLetter.append(records)) {
      spilled.add(records.size());
      if (failureLog.due()) {
        log.warn("usage sink {}: {} records written to its dead-letter file: {} (logged once a"
            + " minute; {} so far)", name, records.size(), why, spilled.sum());
      }
    } else {
      dropped.add(records.size());
      if (failureLog.due()) {
        log.warn("usage sink {}: {} records dropped: {}; it has no dead-letter file (logged once a"
            + " minute; {} dropped so far)", name, records.size(), why, dropped.sum());
      }
    }
  }

  // ---- the delivery thread

  private void drain() {
    long firstSeen = 0; // when the thread first saw the records it waits to fill a batch with
    while (!abandoned) {
      boolean wasClosing = closing;
      int queued = size.get();
      if (queued == 0) {
        if (wasClosing) {
          return; // closing, and every record offered before it was seen is taken
        }
        firstSeen = 0;
        LockSupport.parkNanos(this, IDLE_POLL_NANOS); // the first record in wakes it
        continue;
      }
      if (!wasClosing && queued < batchSize && lingerNanos > 0) {
        long now = System.nanoTime();
        if (firstSeen == 0) {
          firstSeen = now;
        }
        long left = firstSeen + lingerNanos - now;
        if (left > 0) {
          LockSupport.parkNanos(this, left); // a full batch or close wakes it sooner
          continue;
        }
      }
      firstSeen = 0;
      List<UsageRecord> batch = new ArrayList<>(Math.min(batchSize, queued));
      for (UsageRecord r; batch.size() < batchSize && (r = queue.poll()) != null; ) {
        batch.add(r);
      }
      if (batch.isEmpty()) {
        Thread.onSpinWait(); // counted, not yet added: its caller is between the two steps
        continue;
      }
      size.addAndGet(-batch.size());
      deliver(batch);
    }
  }

  private void deliver(List<UsageRecord> batch) {
    if (abandoned) {
      spill(batch, "the gateway closed before they were delivered");
      return;
    }
    List<UsageRecord> view = Collections.unmodifiableList(batch);
    try {
      Failsafe.with(retry).run(() -> call(view));
      delivered.add(batch.size());
    } catch (RuntimeException e) {
      Thread.interrupted(); // the closer's interrupt has done its work
      Throwable cause = e instanceof dev.failsafe.FailsafeException && e.getCause() != null
          ? e.getCause() : e;
      spill(batch, cause instanceof SinkUnavailable u ? u.getMessage()
          : "the sink threw " + cause.getClass().getSimpleName() + " on every try ("
              + (settings.maxRetries() + 1) + ")");
    }
  }

  /** One try: the batch on a sink thread, waited for at most the delivery timeout. */
  private void call(List<UsageRecord> batch) {
    if (stuck.get() >= UsageDelivery.MAX_SINK_THREADS) {
      throw new SinkUnavailable("all " + UsageDelivery.MAX_SINK_THREADS
          + " sink threads are stuck in the sink");
    }
    SinkCall task = new SinkCall(batch);
    try {
      sinkThreads.execute(task);
    } catch (RejectedExecutionException e) {
      throw new SinkUnavailable("the gateway closed before they were delivered");
    }
    try {
      task.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (task.abandon()) {
        throw new SinkUnavailable("the sink did not return within the delivery timeout ("
            + settings.deliveryTimeout().toMillis() + " ms); its thread is abandoned");
      }
      result(task); // it returned just now
    } catch (InterruptedException e) {
      task.abandon();
      Thread.currentThread().interrupt();
      throw new SinkUnavailable("the gateway closed while the sink had them");
    } catch (ExecutionException e) {
      throw failure(e);
    }
  }

  private static void result(SinkCall task) {
    try {
      task.get();
    } catch (ExecutionException e) {
      throw failure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SinkUnavailable("interrupted");
    }
  }

  private static RuntimeException failure(ExecutionException e) {
    Throwable cause = e.getCause();
    return cause instanceof RuntimeException r ? r : new SinkFailed(cause);
  }

  /**
   * A batch on a sink thread. Abandoned when it outlives its timeout: it then counts as stuck
   * until the sink returns, and it is interrupted (a sink that heeds interrupts comes back).
   */
  private final class SinkCall extends FutureTask<Void> {
    private static final int RUNNING = 0;
    private static final int RETURNED = 1;
    private static final int ABANDONED = 2;
    private final AtomicInteger state = new AtomicInteger(RUNNING);

    SinkCall(List<UsageRecord> batch) {
      super(() -> {
        sink.acceptBatch(batch);
        return null;
      });
    }

    @Override
    public void run() {
      try {
        super.run();
      } finally {
        if (!state.compareAndSet(RUNNING, RETURNED)) {
          stuck.decrementAndGet(); // an abandoned call came back
        }
        Runnable hook = afterSinkCall;
        if (hook != null) {
          hook.run();
        }
      }
    }

    /** False when the call returned first (its result stands). */
    boolean abandon() {
      if (!state.compareAndSet(RUNNING, ABANDONED)) {
        return false;
      }
      stuck.incrementAndGet();
      cancel(true);
      return true;
    }
  }

  /** The sink cannot be given the batch now: not retried, spilled at once. */
  private static final class SinkUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SinkUnavailable(String message) {
      super(message, null, false, false);
    }
  }

  /** A sink that threw an {@link Error} or checked exception: retried like any failure. */
  private static final class SinkFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SinkFailed(Throwable cause) {
      super(cause.getClass().getSimpleName(), cause, false, false);
    }
  }

  /** For tests: what the delivery thread is doing. */
  Thread.State deliveryThreadState() {
    return drainer.getState();
  }

  // ---- closing

  @Override
  public void beginClose() {
    closing = true;
    LockSupport.unpark(drainer);
  }

  @Override
  public void awaitClosed(long deadlineNanos) {
    join(deadlineNanos);
    if (drainer.isAlive()) {
      abandoned = true;
      drainer.interrupt();
      spillQueue();
      join(System.nanoTime() + EXIT_GRACE_NANOS);
      sinkThreads.shutdownNow();
    } else {
      sinkThreads.shutdown();
    }
    spillQueue();
    if (deadLetter != null) {
      deadLetter.close();
    }
  }

  /**
   * Waits for the delivery thread until {@code deadlineNanos}. An interrupt of the closing thread
   * does not cut the drain short — the drain is bounded by its own timeout, and a lane without a
   * dead-letter file would otherwise drop what is still queued — it is kept and set again after.
   */
  private void join(long deadlineNanos) {
    boolean interrupted = false;
    try {
      for (;;) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0 || !drainer.isAlive()) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedJoin(drainer, left);
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Takes whatever is still queued and spills it, in batches. */
  private void spillQueue() {
    List<UsageRecord> rest = new ArrayList<>();
    for (UsageRecord r; (r = queue.poll()) != null; ) {
      size.decrementAndGet();
      rest.add(r);
      if (rest.size() == batchSize) {
        spill(rest, "the gateway closed before they were delivered");
        rest = new ArrayList<>();
      }
    }
    if (!rest.isEmpty()) {
      spill(rest, "the gateway closed before they were delivered");
    }
  }

  @Override
  public UsageDeliveryStats stats() {
    int queued = Math.max(0, size.get());
    return UsageDeliveryStats.of(sink, name, settings, delivered.sum(), retried.sum(),
        spilled.sum(), dropped.sum(), queued, maxQueued.get(), stuck.get());
  }
}
