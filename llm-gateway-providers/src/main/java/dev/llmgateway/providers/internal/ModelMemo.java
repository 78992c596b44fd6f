package dev.llmgateway.providers.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * A bounded memo of one value per model name (a provider's URLs for a model, say): a
 * direct-mapped table of a fixed number of slots, each holding the last model whose hash led there
 * and its value. A model name that a caller makes up costs at most one slot, so however many
 * distinct names callers send, the memo never holds more than {@link #slots()} entries; a few
 * models in steady use almost always keep their slots, and a model that lost its slot to another
 * has its value computed again on its next call.
 *
 * <p>Thread-safe and lock-free: a hit is a volatile read and a string comparison and allocates
 * nothing; a miss computes the value (possibly twice under a race; it must be a pure function of
 * the model) and publishes it with a volatile write.
 *
 * @param <V> the value kept per model
 */
public final class ModelMemo<V> {
  /** The slots of {@link #ModelMemo(Function)}. */
  public static final int DEFAULT_SLOTS = 256;

  private final AtomicReferenceArray<Entry<V>> slots;
  private final int mask;
  private final Function<String, V> compute;

  /** A memo of {@value #DEFAULT_SLOTS} slots. */
  public ModelMemo(Function<String, V> compute) {
    this(DEFAULT_SLOTS, compute);
  }

  /**
   * A memo of {@code slots} slots.
   *
   * @param slots a power of two
   * @param compute the value of a model; pure
   * @throws IllegalArgumentException if {@code slots} is not a positive power of two
   */
  public ModelMemo(int slots, Function<String, V> compute) {
    if (slots <= 0 || Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a positive power of two, was " + slots);
    }
    this.slots = new AtomicReferenceArray<>(slots);
    this.mask = slots - 1;
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /** The model's value: the one kept, else computed now and kept in the model's slot. */
  public V get(String model) {
    int slot = index(model);
    Entry<V> e = slots.get(slot);
    if (e != null && e.model.equals(model)) {
      return e.value;
    }
    V value = compute.apply(model);
    slots.set(slot, new Entry<>(model, value));
    return value;
  }

  /** The most entries this memo holds. */
  public int slots() {
    return slots.length();
  }

  /** The entries held now (a count over the slots, for tests and diagnostics). */
  public int size() {
    int n = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        n++;
      }
    }
    return n;
  }

  private int index(String model) {
    int h = model.hashCode();
    return (h ^ (h >>> 16)) & mask;
  }

  /** One slot's model and value; immutable, so a volatile read of it sees both. */
  private record Entry<V>(String model, V value) {}
}
