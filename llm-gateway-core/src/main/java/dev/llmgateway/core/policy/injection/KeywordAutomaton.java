package dev.llmgateway.core.policy.injection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An Aho-Corasick automaton over folded keywords ({@link TextFold}): one pass over a folded text
 * reports every keyword occurrence, in time linear in the text plus the occurrences (which {@link
 * Hits} caps). A keyword in a script written with spaces must start at a word start; it must also
 * end at a word end unless it was added as a stem (written with a trailing {@code *}). Keywords in
 * Han, kana or Hangul match anywhere (those scripts do not separate words, or attach particles).
 *
 * <p>Immutable and thread-safe once built.
 */
final class KeywordAutomaton {
  /** Which ASCII characters are letters or digits (the word characters). */
  private static final boolean[] ASCII_WORD = new boolean[0x80];

  static {
    for (char c = 0; c < 0x80; c++) {
      ASCII_WORD[c] = Character.isLetterOrDigit(c);
    }
  }

  /** The most entries {@link #dense} may have (2 MB); a larger automaton steps sparsely only. */
  private static final int MAX_DENSE = 1 << 19;
  /** The bit of a {@link #dense} entry that says its state reports keywords: the sign bit. */
  private static final int OUTPUT = 0x8000_0000;
  /** The bits of a {@link #dense} entry that give the state's row. */
  private static final int ROW = ~OUTPUT;

  private final int[] rootAscii;
  /** Per ASCII character its column in {@link #dense}: 0 for one on no trie edge. */
  private final int[] column = new int[128];
  /** How many columns {@link #dense} has. */
  private final int columns;
  /**
   * The full transition function for ASCII characters, failure links followed, as row offsets:
   * the row of the state after reading {@code c} in the state whose row starts at {@code r} is
   * {@code dense[r + column[c]] & ROW} (a state's row starts at its number times {@link
   * #columns}), and the entry is negative when that state reports keywords. A step is then one
   * add and one load, with no multiplication on the path from one char to the next. Null when
   * the automaton is too large for it. (The built-in keywords: about 7,600 states by 42 columns,
   * some 1.3 MB, shared by every scanner without phrase lists of its own; states are numbered
   * breadth first, so the shallow states a scan of prose mostly visits come first.)
   */
  private final int @Nullable [] dense;
  /** Edges per state: {@code edgeChars[edgeStart[s] .. edgeStart[s + 1])}, sorted. */
  private final int[] edgeStart;
  private final char[] edgeChars;
  private final int[] edgeTargets;
  private final int[] fail;
  private final int[][] outputs;
  private final int[] cueOf;
  private final int[] lengthOf;
  private final boolean[] checkStart;
  private final boolean[] checkEnd;

  private KeywordAutomaton(char[][] keys, int[][] next, int[] fail, int[][] outputs, int[] cueOf,
      int[] lengthOf, boolean[] checkStart, boolean[] checkEnd) {
    int states = keys.length;
    this.edgeStart = new int[states + 1];
    int edges = 0;
    for (int s = 0; s < states; s++) {
      edgeStart[s] = edges;
      edges += keys[s].length;
    }
    edgeStart[states] = edges;
    this.edgeChars = new char[edges];
    this.edgeTargets = new int[edges];
    for (int s = 0; s < states; s++) {
      System.arraycopy(keys[s], 0, edgeChars, edgeStart[s], keys[s].length);
      System.arraycopy(next[s], 0, edgeTargets, edgeStart[s], next[s].length);
    }
    this.rootAscii = new int[128];
    for (char c = 0; c < 128; c++) {
      rootAscii[c] = find(keys, next, 0, c);
    }
    this.fail = fail;
    int width = 1;
    for (char c : edgeChars) {
      if (c < 128 && column[c] == 0) {
        column[c] = width++;
      }
    }
    this.columns = width;
    this.outputs = outputs;
    this.dense = (long) states * width <= MAX_DENSE ? dense(states, width) : null;
    this.cueOf = cueOf;
    this.lengthOf = lengthOf;
    this.checkStart = checkStart;
    this.checkEnd = checkEnd;
  }

  /**
   * The dense ASCII transitions: states in breadth-first order, so a state's failure target
   * (shallower) has its row before the state needs it.
   */
  private int[] dense(int states, int width) {
    int[] table = new int[states * width];
    char[] sample = new char[width];
    for (char c = 0; c < 128; c++) {
      sample[column[c]] = c;
    }
    int[] order = new int[states];
    int tail = 1;
    for (int head = 0; head < tail; head++) {
      int s = order[head];
      for (int e = edgeStart[s]; e < edgeStart[s + 1]; e++) {
        order[tail++] = edgeTargets[e];
      }
      for (int col = 1; col < width; col++) {
        int to = step(s, sample[col]);
        table[s * width + col] = to >= 0 ? to : s == 0 ? 0 : table[fail[s] * width + col];
      }
    }
    for (int i = 0; i < table.length; i++) {
      int to = table[i];
      table[i] = to * width | (outputs[to].length > 0 ? OUTPUT : 0);
    }
    return table;
  }

  /** Adds every keyword occurrence in {@code text[0, n)} (already folded) to {@code hits}. */
  void scan(char[] text, int n, Hits hits) {
    int[] table = dense;
    int width = columns;
    int state = 0;
    int row = 0;
    for (int i = 0; i < n; i++) {
      char c = text[i];
      if (table != null && c < 128) {
        int entry = table[row + column[c]];
        if (entry >= 0) {
          row = entry;
          continue;
        }
        row = entry & ROW;
        state = row / width;
      } else {
        state = table != null ? row / width : state;
        int to = step(state, c);
        while (to < 0 && state != 0) {
          state = fail[state];
          to = step(state, c);
        }
        state = to < 0 ? 0 : to;
        row = state * width;
      }
      int[] out = outputs[state];
      for (int k : out) {
        int start = i + 1 - lengthOf[k];
        if (checkStart[k] && start > 0 && isWordChar(text[start - 1])) {
          continue;
        }
        if (checkEnd[k] && i + 1 < n && isWordChar(text[i + 1])) {
          continue;
        }
        if (!hits.add(cueOf[k], start)) {
          return;
        }
      }
    }
  }

  private static boolean isWordChar(char c) {
    return c < 0x80 ? ASCII_WORD[c] : Character.isLetterOrDigit(c);
  }

  private int step(int state, char c) {
    if (state == 0 && c < 128) {
      return rootAscii[c];
    }
    int lo = edgeStart[state];
    int hi = edgeStart[state + 1];
    if (hi - lo <= 8) {
      for (int e = lo; e < hi; e++) {
        char k = edgeChars[e];
        if (k >= c) {
          return k == c ? edgeTargets[e] : -1;
        }
      }
      return -1;
    }
    hi--;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      char m = edgeChars[mid];
      if (m < c) {
        lo = mid + 1;
      } else if (m > c) {
        hi = mid - 1;
      } else {
        return edgeTargets[mid];
      }
    }
    return -1;
  }

  /** Collects keywords, then builds the automaton. Not thread-safe. */
  static final class Builder {
    private final List<Map<Character, Integer>> trie = new ArrayList<>();
    private final List<List<Integer>> ends = new ArrayList<>();
    private final List<Integer> cues = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    private final List<Boolean> starts = new ArrayList<>();
    private final List<Boolean> endChecks = new ArrayList<>();

    Builder() {
      trie.add(new TreeMap<>());
      ends.add(new ArrayList<>());
    }

    /**
     * Adds one keyword for one cue; a trailing {@code *} makes it a stem. The keyword is folded
     * here. Returns false for a keyword that folds to nothing.
     */
    boolean add(String keyword, int cue) {
      boolean stem = keyword.endsWith("*");
      String folded = TextFold.fold(stem ? keyword.substring(0, keyword.length() - 1) : keyword)
          .text().strip();
      if (folded.isEmpty()) {
        return false;
      }
      int node = 0;
      for (int i = 0; i < folded.length(); i++) {
        char c = folded.charAt(i);
        Integer to = trie.get(node).get(c);
        if (to == null) {
          to = trie.size();
          trie.add(new TreeMap<>());
          ends.add(new ArrayList<>());
          trie.get(node).put(c, to);
        }
        node = to;
      }
      int id = cues.size();
      cues.add(cue);
      lengths.add(folded.length());
      starts.add(spaced(folded.charAt(0)));
      char last = folded.charAt(folded.length() - 1);
      endChecks.add(!stem && spaced(last));
      ends.get(node).add(id);
      return true;
    }

    private static boolean spaced(char c) {
      if (!Character.isLetterOrDigit(c)) {
        return false;
      }
      Character.UnicodeScript script = Character.UnicodeScript.of(c);
      return script != Character.UnicodeScript.HAN && script != Character.UnicodeScript.HIRAGANA
          && script != Character.UnicodeScript.KATAKANA
          && script != Character.UnicodeScript.HANGUL;
    }

    KeywordAutomaton build() {
      int size = trie.size();
      // states numbered breadth first: the shallow states, where a scan of prose spends nearly
      // all its steps, get the first rows of the dense table and share few cache lines
      int[] rank = new int[size];
      int[] order = new int[size];
      int tail = 1;
      for (int head = 0; head < tail; head++) {
        rank[order[head]] = head;
        for (int child : trie.get(order[head]).values()) {
          order[tail++] = child;
        }
      }
      char[][] keys = new char[size][];
      int[][] next = new int[size][];
      List<List<Integer>> ends = new ArrayList<>(size);
      for (int r = 0; r < size; r++) {
        Map<Character, Integer> edges = trie.get(order[r]);
        keys[r] = new char[edges.size()];
        next[r] = new int[edges.size()];
        int i = 0;
        for (Map.Entry<Character, Integer> e : edges.entrySet()) {
          keys[r][i] = e.getKey();
          next[r][i] = rank[e.getValue()];
          i++;
        }
        ends.add(this.ends.get(order[r]));
      }
      int[] fail = new int[size];
      Map<Integer, List<Integer>> out = new HashMap<>();
      ArrayDeque<Integer> queue = new ArrayDeque<>();
      out.put(0, ends.get(0));
      for (int child : next[0]) {
        fail[child] = 0;
        queue.add(child);
      }
      while (!queue.isEmpty()) {
        int s = queue.poll();
        List<Integer> merged = new ArrayList<>(ends.get(s));
        merged.addAll(out.getOrDefault(fail[s], List.of()));
        out.put(s, merged);
        for (int i = 0; i < keys[s].length; i++) {
          char c = keys[s][i];
          int child = next[s][i];
          int f = fail[s];
          int to = find(keys, next, f, c);
          while (to < 0 && f != 0) {
            f = fail[f];
            to = find(keys, next, f, c);
          }
          fail[child] = to < 0 || to == child ? 0 : to;
          queue.add(child);
        }
      }
      int[][] outputs = new int[size][];
      for (int s = 0; s < size; s++) {
        outputs[s] = out.getOrDefault(s, List.of()).stream().mapToInt(Integer::intValue).toArray();
      }
      int k = cues.size();
      int[] cueOf = new int[k];
      int[] lengthOf = new int[k];
      boolean[] checkStart = new boolean[k];
      boolean[] checkEnd = new boolean[k];
      for (int i = 0; i < k; i++) {
        cueOf[i] = cues.get(i);
        lengthOf[i] = lengths.get(i);
        checkStart[i] = starts.get(i);
        checkEnd[i] = endChecks.get(i);
      }
      return new KeywordAutomaton(keys, next, fail, outputs, cueOf, lengthOf, checkStart,
          checkEnd);
    }

  }

  private static int find(char[][] keys, int[][] next, int state, char c) {
    int at = Arrays.binarySearch(keys[state], c);
    return at < 0 ? -1 : next[state][at];
  }
}
