package dev.llmgateway.core.policy.injection;

import java.util.Arrays;

/**
 * The keyword occurrences of one scan: per cue, the start offsets (in the folded text), sorted.
 * Holds at most {@link #MAX_HITS} occurrences; the rest of a text adds nothing (a text that long
 * and that full of cues has scored long before). Rules ask whether cues occur near each other.
 * Kept in primitive arrays that {@link #clear()} makes ready for the next scan (shrunk back when a
 * scan grew them past 128 entries), so a scan with few hits allocates nothing here.
 *
 * <p>Not thread-safe: one scan at a time.
 */
final class Hits {
  static final int MAX_HITS = 4_096;
  /** The most entries an array keeps across {@link #clear()}. */
  private static final int KEEP = 128;
  private static final int INITIAL = 64;

  private int[] cues = new int[INITIAL];
  private int[] starts = new int[INITIAL];
  private int size;
  /** Whether {@link #sorted} and {@link #from} describe the hits added. */
  private boolean indexed;
  /**
   * The start offsets grouped by cue, each group sorted: cue c's are {@code sorted[from[c] ..
   * from[c + 1])}.
   */
  private int[] sorted = new int[INITIAL];
  private int[] from = new int[INITIAL];
  /** How many cues {@link #from} describes (the highest cue hit, plus one). */
  private int cueSlots;

  Hits() {}

  /** Forgets every occurrence, for the next scan. */
  void clear() {
    size = 0;
    indexed = false;
    cueSlots = 0;
    if (cues.length > KEEP) {
      cues = new int[INITIAL];
      starts = new int[INITIAL];
    }
    if (sorted.length > KEEP) {
      sorted = new int[INITIAL];
    }
    if (from.length > KEEP) {
      from = new int[INITIAL];
    }
  }

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
    indexed = false;
    return true;
  }

  int size() {
    return size;
  }

  /** How many occurrences one cue has. */
  int count(int cue) {
    if (!indexed) {
      index();
    }
    return cue < cueSlots ? from[cue + 1] - from[cue] : 0;
  }

  boolean has(int cue) {
    return count(cue) > 0;
  }

  private void index() {
    int max = -1;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, cues[i]);
    }
    int slots = max + 1;
    if (from.length < slots + 1) {
      from = new int[slots + 1];
    }
    if (sorted.length < size) {
      sorted = new int[size];
    }
    Arrays.fill(from, 0, slots + 1, 0);
    for (int i = 0; i < size; i++) {
      from[cues[i] + 1]++;
    }
    for (int c = 0; c < slots; c++) {
      from[c + 1] += from[c];
    }
    // from[c] is now where cue c's group starts; fill the groups, moving each start to its end
    for (int i = 0; i < size; i++) {
      sorted[from[cues[i]]++] = starts[i];
    }
    // shift back: from[c] is where cue c's group ends, which is where cue c + 1's starts
    for (int c = slots; c > 0; c--) {
      from[c] = from[c - 1];
    }
    from[0] = 0;
    for (int c = 0; c < slots; c++) {
      if (from[c + 1] - from[c] > 1) {
        Arrays.sort(sorted, from[c], from[c + 1]);
      }
    }
    cueSlots = slots;
    indexed = true;
  }

  /**
   * Whether some occurrence of {@code b} starts within {@code before} characters before, or
   * {@code after} characters after, the start of some occurrence of {@code a}.
   */
  boolean near(int a, int b, int before, int after) {
    if (count(a) == 0 || count(b) == 0) {
      return false;
    }
    for (int i = from[a]; i < from[a + 1]; i++) {
      int p = sorted[i];
      if (within(b, p - before, p + after)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some occurrence of {@code a} has both {@code b} and {@code c} within the window. */
  boolean nearBoth(int a, int b, int c, int before, int after) {
    if (count(a) == 0 || count(b) == 0 || count(c) == 0) {
      return false;
    }
    for (int i = from[a]; i < from[a + 1]; i++) {
      int p = sorted[i];
      if (within(b, p - before, p + after) && within(c, p - before, p + after)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some occurrence of {@code cue} (which has some) starts in {@code [lo, hi]}. */
  private boolean within(int cue, int lo, int hi) {
    int end = from[cue + 1];
    int at = Arrays.binarySearch(sorted, from[cue], end, lo);
    int i = at >= 0 ? at : -at - 1;
    return i < end && sorted[i] <= hi;
  }
}
