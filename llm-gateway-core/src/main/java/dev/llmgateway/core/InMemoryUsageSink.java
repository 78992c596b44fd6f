package dev.llmgateway.core;

import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.UsageSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link UsageSink} that keeps every record in memory, for tests and demos. Thread-safe;
 * unbounded,
 * so not for production traffic.
 */
public final class InMemoryUsageSink implements UsageSink {
  private final ConcurrentLinkedQueue<UsageRecord> records = new ConcurrentLinkedQueue<>();

  @Override
  public void accept(UsageRecord record) {
    records.add(record);
  }

  /** The records so far, in arrival order. */
  public List<UsageRecord> records() {
    return new ArrayList<>(records);
  }

  /** How many records arrived. */
  public int size() {
    return records.size();
  }

  /** The most recent record. */
  public UsageRecord last() {
    List<UsageRecord> all = records();
    if (all.isEmpty()) {
      throw new IllegalStateException("no usage record yet");
    }
    return all.get(all.size() - 1);
  }

  /** Forgets every record. */
  public void clear() {
    records.clear();
  }
}
