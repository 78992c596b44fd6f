package dev.llmgateway.core.policy.content;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/**
 * One pass of a {@link ContentFilter} over one text, fed in pieces: the {@link Normaliser} feeds
 * each normalised character into a sliding buffer, the phrase automaton steps on it, and each
 * pattern scans the buffer in blocks once enough text has arrived. The buffer keeps only what the
 * phrases (the longest, plus the character before it) and the patterns (their declared length
 * around the block they scan) can still need, so memory is bounded whatever the text's length.
 *
 * <p>Every decision is taken at a point fixed by the normalised text alone (a character's arrival),
 * never by where the pieces were cut, so a text fed whole and the same text fed in any pieces give
 * the same hits. Not thread-safe.
 *
 * <p>Patterns: for each pattern of declared length {@code L}, the scan position {@code p} starts at
 * 0; once the text reaches {@code p + 3L} (or has ended), the pattern is searched in {@code [p,
 * p + 2L)} (transparent bounds: lookarounds see the text around it); a match found at {@code s} is
 * confirmed by {@code lookingAt} in {@code [s, s + L)}, so a hit is never longer than {@code L}. A
 * confirmed hit moves {@code p} to its end; an unconfirmed one to {@code s + 1}; no match at all to
 * {@code p + L + 1} (every start up to {@code p + L} had its whole region searched). Each search is
 * given a budget of character reads; a pattern that backtracks past it fails the scan.
 */
final class Scan implements Normaliser.Sink {
  /** Character reads a pattern search may make per character of its region. */
  static final int READS_PER_CHAR = 1_000;

  private static final Comparator<Found> ORDER = Comparator.comparingLong(Found::end)
      .thenComparingLong(Found::start).thenComparingInt(Found::category);

  /** A hit in normalised positions, with the source offsets it maps to. */
  private record Found(long start, long end, int category, int sourceStart, int sourceEnd) {}

  private final ContentFilter filter;
  private final boolean collectAll;
  private final Normaliser normaliser;
  private final ContentFilter.PatternRule[] patterns;
  private final Matcher[] matchers;
  private final long[] patternAt;
  private final BufferView view = new BufferView();

  private char[] chars;
  private int[] sourceStart;
  private int[] sourceEnd;
  /** The normalised position of {@code chars[0]}. */
  private long base;
  private int length;
  private int state = PhraseAutomaton.ROOT;
  private boolean finished;

  /** The first hits so far (at most {@code maxHits}), the last in order at the head. */
  private final PriorityQueue<Found> all;
  private final int maxHits;
  private @Nullable Found best;
  private @Nullable Found reported;

  Scan(ContentFilter filter, boolean collectAll) {
    this.filter = filter;
    this.collectAll = collectAll;
    this.maxHits = filter.maxHits();
    this.all = new PriorityQueue<>(ORDER.reversed());
    this.normaliser = new Normaliser(this);
    this.patterns = filter.patterns();
    this.matchers = new Matcher[patterns.length];
    this.patternAt = new long[patterns.length];
    int need = filter.longestPhrase() + 2;
    for (int k = 0; k < patterns.length; k++) {
      matchers[k] = patterns[k].pattern().matcher(view);
      matchers[k].useTransparentBounds(true);
      matchers[k].useAnchoringBounds(false);
      need = Math.max(need, 4 * patterns[k].maxLength() + 2);
    }
    int capacity = 2 * need + 16;
    this.chars = new char[capacity];
    this.sourceStart = new int[capacity];
    this.sourceEnd = new int[capacity];
  }

  /** Reads the next piece of the text. */
  void feed(CharSequence piece) {
    if (finished) {
      throw new IllegalStateException("the text has ended");
    }
    normaliser.feed(piece);
  }

  /** Ends the text: what was held back for the next character is decided now. */
  void finish() {
    if (finished) {
      return;
    }
    normaliser.finish();
    finished = true;
    phrasesEndingHere(null);
    for (int k = 0; k < patterns.length; k++) {
      while (patternAt[k] < available()) {
        scanBlock(k);
      }
    }
    settle();
  }

  /**
   * The first {@code maxHits} hits, in order (by end, then start, then category), after {@link
   * #finish()}.
   */
  List<ContentHit> hits() {
    List<Found> sorted = new ArrayList<>(all);
    sorted.sort(ORDER);
    List<ContentHit> hits = new ArrayList<>(sorted.size());
    for (Found f : sorted) {
      hits.add(hit(f));
    }
    return hits;
  }

  /** The first hit, once no earlier one can still appear; null until then. */
  @Nullable ContentHit first() {
    Found f = reported;
    return f == null ? null : hit(f);
  }

  private ContentHit hit(Found f) {
    return new ContentHit(filter.categoryName(f.category()), f.sourceStart(), f.sourceEnd());
  }

  @Override
  public void accept(char c, int start, int end) {
    if (reported != null) {
      return; // a window reads no further once it has its hit
    }
    if (length == chars.length) {
      compact();
    }
    chars[length] = c;
    sourceStart[length] = start;
    sourceEnd[length] = end;
    phrasesEndingHere(c);
    length++;
    state = filter.automaton().step(state, c);
    long available = available();
    for (int k = 0; k < patterns.length; k++) {
      while (patternAt[k] + 3L * patterns[k].maxLength() <= available) {
        scanBlock(k);
      }
    }
    if (!collectAll && reported == null && best != null) {
      settle();
    }
  }

  /** How many characters the buffer holds. */
  int capacity() {
    return chars.length;
  }

  private long available() {
    return base + length;
  }

  /**
   * Decides the phrases that end at the current end of the text, now that the next character
   * ({@code next}, or null at the end) is known.
   */
  private void phrasesEndingHere(@Nullable Character next) {
    PhraseAutomaton a = filter.automaton();
    long end = available();
    Found last = collectAll ? (all.size() == maxHits ? all.peek() : null) : best;
    if (last != null && last.end() < end) {
      return; // every phrase ending here or later comes after the hits kept
    }
    for (int s = a.firstOutput(state); s >= 0; s = a.nextOutput(s)) {
      for (int i = a.outFrom(s); i < a.outTo(s); i++) {
        int id = a.outId(i);
        int phraseLength = filter.phraseLength(id);
        long start = end - phraseLength;
        if (filter.phraseEndsWord(id) && next != null && Normaliser.isWordChar(next)) {
          continue;
        }
        if (filter.phraseStartsWord(id) && start > 0
            && Normaliser.isWordChar(chars[(int) (start - 1 - base)])) {
          continue;
        }
        found(start, end, filter.phraseCategory(id));
      }
    }
  }

  private void scanBlock(int k) {
    ContentFilter.PatternRule rule = patterns[k];
    int max = rule.maxLength();
    long p = patternAt[k];
    long available = available();
    long q = finished ? Math.min(available, p + 2L * max) : p + 2L * max;
    Matcher m = matchers[k];
    m.region((int) (p - base), (int) (q - base));
    if (!search(m, rule, q - p, false)) {
      patternAt[k] = q >= available && finished ? available : q - max + 1;
      return;
    }
    long s = base + m.start();
    long cappedEnd = finished ? Math.min(available, s + max) : s + max;
    m.region((int) (s - base), (int) (cappedEnd - base));
    if (search(m, rule, cappedEnd - s, true) && m.end() > m.start()) {
      long e = base + m.end();
      found(s, e, rule.category());
      patternAt[k] = e;
    } else {
      patternAt[k] = s + 1;
    }
  }

  private boolean search(Matcher m, ContentFilter.PatternRule rule, long regionLength,
      boolean anchored) {
    view.budget = READS_PER_CHAR * (regionLength + 2L * rule.maxLength()) + 10_000;
    try {
      return anchored ? m.lookingAt() : m.find();
    } catch (BudgetSpent e) {
      throw new IllegalArgumentException("the pattern of category '"
          + filter.categoryName(rule.category()) + "' took more than " + READS_PER_CHAR
          + " character reads per character on this text (catastrophic backtracking?); simplify it");
    }
  }

  private void found(long start, long end, int category) {
    Found f = new Found(start, end, category, sourceStart[(int) (start - base)],
        sourceEnd[(int) (end - 1 - base)]);
    if (collectAll) {
      if (all.size() < maxHits) {
        all.add(f);
      } else if (ORDER.compare(f, all.peek()) < 0) {
        all.poll();
        all.add(f);
      }
    } else if (reported == null && (best == null || ORDER.compare(f, best) < 0)) {
      best = f;
    }
  }

  /** Reports the best hit once every engine has decided everything that could end before it. */
  private void settle() {
    Found b = best;
    if (b == null || reported != null) {
      return;
    }
    if (!finished) {
      long settled = available() - 1;
      for (long at : patternAt) {
        settled = Math.min(settled, at);
      }
      if (b.end() > settled) {
        return;
      }
    }
    reported = b;
  }

  /** Drops what no engine can need any more, or grows the buffer if nothing can go. */
  private void compact() {
    long keep = available() - filter.longestPhrase() - 1;
    for (int k = 0; k < patterns.length; k++) {
      keep = Math.min(keep, patternAt[k] - patterns[k].maxLength());
    }
    if (reported == null && best != null) {
      keep = Math.min(keep, best.start());
    }
    int drop = (int) Math.max(0, Math.min(length, keep - base));
    if (drop == 0) {
      int grown = chars.length * 2;
      chars = Arrays.copyOf(chars, grown);
      sourceStart = Arrays.copyOf(sourceStart, grown);
      sourceEnd = Arrays.copyOf(sourceEnd, grown);
      return;
    }
    System.arraycopy(chars, drop, chars, 0, length - drop);
    System.arraycopy(sourceStart, drop, sourceStart, 0, length - drop);
    System.arraycopy(sourceEnd, drop, sourceEnd, 0, length - drop);
    length -= drop;
    base += drop;
  }

  /** Thrown when a pattern search spent its budget of character reads. */
  private static final class BudgetSpent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetSpent() {
      super(null, null, false, false);
    }
  }

  /** The buffer as the patterns read it, counting their reads. */
  private final class BufferView implements CharSequence {
    long budget;

    @Override
    public int length() {
      return length;
    }

    @Override
    public char charAt(int index) {
      if (--budget < 0) {
        throw new BudgetSpent();
      }
      if (index < 0 || index >= length) {
        throw new IndexOutOfBoundsException(index);
      }
      return chars[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new String(chars, start, end - start);
    }

    @Override
    public String toString() {
      return "BufferView[" + length + " chars]";
    }
  }
}
