package dev.llmgateway.core.policy.injection;

import java.util.Arrays;

/**
 * The keyword occurrences of one scan: per cue, the start offsets (in the folded text), sorted.
 * Holds at most {@link #MAX_HITS} occurrences; the rest of a text adds nothing (a text that long
 * and that full of cues has scored long before). Rules ask whether cues occur near each other.
 *
 * <p>Not thread-safe: one per scan.
 */
final class Hits {
  static final int MAX_HITS = 4_096;

  private int[] cues = new int[64];
  private int[] starts = new int[64];
  private int size;
  private int[][] byCue;

  Hits() {}

  /** Records one occurrence; false once full. */
  boolean add(int cue, int start) {
    if (size == MAX_HITS) {
      return false;
    }
    if (size == cues.length) {
      cues = Arrays.copyOf(cues, size * 2);
      starts = Arrays.copyOf(starts, size * 2);
    }
    cues[size] = cue;
    starts[size] = start;
    size++;
    byCue = null;
    return true;
  }

  int size() {
    return size;
  }

  /** The sorted start offsets of one cue (empty when it never occurred). */
  int[] of(int cue) {
    if (byCue == null) {
      index();
    }
    return cue < byCue.length ? byCue[cue] : EMPTY;
  }

  boolean has(int cue) {
    return of(cue).length > 0;
  }

  private static final int[] EMPTY = {};

  private void index() {
    int max = -1;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, cues[i]);
    }
    int[] counts = new int[max + 1];
    for (int i = 0; i < size; i++) {
      counts[cues[i]]++;
    }
    int[][] index = new int[max + 1][];
    for (int c = 0; c <= max; c++) {
      index[c] = counts[c] == 0 ? EMPTY : new int[counts[c]];
      counts[c] = 0;
    }
    for (int i = 0; i < size; i++) {
      int c = cues[i];
      index[c][counts[c]++] = starts[i];
    }
    for (int[] positions : index) {
      Arrays.sort(positions);
    }
    byCue = index;
  }

  /**
   * Whether some occurrence of {@code b} starts within {@code before} characters before, or
   * {@code after} characters after, the start of some occurrence of {@code a}.
   */
  boolean near(int a, int b, int before, int after) {
    int[] as = of(a);
    int[] bs = of(b);
    if (as.length == 0 || bs.length == 0) {
      return false;
    }
    for (int p : as) {
      if (within(bs, p - before, p + after)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some occurrence of {@code a} has both {@code b} and {@code c} within the window. */
  boolean nearBoth(int a, int b, int c, int before, int after) {
    int[] as = of(a);
    int[] bs = of(b);
    int[] cs = of(c);
    if (as.length == 0 || bs.length == 0 || cs.length == 0) {
      return false;
    }
    for (int p : as) {
      if (within(bs, p - before, p + after) && within(cs, p - before, p + after)) {
        return true;
      }
    }
    return false;
  }

  private static boolean within(int[] sorted, int from, int to) {
    int at = Arrays.binarySearch(sorted, from);
    int i = at >= 0 ? at : -at - 1;
    return i < sorted.length && sorted[i] <= to;
  }
}
