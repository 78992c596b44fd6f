package dev.llmgateway.core.policy.injection;

import java.util.Arrays;

/**
 * One thread's reusable working memory for a scan: the folded text's buffer and the hits, so a
 * scan of an ordinary text allocates neither. Bounded: a buffer grown past {@value #KEEP_CHARS}
 * chars (or a hit array past 128 entries) is dropped after the scan, so a thread keeps at most
 * about 6 KB. Holds nothing between scans: {@link #release()} zeroes the part of the buffer a text
 * was folded into, so no text outlives its scan here.
 *
 * <p>Not thread-safe: each thread gets its own ({@link #acquire()}). A scan acquires it, folds,
 * matches and scores, and releases it before it scans any decoded payload (which acquires it
 * again).
 */
final class Scratch {
  /** The most chars of folded text a thread's buffer keeps across scans. */
  static final int KEEP_CHARS = 2_048;

  private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

  final TextFold.Folded folded = new TextFold.Folded(new char[KEEP_CHARS]);
  final Hits hits = new Hits();
  private boolean inUse;

  private Scratch() {}

  /**
   * This thread's scratch, cleared; a fresh one (not kept) if this thread's is in use already
   * (a scan within a scan, which the scanner never does today).
   */
  static Scratch acquire() {
    Scratch s = LOCAL.get();
    if (s.inUse) {
      s = new Scratch();
    }
    s.inUse = true;
    s.hits.clear();
    return s;
  }

  /** Forgets the scan: zeroes the folded text and drops buffers grown past the bound. */
  void release() {
    TextFold.Folded f = folded;
    if (f.chars.length > KEEP_CHARS) {
      f.chars = new char[KEEP_CHARS];
    } else {
      Arrays.fill(f.chars, 0, f.length, '\0');
    }
    f.length = 0;
    hits.clear();
    inUse = false;
  }
}
