package dev.llmgateway.core.internal.policy;

import java.util.function.Supplier;

/**
 * Marks the calls a policy makes itself through the gateway (a classifier asking a model about a
 * borderline text) so that the policy step lets them pass instead of scanning them again. The mark
 * is set on the calling thread for the duration of the inner call only and always cleared, so it
 * never outlives that call; a caller cannot set it.
 */
final class Bypass {
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private Bypass() {}

  /** Whether the current thread is inside a policy's own call. */
  static boolean active() {
    return DEPTH.get()[0] > 0;
  }

  /** Runs {@code call} marked as a policy's own. */
  static <T> T run(Supplier<T> call) {
    int[] depth = DEPTH.get();
    depth[0]++;
    try {
      return call.get();
    } finally {
      depth[0]--;
    }
  }
}
