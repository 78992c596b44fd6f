package dev.llmgateway.otel.internal;

import dev.llmgateway.otel.GenAiConventions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a metric attribute's values few: an allow-list, or the first {@code max} distinct values
 * seen; anything else (or longer than {@link #MAX_LENGTH}) becomes {@code other}. Thread-safe:
 * lock-free, at most {@code max} values remembered.
 */
public final class Cardinality {
  /** Values longer than this are {@code other}. */
  public static final int MAX_LENGTH = 128;

  private final @Nullable Set<String> allowed;
  private final int max;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final AtomicInteger count = new AtomicInteger();

  /**
   * @param allowed the only values kept, or null to keep the first {@code max} seen
   * @param max how many distinct values are kept without an allow-list
   */
  public Cardinality(@Nullable Set<String> allowed, int max) {
    this.allowed = allowed == null ? null : Set.copyOf(allowed);
    this.max = max;
  }

  /** The value as a metric may carry it; null stays null (the attribute is left out). */
  public @Nullable String bound(@Nullable String value) {
    if (value == null) {
      return null;
    }
    if (value.length() > MAX_LENGTH) {
      return GenAiConventions.OTHER;
    }
    Set<String> only = allowed;
    if (only != null) {
      return only.contains(value) ? value : GenAiConventions.OTHER;
    }
    if (seen.contains(value)) {
      return value;
    }
    if (count.incrementAndGet() > max) {
      count.decrementAndGet();
      return seen.contains(value) ? value : GenAiConventions.OTHER;
    }
    if (!seen.add(value)) {
      count.decrementAndGet(); // another thread added it first
    }
    return value;
  }
}
