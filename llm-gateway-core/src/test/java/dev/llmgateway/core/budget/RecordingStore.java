package dev.llmgateway.core.budget;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A store around another that records what it is asked, and can be told to fail: to throw after
 * the first settle took effect (its reply lost), or to throw on every call. Thread-safe.
 */
final class RecordingStore implements BudgetStore {
  record Reserve(String callId, long amount, Instant leaseUntil) {}

  record Settle(String callId, long actual) {}

  private final BudgetStore store;
  final List<Reserve> reserves = Collections.synchronizedList(new ArrayList<>());
  final List<Settle> settles = Collections.synchronizedList(new ArrayList<>());
  /** Settles whose reply is lost after they took effect, counted down. */
  final AtomicInteger loseSettleReplies = new AtomicInteger();
  /** Whether every call throws before doing anything. */
  volatile boolean down;
  /** Whether settles throw before doing anything. */
  volatile boolean settlesFail;

  RecordingStore(BudgetStore store) {
    this.store = store;
  }

  private void check() {
    if (down) {
      throw new IllegalStateException("connection refused: redis://:hunter2@10.0.0.7");
    }
  }

  @Override
  public List<BudgetBalance> balances(List<BudgetCounter> counters, Instant now) {
    check();
    return store.balances(counters, now);
  }

  @Override
  public @Nullable BudgetBalance reserve(String callId, List<Cap> caps, long amountNanos,
      Instant leaseUntil, Instant now) {
    check();
    reserves.add(new Reserve(callId, amountNanos, leaseUntil));
    return store.reserve(callId, caps, amountNanos, leaseUntil, now);
  }

  @Override
  public List<BudgetBalance> settle(String callId, List<BudgetCounter> counters, long actualNanos,
      Instant now) {
    check();
    settles.add(new Settle(callId, actualNanos));
    if (settlesFail) {
      throw new IllegalStateException("timed out");
    }
    List<BudgetBalance> after = store.settle(callId, counters, actualNanos, now);
    if (loseSettleReplies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("the reply was lost");
    }
    return after;
  }

  @Override
  public int mark(BudgetCounter counter, int bits, Instant now) {
    check();
    return store.mark(counter, bits, now);
  }

  @Override
  public List<BudgetBalance> list(Instant now) {
    check();
    return store.list(now);
  }

  /** The amounts reserved for {@code callId}, in order. */
  List<Long> reservedFor(String callId) {
    synchronized (reserves) {
      return reserves.stream().filter(r -> r.callId().equals(callId)).map(Reserve::amount)
          .toList();
    }
  }
}
