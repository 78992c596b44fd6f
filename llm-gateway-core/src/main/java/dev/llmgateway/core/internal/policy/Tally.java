package dev.llmgateway.core.internal.policy;

import dev.llmgateway.core.policy.PiiAction;
import dev.llmgateway.core.policy.pii.PiiType;
import java.util.Arrays;

/**
 * What a PII pass found, by kind and action, for the call's verdict ({@code EMAIL x2 placeholder,
 * CREDIT_CARD x1 blocked}): kinds and counts, never a value, in the order first found. The pairs
 * are kept in small arrays, made at the first finding (a pass that finds nothing makes nothing).
 * Not thread-safe: one per pass.
 */
final class Tally {
  private static final PiiType[] NO_TYPES = {};
  private static final PiiAction[] NO_ACTIONS = {};
  private static final int[] NO_COUNTS = {};

  private PiiType[] types = NO_TYPES;
  private PiiAction[] actions = NO_ACTIONS;
  private int[] counts = NO_COUNTS;
  private int size;
  private int blocked;
  private int changed;

  void add(PiiType type, PiiAction action) {
    count(type, action);
    if (action == PiiAction.BLOCK) {
      blocked++;
    } else if (action != PiiAction.FLAG) {
      changed++;
    }
  }

  private void count(PiiType type, PiiAction action) {
    for (int i = 0; i < size; i++) {
      if (actions[i] == action && types[i].equals(type)) {
        counts[i]++;
        return;
      }
    }
    if (size == types.length) {
      int n = Math.max(8, size * 2);
      types = Arrays.copyOf(types, n);
      actions = Arrays.copyOf(actions, n);
      counts = Arrays.copyOf(counts, n);
    }
    types[size] = type;
    actions[size] = action;
    counts[size] = 1;
    size++;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Whether a kind found is to block the call. */
  boolean blocks() {
    return blocked > 0;
  }

  /** Whether a kind found is to be replaced (placeholder or mask). */
  boolean changes() {
    return changed > 0;
  }

  /** {@code EMAIL x2 placeholder, IBAN x1 masked}. */
  String detail() {
    StringBuilder s = new StringBuilder(24 * size);
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        s.append(", ");
      }
      s.append(types[i].name()).append(" x").append(counts[i]).append(' ')
          .append(label(actions[i]));
    }
    return s.toString();
  }

  /** The kinds that block, for the refusal's message: {@code CREDIT_CARD x1}. */
  String blockedDetail() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < size; i++) {
      if (actions[i] == PiiAction.BLOCK) {
        if (s.length() > 0) {
          s.append(", ");
        }
        s.append(types[i].name()).append(" x").append(counts[i]);
      }
    }
    return s.toString();
  }

  private static String label(PiiAction action) {
    return switch (action) {
      case PLACEHOLDER -> "placeholder";
      case MASK -> "masked";
      case BLOCK -> "blocked";
      case FLAG -> "flagged";
    };
  }

  @Override
  public String toString() {
    return "Tally[" + detail() + "]";
  }
}
