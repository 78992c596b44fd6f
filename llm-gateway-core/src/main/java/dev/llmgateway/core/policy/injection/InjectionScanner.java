package dev.llmgateway.core.policy.injection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Scores a text for prompt injection with heuristics: instructions to ignore or override earlier
 * ones ({@code ignore-previous}), attempts to reveal the system prompt ({@code
 * reveal-system-prompt}), role-play jailbreaks — DAN, "you are now", developer mode, "pretend you
 * have no rules" ({@code role-play}) — chat-template and delimiter tokens such as {@code
 * <|im_start|>}, {@code [INST]}, {@code ### System:} ({@code chat-template-tokens}), announced
 * new instructions ({@code new-instructions}), text in a tool result that speaks to the AI reading
 * it ({@code addressed-to-assistant}, {@code exfiltration}), in English, German, French, Spanish,
 * Italian, Portuguese, Dutch, Polish, Russian, Chinese, Japanese, Korean and Turkish. Base64, hex,
 * {@code \xNN} and URL-encoded blocks are decoded (bounded) and scanned again ({@code
 * encoded-payload}); look-alike letters, full-width forms, zero-width and bidi characters and light
 * leetspeak are normalised before matching and counted ({@code homoglyphs}, {@code leetspeak}).
 *
 * <p>A scan folds the text once and runs one precompiled keyword automaton over it (time linear in
 * the text, no regex), then scores which cues occur near which. Each rule that fires gives its
 * signal a weight; the score combines the signals as independent evidence, {@code 1 - Π(1 - w)}.
 * One strong rule (an instruction to ignore previous instructions: 0.9) flags a text at the
 * default {@linkplain Builder#threshold(double) threshold} of 0.5; weak cues alone (a mention of
 * "system prompt", a role-play request with no jailbreak, the word "ignore") stay below the
 * {@linkplain Builder#borderline(double) borderline} edge of 0.25; two middling ones together
 * cross the threshold.
 *
 * <pre>{@code
 * InjectionScore s = InjectionScanner.defaults().scan(toolResult);
 * if (s.flagged()) { ... s.signals() ... }
 * }</pre>
 *
 * <p>Immutable and thread-safe; build once and share.
 */
public final class InjectionScanner {
  /** The default threshold: a score at or above it is flagged. */
  public static final double DEFAULT_THRESHOLD = 0.5;
  /** The default lower edge of the borderline band (up to the threshold). */
  public static final double DEFAULT_BORDERLINE = 0.25;
  /** The default longest text a scan accepts, in chars. */
  public static final int DEFAULT_MAX_TEXT_LENGTH = 1_000_000;
  /** The longest text any scanner accepts, in chars. */
  public static final int MAX_TEXT_LENGTH_LIMIT = 100_000_000;
  /** The most phrases a builder takes, over all its phrase lists. */
  public static final int MAX_PHRASES = 10_000;
  /** The longest phrase a builder takes, in chars. */
  public static final int MAX_PHRASE_LENGTH = 200;

  private static final int MAX_DEPTH = 2;
  private static final int CUES = Cue.values().length;
  private static final KeywordAutomaton STANDARD = automaton(List.of());
  private static final InjectionScanner DEFAULTS = new Builder().build();

  private final double threshold;
  private final double borderline;
  private final int maxTextLength;
  private final List<PhraseList> phrases;
  private final KeywordAutomaton automaton;

  private InjectionScanner(Builder b) {
    this.threshold = b.threshold;
    this.borderline = b.borderline;
    this.maxTextLength = b.maxTextLength;
    this.phrases = List.copyOf(b.phrases);
    this.automaton = phrases.isEmpty() ? STANDARD : automaton(phrases);
  }

  /**
   * The scanner with every default: threshold 0.5, borderline from 0.25, texts up to 1,000,000
   * chars.
   */
  public static InjectionScanner defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this scanner's settings, to derive a variant. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.threshold = threshold;
    b.borderline = borderline;
    b.maxTextLength = maxTextLength;
    b.phrases.addAll(phrases);
    return b;
  }

  /**
   * Scores one text: user content, or a tool result the model is about to read.
   *
   * @throws IllegalArgumentException if the text is longer than {@link #maxTextLength()}
   */
  public InjectionScore scan(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() > maxTextLength) {
      throw new IllegalArgumentException("a text of " + text.length()
          + " chars is longer than the scanner's maxTextLength of " + maxTextLength);
    }
    Tally tally = new Tally();
    scanInto(text, tally, 0, null);
    double score = tally.score();
    boolean flagged = score >= threshold;
    return new InjectionScore(score, tally.signals(), flagged, !flagged && score >= borderline);
  }

  /**
   * Scores {@code raw} into {@code tally}, then what its encoded blocks decode to; {@code budget}
   * is the scan's decoding budget, made when first needed (null before).
   */
  private void scanInto(String raw, Tally tally, int depth, Payloads.@Nullable Budget budget) {
    Scratch scratch = Scratch.acquire();
    try {
      TextFold.Folded folded = scratch.folded;
      TextFold.foldInto(raw, folded);
      Hits hits = scratch.hits;
      automaton.scan(folded.chars, folded.length, hits);
      Rules.apply(hits, folded, tally);
      for (int i = 0; i < phrases.size(); i++) {
        if (hits.has(CUES + i)) {
          tally.add(phrases.get(i).signal, phrases.get(i).weight);
        }
      }
    } finally {
      scratch.release();
    }
    if (depth < MAX_DEPTH && Payloads.mayDecode(raw)) {
      Payloads.Budget spend = budget == null ? new Payloads.Budget() : budget;
      for (String decoded : Payloads.decode(raw, spend)) {
        Tally inner = new Tally();
        scanInto(decoded, inner, depth + 1, spend);
        double score = inner.score();
        if (score > 0) {
          tally.addAll(inner);
          tally.add(Rules.ENCODED, score);
        }
      }
    }
  }

  /** The score at or above which a text is flagged. */
  public double threshold() {
    return threshold;
  }

  /** The lower edge of the borderline band, which ends below {@link #threshold()}. */
  public double borderline() {
    return borderline;
  }

  /** The longest text {@link #scan(String)} accepts, in chars. */
  public int maxTextLength() {
    return maxTextLength;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("InjectionScanner[threshold=").append(threshold)
        .append(", borderline=").append(borderline).append(", maxTextLength=")
        .append(maxTextLength);
    for (PhraseList p : phrases) {
      s.append(", ").append(p.signal).append(": ").append(p.phrases.size()).append(" phrases");
    }
    return s.append(']').toString();
  }

  private static KeywordAutomaton automaton(List<PhraseList> extra) {
    KeywordAutomaton.Builder b = new KeywordAutomaton.Builder();
    for (Cue cue : Cue.values()) {
      for (String keyword : cue.keywords()) {
        if (!b.add(keyword, cue.ordinal())) {
          throw new AssertionError("keyword folds to nothing in " + cue);
        }
      }
    }
    for (int i = 0; i < extra.size(); i++) {
      for (String phrase : extra.get(i).phrases) {
        b.add(phrase, CUES + i);
      }
    }
    return b.build();
  }

  private record PhraseList(String signal, double weight, List<String> phrases) {}

  /**
   * Configures an {@link InjectionScanner}. Every setter checks its argument at once ({@link
   * IllegalArgumentException} naming the limit); {@link #build()} checks them together. Not
   * thread-safe; reusable: {@code build()} copies its state.
   */
  public static final class Builder {
    private double threshold = DEFAULT_THRESHOLD;
    private double borderline = DEFAULT_BORDERLINE;
    private int maxTextLength = DEFAULT_MAX_TEXT_LENGTH;
    private final List<PhraseList> phrases = new ArrayList<>();
    private int phraseCount;

    private Builder() {}

    /**
     * The score at or above which a text is flagged (default 0.5).
     *
     * @throws IllegalArgumentException unless {@code 0 < threshold <= 1}
     */
    public Builder threshold(double threshold) {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("threshold must lie in (0, 1], got " + threshold);
      }
      this.threshold = threshold;
      return this;
    }

    /**
     * The lower edge of the borderline band, the scores below the threshold that a classifier
     * may decide (default 0.25).
     *
     * @throws IllegalArgumentException unless {@code 0 <= low < 1}
     */
    public Builder borderline(double low) {
      if (!(low >= 0 && low < 1)) {
        throw new IllegalArgumentException("borderline must lie in [0, 1), got " + low);
      }
      this.borderline = low;
      return this;
    }

    /**
     * The longest text a scan accepts (default 1,000,000 chars); a longer one is refused with an
     * {@link IllegalArgumentException}.
     *
     * @throws IllegalArgumentException unless {@code 1 <= maxTextLength <= 100,000,000}
     */
    public Builder maxTextLength(int maxTextLength) {
      if (maxTextLength < 1 || maxTextLength > MAX_TEXT_LENGTH_LIMIT) {
        throw new IllegalArgumentException("maxTextLength must lie in [1, "
            + MAX_TEXT_LENGTH_LIMIT + "], got " + maxTextLength);
      }
      this.maxTextLength = maxTextLength;
      return this;
    }

    /**
     * Adds a list of phrases of your own: a text containing any of them (folded like every
     * keyword: case, accents, dashes and look-alikes do not matter; a trailing {@code *} makes a
     * phrase a stem) gets the signal {@code signal} with this weight.
     *
     * @param signal the signal's name: 1 to 40 of {@code a-z 0-9 -}, not a built-in name
     * @param weight the weight in (0, 1]
     * @param phrases 1 or more phrases, each at most 200 chars; at most 10,000 over
     *     all lists
     * @throws IllegalArgumentException if a name, weight or phrase breaks those limits
     */
    public Builder phrases(String signal, double weight, Collection<String> phrases) {
      Objects.requireNonNull(signal, "signal");
      Objects.requireNonNull(phrases, "phrases");
      if (!validName(signal)) {
        throw new IllegalArgumentException(
            "a signal name is 1 to 40 of a-z, 0-9 and '-', got " + signal.length() + " chars");
      }
      if (Rules.BUILT_IN.contains(signal)
          || this.phrases.stream().anyMatch(p -> p.signal.equals(signal))) {
        throw new IllegalArgumentException("signal '" + signal + "' is already defined");
      }
      if (!(weight > 0 && weight <= 1)) {
        throw new IllegalArgumentException("weight must lie in (0, 1], got " + weight);
      }
      if (phrases.isEmpty() || phraseCount + phrases.size() > MAX_PHRASES) {
        throw new IllegalArgumentException("a phrase list holds 1 or more phrases and all lists "
            + "at most " + MAX_PHRASES + " together; this one has " + phrases.size()
            + " after " + phraseCount);
      }
      List<String> copy = new ArrayList<>(phrases.size());
      int index = 0;
      for (String phrase : phrases) {
        Objects.requireNonNull(phrase, "phrase");
        String bare = phrase.endsWith("*") ? phrase.substring(0, phrase.length() - 1) : phrase;
        if (phrase.length() > MAX_PHRASE_LENGTH || TextFold.fold(bare).text().isBlank()) {
          throw new IllegalArgumentException("phrase " + index + " of '" + signal
              + "' must have 1 to " + MAX_PHRASE_LENGTH + " chars that are not blank, has "
              + phrase.length());
        }
        copy.add(phrase);
        index++;
      }
      this.phrases.add(new PhraseList(signal, weight, List.copyOf(copy)));
      phraseCount += copy.size();
      return this;
    }

    private static boolean validName(String name) {
      if (name.isEmpty() || name.length() > 40) {
        return false;
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
          return false;
        }
      }
      return true;
    }

    /**
     * Builds the scanner (with phrase lists, its own automaton; without, the shared one).
     *
     * @throws IllegalStateException if the borderline edge is not below the threshold
     */
    public InjectionScanner build() {
      if (borderline >= threshold) {
        throw new IllegalStateException(String.format(Locale.ROOT,
            "borderline %s must be below threshold %s", borderline, threshold));
      }
      return new InjectionScanner(this);
    }
  }
}
