package dev.llmgateway.core.internal.policy;

import dev.llmgateway.core.policy.PiiAction;
import dev.llmgateway.core.policy.pii.PiiType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a PII pass found, by kind and action, for the call's verdict ({@code EMAIL x2 placeholder,
 * CREDIT_CARD x1 blocked}): kinds and counts, never a value. Not thread-safe: one per pass.
 */
final class Tally {
  private final Map<String, int[]> counts = new LinkedHashMap<>();
  private int blocked;
  private int changed;

  void add(PiiType type, PiiAction action) {
    counts.computeIfAbsent(type.name() + " " + label(action), k -> new int[1])[0]++;
    if (action == PiiAction.BLOCK) {
      blocked++;
    } else if (action != PiiAction.FLAG) {
      changed++;
    }
  }

  boolean isEmpty() {
    return counts.isEmpty();
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
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, int[]> e : counts.entrySet()) {
      if (s.length() > 0) {
        s.append(", ");
      }
      int space = e.getKey().indexOf(' ');
      s.append(e.getKey(), 0, space).append(" x").append(e.getValue()[0])
          .append(e.getKey(), space, e.getKey().length());
    }
    return s.toString();
  }

  /** The kinds that block, for the refusal's message: {@code CREDIT_CARD x1}. */
  String blockedDetail() {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, int[]> e : counts.entrySet()) {
      if (e.getKey().endsWith(" blocked")) {
        if (s.length() > 0) {
          s.append(", ");
        }
        s.append(e.getKey(), 0, e.getKey().indexOf(' ')).append(" x").append(e.getValue()[0]);
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
