package dev.llmgateway.core.policy.pii;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One of libphonenumber's metadata patterns (a national number pattern, a region's leading digits,
 * its national prefix for parsing) compiled to a deterministic automaton over the ten ASCII
 * digits, so that a string of digits is matched with one table look-up per digit and nothing
 * allocated, where {@code java.util.regex} makes a {@code Matcher} with its group and loop
 * arrays for each match and backtracks through the pattern's alternatives.
 *
 * <p>Only the syntax the metadata uses is read: digits, {@code \d}, classes of digits and digit
 * ranges ({@code [2-79]}), groups ({@code (?:...)} and capturing ones, whose capture is not
 * needed here), alternation, the greedy quantifiers {@code ? * + {n} {n,} {n,m}} and the end of
 * input {@code $} (national prefixes for parsing such as {@code ([2-9]\d{6})$|1}). Anything
 * else (another escape, a negated class, a lazy or possessive quantifier, a flag, a look-around)
 * makes {@link #compile} return null, and the caller keeps using the regex. A literal that is not
 * a digit matches no digit. Without possessive quantifiers, atomic groups, look-arounds and
 * back-references a regex's {@code matches()} is membership in its language and {@code
 * lookingAt()} is membership of some prefix, which is what the automaton decides; {@code
 * DigitPatternTest} checks both against {@code java.util.regex} on every pattern of every
 * region's metadata.
 *
 * <p>Bounded: a pattern whose automaton would need more than {@value #MAX_NFA_STATES} states
 * before or {@value #MAX_DFA_STATES} after determinisation is not compiled. Immutable and
 * thread-safe once compiled.
 */
final class DigitPattern {

  /** The most states the nondeterministic automaton may have (counted repeats are expanded). */
  static final int MAX_NFA_STATES = 20_000;

  /** The most states of the deterministic automaton. */
  static final int MAX_DFA_STATES = 4_096;

  private static final int ALL_DIGITS = (1 << 10) - 1;

  /** {@code next[state * 10 + digit]}, -1 where no match can follow. State 0 is the start. */
  private final int[] next;
  /** Whether the digits read so far match, with input left after them. */
  private final boolean[] accepts;
  /** Whether the digits read so far match when they are all the input (a {@code $} passes). */
  private final boolean[] acceptsAtEnd;

  private DigitPattern(int[] next, boolean[] accepts, boolean[] acceptsAtEnd) {
    this.next = next;
    this.accepts = accepts;
    this.acceptsAtEnd = acceptsAtEnd;
  }

  /** The pattern compiled, or null when it uses syntax this class does not read or is too big. */
  static @Nullable DigitPattern compile(String regex) {
    Node root;
    try {
      Parser parser = new Parser(regex);
      root = parser.alternation();
      if (parser.at != regex.length()) {
        return null; // an unbalanced ')'
      }
    } catch (Unsupported e) {
      return null;
    }
    Nfa nfa = new Nfa();
    try {
      int accept = nfa.state();
      int start = root.build(nfa, accept);
      return nfa.determinise(start, accept);
    } catch (Unsupported e) {
      return null; // too many states
    }
  }

  /**
   * Whether {@code digits[from, to)} matches whole, as {@code Matcher.matches()} would answer; a
   * char that is not an ASCII digit matches nothing.
   */
  boolean matches(char[] digits, int from, int to) {
    return run(digits, from, to, false);
  }

  /**
   * Whether some prefix of {@code digits[from, to)} matches, as {@code Matcher.lookingAt()} would
   * answer.
   */
  boolean lookingAt(char[] digits, int from, int to) {
    return run(digits, from, to, true);
  }

  private boolean run(char[] digits, int from, int to, boolean prefix) {
    int state = 0;
    for (int i = from; i < to; i++) {
      if (prefix && accepts[state]) {
        return true;
      }
      int d = digits[i] - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      state = next[state * 10 + d];
      if (state < 0) {
        return false;
      }
    }
    return acceptsAtEnd[state];
  }

  /** Syntax this class does not read. */
  private static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported() {
      super(null, null, false, false);
    }
  }

  /** A parsed pattern. */
  private interface Node {
    /** Adds states that match this node and then continue at {@code next}; returns its start. */
    int build(Nfa nfa, int next) throws Unsupported;
  }

  private record Digits(int mask) implements Node {
    @Override
    public int build(Nfa nfa, int next) throws Unsupported {
      int state = nfa.state();
      nfa.masks.set(state, mask);
      nfa.targets.set(state, next);
      return state;
    }
  }

  /** {@code $}: passable only where the input ends. */
  private record End() implements Node {
    @Override
    public int build(Nfa nfa, int next) throws Unsupported {
      int state = nfa.state();
      nfa.ends.set(state);
      nfa.epsilon(state, next);
      return state;
    }
  }

  private record Sequence(List<Node> parts) implements Node {
    @Override
    public int build(Nfa nfa, int next) throws Unsupported {
      int at = next;
      for (int i = parts.size() - 1; i >= 0; i--) {
        at = parts.get(i).build(nfa, at);
      }
      return at;
    }
  }

  private record Choice(List<Node> options) implements Node {
    @Override
    public int build(Nfa nfa, int next) throws Unsupported {
      int split = nfa.state();
      for (Node option : options) {
        nfa.epsilon(split, option.build(nfa, next));
      }
      return split;
    }
  }

  /** {@code node{min,max}}, max -1 for no bound. */
  private record Repeat(Node node, int min, int max) implements Node {
    @Override
    public int build(Nfa nfa, int next) throws Unsupported {
      int at = next;
      if (max < 0) {
        int loop = nfa.state(); // loop: either the node again, or on
        nfa.epsilon(loop, node.build(nfa, loop));
        nfa.epsilon(loop, next);
        at = loop;
      } else {
        for (int i = min; i < max; i++) { // the optional copies, innermost last
          int skip = nfa.state();
          nfa.epsilon(skip, node.build(nfa, at));
          nfa.epsilon(skip, next);
          at = skip;
        }
      }
      for (int i = 0; i < min; i++) {
        at = node.build(nfa, at);
      }
      return at;
    }
  }

  /** Recursive descent over the supported syntax. */
  private static final class Parser {
    private final String p;
    private int at;
    private int depth;

    Parser(String p) {
      this.p = p;
    }

    Node alternation() throws Unsupported {
      List<Node> options = new ArrayList<>();
      options.add(sequence());
      while (at < p.length() && p.charAt(at) == '|') {
        at++;
        options.add(sequence());
      }
      return options.size() == 1 ? options.get(0) : new Choice(options);
    }

    private Node sequence() throws Unsupported {
      List<Node> parts = new ArrayList<>();
      while (at < p.length() && p.charAt(at) != '|' && p.charAt(at) != ')') {
        parts.add(quantified(atom()));
      }
      return parts.size() == 1 ? parts.get(0) : new Sequence(parts);
    }

    private Node atom() throws Unsupported {
      char c = p.charAt(at++);
      switch (c) {
        case '(' -> {
          if (p.startsWith("?:", at)) {
            at += 2;
          } else if (at < p.length() && p.charAt(at) == '?') {
            throw new Unsupported(); // flags, look-arounds, named and atomic groups
          }
          if (++depth > 64) {
            throw new Unsupported();
          }
          Node inner = alternation();
          depth--;
          if (at >= p.length() || p.charAt(at) != ')') {
            throw new Unsupported();
          }
          at++;
          return inner;
        }
        case '[' -> {
          return new Digits(digitClass());
        }
        case '\\' -> {
          if (at < p.length() && p.charAt(at) == 'd') {
            at++;
            return new Digits(ALL_DIGITS);
          }
          throw new Unsupported();
        }
        case '$' -> {
          return new End();
        }
        case '.', '^', '?', '*', '+', '{', '}', ']' -> throw new Unsupported();
        default -> {
          return new Digits(c >= '0' && c <= '9' ? 1 << (c - '0') : 0);
        }
      }
    }

    private int digitClass() throws Unsupported {
      if (at < p.length() && p.charAt(at) == '^') {
        throw new Unsupported();
      }
      int mask = 0;
      if (at < p.length() && p.charAt(at) == ']') {
        throw new Unsupported(); // a leading ']' is a literal in Java's syntax only
      }
      while (at < p.length() && p.charAt(at) != ']') {
        char low = p.charAt(at++);
        if (low == '\\' || low == '[' || low == '&') {
          throw new Unsupported(); // escapes, nested classes and intersections are not read
        }
        char high = low;
        if (at + 1 < p.length() && p.charAt(at) == '-' && p.charAt(at + 1) != ']') {
          high = p.charAt(at + 1);
          at += 2;
          if (high == '\\' || high == '[' || high < low) {
            throw new Unsupported();
          }
        }
        for (char d = (char) Math.max(low, '0'); d <= high && d <= '9'; d++) {
          mask |= 1 << (d - '0');
        }
      }
      if (at >= p.length()) {
        throw new Unsupported();
      }
      at++; // ']'
      return mask;
    }

    private Node quantified(Node node) throws Unsupported {
      if (at >= p.length()) {
        return node;
      }
      int min;
      int max;
      switch (p.charAt(at)) {
        case '?' -> {
          min = 0;
          max = 1;
          at++;
        }
        case '*' -> {
          min = 0;
          max = -1;
          at++;
        }
        case '+' -> {
          min = 1;
          max = -1;
          at++;
        }
        case '{' -> {
          int close = p.indexOf('}', at);
          if (close < 0) {
            throw new Unsupported();
          }
          String body = p.substring(at + 1, close);
          int comma = body.indexOf(',');
          try {
            min = Integer.parseInt(comma < 0 ? body : body.substring(0, comma));
            max = comma < 0 ? min
                : comma == body.length() - 1 ? -1 : Integer.parseInt(body.substring(comma + 1));
          } catch (NumberFormatException e) {
            throw new Unsupported();
          }
          if (min < 0 || min > 64 || max > 64 || (max >= 0 && max < min)) {
            throw new Unsupported();
          }
          at = close + 1;
        }
        default -> {
          return node;
        }
      }
      if (at < p.length() && (p.charAt(at) == '?' || p.charAt(at) == '+')) {
        throw new Unsupported(); // lazy or possessive
      }
      return quantified(new Repeat(node, min, max));
    }
  }

  /**
   * A Thompson automaton under construction: a state either consumes a digit of its mask and goes
   * to its target, or (mask 0, target -1) moves on without consuming to its epsilon targets; an
   * end state ({@code $}) moves on only where the input ends.
   */
  private static final class Nfa {
    final IntList masks = new IntList();
    final IntList targets = new IntList();
    final List<IntList> epsilons = new ArrayList<>();
    final BitSet ends = new BitSet();
    /** The closure's work list, sized when determinising starts. */
    private int[] stack = new int[0];

    int state() throws Unsupported {
      if (masks.size == MAX_NFA_STATES) {
        throw new Unsupported();
      }
      masks.add(0);
      targets.add(-1);
      epsilons.add(null);
      return masks.size - 1;
    }

    void epsilon(int from, int to) {
      IntList list = epsilons.get(from);
      if (list == null) {
        list = new IntList();
        epsilons.set(from, list);
      }
      list.add(to);
    }

    /** Adds what {@code set} reaches without reading, through end states when {@code atEnd}. */
    private void close(BitSet set, boolean atEnd) {
      int top = 0;
      for (int s = set.nextSetBit(0); s >= 0; s = set.nextSetBit(s + 1)) {
        stack[top++] = s;
      }
      while (top > 0) {
        int from = stack[--top];
        IntList out = epsilons.get(from);
        if (out == null || (!atEnd && ends.get(from))) {
          continue;
        }
        for (int k = 0; k < out.size; k++) {
          int t = out.values[k];
          if (!set.get(t)) {
            set.set(t);
            stack[top++] = t;
          }
        }
      }
    }

    @Nullable DigitPattern determinise(int start, int accept) {
      stack = new int[masks.size];
      Map<BitSet, Integer> ids = new HashMap<>();
      List<BitSet> sets = new ArrayList<>();
      BitSet first = new BitSet(masks.size);
      first.set(start);
      close(first, false);
      ids.put(first, 0);
      sets.add(first);
      IntList next = new IntList();
      BitSet[] moved = new BitSet[10];
      for (int d = 0; d < 10; d++) {
        moved[d] = new BitSet(masks.size);
      }
      for (int i = 0; i < sets.size(); i++) {
        BitSet set = sets.get(i);
        // one pass over the state's members: each digit-reading member to its digits' sets
        for (int s = set.nextSetBit(0); s >= 0; s = set.nextSetBit(s + 1)) {
          int mask = masks.values[s];
          while (mask != 0) {
            moved[Integer.numberOfTrailingZeros(mask)].set(targets.values[s]);
            mask &= mask - 1;
          }
        }
        for (int d = 0; d < 10; d++) {
          BitSet to = moved[d];
          if (to.isEmpty()) {
            next.add(-1);
            continue;
          }
          close(to, false);
          Integer id = ids.get(to);
          if (id == null) {
            if (sets.size() == MAX_DFA_STATES) {
              return null;
            }
            id = sets.size();
            BitSet kept = (BitSet) to.clone();
            ids.put(kept, id);
            sets.add(kept);
          }
          next.add(id);
          to.clear();
        }
      }
      boolean[] accepts = new boolean[sets.size()];
      boolean[] acceptsAtEnd = new boolean[sets.size()];
      for (int i = 0; i < accepts.length; i++) {
        accepts[i] = sets.get(i).get(accept);
        BitSet atEnd = (BitSet) sets.get(i).clone();
        close(atEnd, true);
        acceptsAtEnd[i] = atEnd.get(accept);
      }
      return new DigitPattern(Arrays.copyOf(next.values, next.size), accepts, acceptsAtEnd);
    }
  }

  private static final class IntList {
    int[] values = new int[16];
    int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    void set(int index, int value) {
      values[index] = value;
    }
  }
}
