package dev.llmgateway.core.policy.injection;

import java.util.Arrays;
import java.util.List;

/**
 * The signals one scan found, each with the highest weight any of its rules gave, in the order
 * first found; the score combines them as independent evidence: {@code 1 - Π(1 - w)}. Allocates
 * its arrays at the first signal, so a scan that finds none allocates nothing here.
 *
 * <p>Not thread-safe: one per scan.
 */
final class Tally {
  private static final String[] NONE = {};

  private String[] names = NONE;
  private double[] weights = {};
  private int size;

  void add(String signal, double weight) {
    int at = indexOf(signal);
    if (at < 0) {
      if (size == names.length) {
        int grown = Math.max(4, size * 2);
        names = Arrays.copyOf(names, grown);
        weights = Arrays.copyOf(weights, grown);
      }
      names[size] = signal;
      weights[size] = weight;
      size++;
    } else if (weight > weights[at]) {
      weights[at] = weight;
    }
  }

  private int indexOf(String signal) {
    for (int i = 0; i < size; i++) {
      if (names[i].equals(signal)) {
        return i;
      }
    }
    return -1;
  }

  void addAll(Tally other) {
    for (int i = 0; i < other.size; i++) {
      add(other.names[i], other.weights[i]);
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Whether any signal but the obfuscation ones weighs at least {@code weight}. */
  boolean hasEvidence(double weight) {
    for (int i = 0; i < size; i++) {
      if (weights[i] >= weight && !Rules.OBFUSCATION.contains(names[i])) {
        return true;
      }
    }
    return false;
  }

  double score() {
    double miss = 1;
    for (int i = 0; i < size; i++) {
      miss *= 1 - weights[i];
    }
    return Math.min(1, Math.max(0, 1 - miss));
  }

  List<String> signals() {
    return size == 0 ? List.of() : List.of(Arrays.copyOf(names, size));
  }
}
