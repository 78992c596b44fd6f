package dev.llmgateway.core.policy.content;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An Aho–Corasick automaton over normalised phrases, built once: the trie's edges in compressed
 * rows (a direct table for ASCII at the root), failure links, and per state its own phrases plus a
 * link to the nearest suffix state that has phrases. Stepping is amortised constant per character,
 * so a scan is linear in the text plus the matches it reports. Immutable and thread-safe.
 */
final class PhraseAutomaton {
  static final int ROOT = 0;

  /** Edges per state: {@code edgeChars[edgeStart[s] .. edgeStart[s + 1])}, sorted. */
  private final int[] edgeStart;
  private final char[] edgeChars;
  private final int[] edgeTargets;
  /** The root's edges for ASCII characters, or -1. */
  private final int[] rootAscii;
  private final int[] fail;
  /** The nearest proper suffix state with phrases of its own, or -1. */
  private final int[] outLink;
  /** Phrase ids per state: {@code outIds[outStart[s] .. outStart[s + 1])}. */
  private final int[] outStart;
  private final int[] outIds;
  /**
   * Per ASCII char the column of {@link #screen} it steps by, as {@link Normaliser} would have it:
   * upper case as lower case, every ASCII space as {@code ' '}; 0 for a char on no edge.
   */
  private final int[] column = new int[128];
  /** How many columns {@link #screen} has. */
  private final int columns;
  /**
   * The full transition function for normalised ASCII chars, failure links followed, as row
   * offsets: from the state whose row starts at {@code r}, reading {@code c} leads to the row
   * {@code screen[r + column[c]]}, negative when that state ends a phrase (it or a suffix of it).
   * One add and one load per char for {@link #mayEndPhrase}. Null past {@link #MAX_SCREEN}
   * entries, where the sparse rows are stepped instead.
   */
  private final int @Nullable [] screen;

  /** The most entries {@link #screen} may have (1 MB). */
  private static final int MAX_SCREEN = 1 << 18;
  private static final int ENDS_PHRASE = 0x8000_0000;

  private PhraseAutomaton(int[] edgeStart, char[] edgeChars, int[] edgeTargets, int[] rootAscii,
      int[] fail, int[] outLink, int[] outStart, int[] outIds) {
    this.edgeStart = edgeStart;
    this.edgeChars = edgeChars;
    this.edgeTargets = edgeTargets;
    this.rootAscii = rootAscii;
    this.fail = fail;
    this.outLink = outLink;
    this.outStart = outStart;
    this.outIds = outIds;
    int width = 1;
    int[] columnOf = new int[128];
    for (char c : edgeChars) {
      if (c < 128 && columnOf[c] == 0) {
        columnOf[c] = width++;
      }
    }
    for (char c = 0; c < 128; c++) {
      char normal = Normaliser.isAsciiSpace(c) ? ' '
          : c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
      column[c] = columnOf[normal];
    }
    this.columns = width;
    int states = fail.length;
    this.screen = outStart.length == states + 1 && (long) states * width <= MAX_SCREEN
        ? screen(states, width, columnOf) : null;
  }

  private int[] screen(int states, int width, int[] columnOf) {
    char[] sample = new char[width];
    for (char c = 0; c < 128; c++) {
      if (columnOf[c] != 0) {
        sample[columnOf[c]] = c;
      }
    }
    int[] table = new int[states * width];
    int none = firstOutput(ROOT) >= 0 ? ENDS_PHRASE : 0;
    for (int s = 0; s < states; s++) {
      // column 0, a char on no edge, leads back to the root
      table[s * width] = none;
      for (int col = 1; col < width; col++) {
        int t = step(s, sample[col]);
        table[s * width + col] = t * width | (firstOutput(t) >= 0 ? ENDS_PHRASE : 0);
      }
    }
    return table;
  }

  /**
   * Whether {@code text}, normalised as {@link Normaliser} does (lower case, a run of whitespace
   * as one space), reaches a state that ends a phrase; also true at the first char past ASCII,
   * which only the full scan can normalise. Allocates nothing.
   */
  boolean mayEndPhrase(CharSequence text) {
    int[] table = screen;
    if (table == null) {
      return mayEndPhraseSparse(text);
    }
    int row = 0;
    boolean lastSpace = false;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return true;
      }
      if (Normaliser.isAsciiSpace(c)) {
        if (lastSpace) {
          continue;
        }
        lastSpace = true;
      } else {
        lastSpace = false;
      }
      int entry = table[row + column[c]];
      if (entry < 0) {
        return true;
      }
      row = entry;
    }
    return false;
  }

  /**
   * {@link #mayEndPhrase} stepping the sparse rows: when there is no table, and as its reference
   * in tests.
   */
  boolean mayEndPhraseSparse(CharSequence text) {
    int state = ROOT;
    boolean lastSpace = false;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return true;
      }
      if (Normaliser.isAsciiSpace(c)) {
        if (lastSpace) {
          continue;
        }
        lastSpace = true;
        c = ' ';
      } else {
        lastSpace = false;
        if (c >= 'A' && c <= 'Z') {
          c = (char) (c + ('a' - 'A'));
        }
      }
      state = step(state, c);
      if (firstOutput(state) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** An automaton over the phrases; phrase {@code i} reports id {@code i}. */
  static PhraseAutomaton of(List<String> phrases) {
    List<Map<Character, Integer>> next = new ArrayList<>();
    List<List<Integer>> own = new ArrayList<>();
    next.add(new HashMap<>());
    own.add(new ArrayList<>());
    for (int id = 0; id < phrases.size(); id++) {
      String p = phrases.get(id);
      int s = ROOT;
      for (int i = 0; i < p.length(); i++) {
        Integer t = next.get(s).get(p.charAt(i));
        if (t == null) {
          t = next.size();
          next.get(s).put(p.charAt(i), t);
          next.add(new HashMap<>());
          own.add(new ArrayList<>());
        }
        s = t;
      }
      own.get(s).add(id);
    }
    int states = next.size();
    int[] edgeStart = new int[states + 1];
    int edges = 0;
    for (int s = 0; s < states; s++) {
      edgeStart[s] = edges;
      edges += next.get(s).size();
    }
    edgeStart[states] = edges;
    char[] edgeChars = new char[edges];
    int[] edgeTargets = new int[edges];
    for (int s = 0; s < states; s++) {
      Character[] keys = next.get(s).keySet().toArray(new Character[0]);
      Arrays.sort(keys);
      for (int k = 0; k < keys.length; k++) {
        edgeChars[edgeStart[s] + k] = keys[k];
        edgeTargets[edgeStart[s] + k] = next.get(s).get(keys[k]);
      }
    }
    int[] rootAscii = new int[128];
    Arrays.fill(rootAscii, -1);
    next.get(ROOT).forEach((c, t) -> {
      if (c < 128) {
        rootAscii[c] = t;
      }
    });
    int[] fail = new int[states];
    int[] outLink = new int[states];
    Arrays.fill(outLink, -1);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int t : next.get(ROOT).values()) {
      fail[t] = ROOT;
      queue.add(t);
    }
    PhraseAutomaton partial = new PhraseAutomaton(edgeStart, edgeChars, edgeTargets, rootAscii,
        fail, outLink, new int[0], new int[0]);
    while (!queue.isEmpty()) {
      int s = queue.poll();
      for (int e = edgeStart[s]; e < edgeStart[s + 1]; e++) {
        char c = edgeChars[e];
        int t = edgeTargets[e];
        int f = fail[s];
        int g;
        while ((g = partial.edge(f, c)) < 0 && f != ROOT) {
          f = fail[f];
        }
        fail[t] = g >= 0 && g != t ? g : ROOT;
        outLink[t] = !own.get(fail[t]).isEmpty() ? fail[t] : outLink[fail[t]];
        queue.add(t);
      }
    }
    int[] outStart = new int[states + 1];
    int outs = 0;
    for (int s = 0; s < states; s++) {
      outStart[s] = outs;
      outs += own.get(s).size();
    }
    outStart[states] = outs;
    int[] outIds = new int[outs];
    for (int s = 0; s < states; s++) {
      for (int k = 0; k < own.get(s).size(); k++) {
        outIds[outStart[s] + k] = own.get(s).get(k);
      }
    }
    return new PhraseAutomaton(edgeStart, edgeChars, edgeTargets, rootAscii, fail, outLink,
        outStart, outIds);
  }

  /** The trie edge from {@code s} by {@code c}, or -1. */
  private int edge(int s, char c) {
    if (s == ROOT && c < 128) {
      return rootAscii[c];
    }
    int lo = edgeStart[s];
    int hi = edgeStart[s + 1] - 1;
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

  /** The state after reading {@code c} in state {@code s}. */
  int step(int s, char c) {
    int state = s;
    for (;;) {
      int t = edge(state, c);
      if (t >= 0) {
        return t;
      }
      if (state == ROOT) {
        return ROOT;
      }
      state = fail[state];
    }
  }

  /** The first state whose phrases end here: {@code s} itself if it has any, else its link. */
  int firstOutput(int s) {
    return outStart[s] < outStart[s + 1] ? s : outLink[s];
  }

  /** The next state with phrases after {@code s} along the suffix links, or -1. */
  int nextOutput(int s) {
    return outLink[s];
  }

  /** The first index into {@link #outId(int)} of state {@code s}'s phrases. */
  int outFrom(int s) {
    return outStart[s];
  }

  /** The end index (exclusive) of state {@code s}'s phrases. */
  int outTo(int s) {
    return outStart[s + 1];
  }

  /** The phrase id at an output index. */
  int outId(int index) {
    return outIds[index];
  }

  /** How many states the automaton has. */
  int states() {
    return fail.length;
  }
}
