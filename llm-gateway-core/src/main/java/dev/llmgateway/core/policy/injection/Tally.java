package dev.llmgateway.core.policy.injection;

import java.util.ArrayList;
import java.util.List;

/**
 * The signals one scan found, each with the highest weight any of its rules gave, in the order
 * first found; the score combines them as independent evidence: {@code 1 - Π(1 - w)}.
 *
 * <p>Not thread-safe: one per scan.
 */
final class Tally {
  private final List<String> names = new ArrayList<>(4);
  private double[] weights = new double[4];

  void add(String signal, double weight) {
    int at = names.indexOf(signal);
    if (at < 0) {
      if (names.size() == weights.length) {
        weights = java.util.Arrays.copyOf(weights, weights.length * 2);
      }
      weights[names.size()] = weight;
      names.add(signal);
    } else if (weight > weights[at]) {
      weights[at] = weight;
    }
  }

  void addAll(Tally other) {
    for (int i = 0; i < other.names.size(); i++) {
      add(other.names.get(i), other.weights[i]);
    }
  }

  boolean isEmpty() {
    return names.isEmpty();
  }

  /** Whether any signal but the obfuscation ones weighs at least {@code weight}. */
  boolean hasEvidence(double weight) {
    for (int i = 0; i < names.size(); i++) {
      if (weights[i] >= weight && !Rules.OBFUSCATION.contains(names.get(i))) {
        return true;
      }
    }
    return false;
  }

  double score() {
    double miss = 1;
    for (int i = 0; i < names.size(); i++) {
      miss *= 1 - weights[i];
    }
    return Math.min(1, Math.max(0, 1 - miss));
  }

  List<String> signals() {
    return List.copyOf(names);
  }
}
