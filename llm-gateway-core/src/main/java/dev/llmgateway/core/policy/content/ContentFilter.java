package dev.llmgateway.core.policy.content;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Content categories backed by word lists and patterns, checked over a whole text ({@link
 * #check(CharSequence)}) or incrementally over a stream ({@link #window()}).
 *
 * <p><b>Matching.</b> Text and phrases are normalised alike — NFKC, lower case, every run of
 * whitespace one space, zero-width characters (ZWSP, ZWJ, ZWNJ, word joiner, BOM, soft hyphen)
 * removed — so {@code "Ｂａｄ\u200B  Word"} matches the phrase {@code "bad word"}. A phrase matches
 * on word boundaries: where it begins (ends) with a letter, digit or {@code _}, the character before
 * (after) it must not be one, so {@code "ass"} does not match inside {@code "class"}. (Scripts
 * written without spaces therefore match only whole runs; give such phrases as patterns.) All
 * phrases of all categories are matched together by one Aho–Corasick automaton, built once, in
 * time linear in the text plus the matches. Patterns ({@link Builder#pattern}) are Java regular
 * expressions run on the normalised text (so write them in lower case), each with a declared
 * maximum match length {@code L}: a match is never longer than {@code L}, lookarounds may look at
 * most {@code L} characters beyond it, and a stream keeps {@code 4L} characters for it. A pattern
 * search that makes more than 1,000 character reads per character of the region it searches
 * (catastrophic backtracking) fails the check with an {@link IllegalArgumentException} naming the
 * category.
 *
 * <p><b>Hits</b> are {@link ContentHit}s: the category and UTF-16 offsets into the text as given
 * (before normalisation); they are ordered by where they end, then where they start, then by the
 * category's declaration order. Neither hits nor exceptions carry any of the text.
 *
 * <p><b>Streams.</b> A {@link Window} is fed the stream's text as it arrives and reports the first
 * hit as soon as no earlier one can still appear: a phrase one character after it ends (the word
 * boundary), a pattern once the text has run {@code 3L} characters past its scan position. It
 * keeps only the last few characters (the longest phrase plus one; {@code 4L} per pattern), so its
 * memory is bounded whatever the stream's length, and it finds a phrase or match however the text
 * was cut into chunks: the first hit of a window is the first hit of {@link #check} on the whole
 * text.
 *
 * <p><b>Bounds.</b> {@link #check} takes at most {@link Builder#maxTextLength} characters (default
 * {@value #DEFAULT_MAX_TEXT_LENGTH}) and returns at most the first {@link Builder#maxHits} hits
 * (default {@value #DEFAULT_MAX_HITS}); a filter holds at most {@link Builder#maxPhrases} phrases
 * (default {@value #DEFAULT_MAX_PHRASES}) of at most {@value #MAX_PHRASE_LENGTH} normalised
 * characters each and {@value #MAX_PHRASE_CHARS} characters together; a pattern's declared length is
 * at most {@value #MAX_PATTERN_LENGTH}.
 *
 * <p>The project ships no word lists: categories and their phrases are the user's. (The tests use a
 * small neutral example list, {@code content/example-phrases.txt} in the core test resources, to
 * show the file format.)
 *
 * <p>Immutable and thread-safe; each {@link Window} is for one stream and is not.
 */
public final class ContentFilter {
  /** The default of {@link Builder#maxTextLength(int)}. */
  public static final int DEFAULT_MAX_TEXT_LENGTH = 1_000_000;
  /** The default of {@link Builder#maxHits(int)}. */
  public static final int DEFAULT_MAX_HITS = 1_000;
  /** The default of {@link Builder#maxPhrases(int)}. */
  public static final int DEFAULT_MAX_PHRASES = 100_000;
  /** The most normalised characters one phrase has. */
  public static final int MAX_PHRASE_LENGTH = 256;
  /** The most normalised characters all phrases have together. */
  public static final int MAX_PHRASE_CHARS = 200_000;
  /** The most a pattern's declared maximum match length may be. */
  public static final int MAX_PATTERN_LENGTH = 4_096;
  /** The most characters a line of a phrase file has (before normalisation). */
  public static final int MAX_LINE_LENGTH = 4 * MAX_PHRASE_LENGTH;
  /** The most characters a phrase file has, comments included. */
  public static final long MAX_FILE_CHARS = 64L << 20;
  /** The most categories a filter has. */
  public static final int MAX_CATEGORIES = 256;

  private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9_./-]{1,64}");

  /**
   * A compiled pattern of a category.
   *
   * @param pattern the expression
   * @param maxLength its declared maximum match length
   * @param category the category's index
   */
  record PatternRule(Pattern pattern, int maxLength, int category) {}

  private final List<String> categories;
  private final PhraseAutomaton automaton;
  private final int[] phraseLengths;
  private final int[] phraseCategories;
  private final boolean[] phraseStartsWord;
  private final boolean[] phraseEndsWord;
  private final int longestPhrase;
  private final PatternRule[] patterns;
  private final int maxTextLength;
  private final int maxHits;

  private ContentFilter(Builder b) {
    this.categories = List.copyOf(b.categories.keySet());
    List<String> phrases = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    int index = 0;
    for (Set<String> set : b.categories.values()) {
      for (String phrase : set) {
        phrases.add(phrase);
        owners.add(index);
      }
      index++;
    }
    this.automaton = PhraseAutomaton.of(phrases);
    int n = phrases.size();
    this.phraseLengths = new int[n];
    this.phraseCategories = new int[n];
    this.phraseStartsWord = new boolean[n];
    this.phraseEndsWord = new boolean[n];
    int longest = 0;
    for (int i = 0; i < n; i++) {
      String p = phrases.get(i);
      phraseLengths[i] = p.length();
      phraseCategories[i] = owners.get(i);
      phraseStartsWord[i] = Normaliser.isWordChar(p.charAt(0));
      phraseEndsWord[i] = Normaliser.isWordChar(p.charAt(p.length() - 1));
      longest = Math.max(longest, p.length());
    }
    this.longestPhrase = longest;
    List<PatternRule> rules = new ArrayList<>();
    for (PendingPattern p : b.patterns) {
      rules.add(new PatternRule(p.pattern(), p.maxLength(), categories.indexOf(p.category())));
    }
    this.patterns = rules.toArray(new PatternRule[0]);
    this.maxTextLength = b.maxTextLength;
    this.maxHits = b.maxHits;
  }

  /** A builder with no category. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The hits in the text, in order (see the class doc): all of them, or the first {@link
   * Builder#maxHits} when there are more.
   *
   * @throws IllegalArgumentException when the text is longer than {@link Builder#maxTextLength},
   *     or a pattern backtracks past its budget on it (the message names the category, never the
   *     text)
   */
  public List<ContentHit> check(CharSequence text) {
    Objects.requireNonNull(text, "text");
    if (text.length() > maxTextLength) {
      throw new IllegalArgumentException("the text has " + text.length()
          + " characters, more than maxTextLength (" + maxTextLength + ")");
    }
    // an ASCII text that reaches no state ending a phrase has no hit: one allocation-free pass
    if (isEmpty() || (patterns.length == 0 && !automaton.mayEndPhrase(text))) {
      return List.of();
    }
    Scan scan = new Scan(this, true);
    scan.feed(text);
    scan.finish();
    return List.copyOf(scan.hits());
  }

  /** A window for one stream's text (see {@link Window}). */
  public Window window() {
    return new Window(this);
  }

  /** The categories, in declaration order. */
  public List<String> categories() {
    return categories;
  }

  /** Whether the filter has neither phrases nor patterns (it never hits). */
  public boolean isEmpty() {
    return automaton.states() == 1 && patterns.length == 0;
  }

  PhraseAutomaton automaton() {
    return automaton;
  }

  PatternRule[] patterns() {
    return patterns;
  }

  int maxHits() {
    return maxHits;
  }

  int longestPhrase() {
    return longestPhrase;
  }

  String categoryName(int index) {
    return categories.get(index);
  }

  int phraseLength(int id) {
    return phraseLengths[id];
  }

  int phraseCategory(int id) {
    return phraseCategories[id];
  }

  boolean phraseStartsWord(int id) {
    return phraseStartsWord[id];
  }

  boolean phraseEndsWord(int id) {
    return phraseEndsWord[id];
  }

  @Override
  public String toString() {
    return "ContentFilter[categories=" + categories + ", phrases=" + phraseLengths.length
        + ", patterns=" + patterns.length + "]";
  }

  /**
   * Checks one stream's text as it arrives, chunk by chunk: {@link #append} reports the stream's
   * first hit as soon as the text so far decides it (see {@link ContentFilter}), {@link #finish()}
   * decides what waited for more text (a phrase at the very end, a pattern near it). A phrase or
   * match split across any number of chunks is found; only the last few characters are kept.
   *
   * <p>Once it has reported its hit the window is spent: later appends return null without
   * reading. Not thread-safe: one window per stream, fed by one thread at a time.
   */
  public static final class Window {
    private final Scan scan;
    private final boolean empty;
    private @Nullable ContentHit hit;
    private boolean ended;

    Window(ContentFilter filter) {
      this.empty = filter.isEmpty();
      this.scan = new Scan(filter, false);
    }

    /**
     * Reads the next chunk.
     *
     * @return the stream's first hit if this chunk decided it, else null (also once a hit was
     *     reported before)
     * @throws IllegalStateException after {@link #finish()}, or past {@link Integer#MAX_VALUE}
     *     characters in all
     * @throws IllegalArgumentException when a pattern backtracks past its budget (naming the
     *     category, never the text)
     */
    public @Nullable ContentHit append(CharSequence chunk) {
      Objects.requireNonNull(chunk, "chunk");
      if (ended) {
        throw new IllegalStateException("the window was finished");
      }
      if (hit != null || empty) {
        return null;
      }
      scan.feed(chunk);
      hit = scan.first();
      return hit;
    }

    /**
     * Ends the stream's text and decides what waited for more of it.
     *
     * @return the stream's first hit if only the end decided it, else null
     * @throws IllegalArgumentException when a pattern backtracks past its budget
     */
    public @Nullable ContentHit finish() {
      if (ended || hit != null || empty) {
        ended = true;
        return null;
      }
      ended = true;
      scan.finish();
      hit = scan.first();
      return hit;
    }

    /** How many characters the window's buffer holds (for tests of its bound). */
    int bufferCapacity() {
      return scan.capacity();
    }

    /** The hit this window reported, or null. */
    public @Nullable ContentHit hit() {
      return hit;
    }

    @Override
    public String toString() {
      return "ContentFilter.Window[" + (hit == null ? "no hit" : hit) + (ended ? ", ended" : "")
          + "]";
    }
  }

  /** A pattern as declared, compiled. */
  private record PendingPattern(String category, Pattern pattern, int maxLength) {}

  /**
   * Builds a {@link ContentFilter}. Not thread-safe; reusable ({@link #build()} copies its state).
   */
  public static final class Builder {
    private final Map<String, Set<String>> categories = new LinkedHashMap<>();
    private final List<PendingPattern> patterns = new ArrayList<>();
    private int maxTextLength = DEFAULT_MAX_TEXT_LENGTH;
    private int maxHits = DEFAULT_MAX_HITS;
    private int maxPhrases = DEFAULT_MAX_PHRASES;
    private int phraseCount;
    private long phraseChars;

    Builder() {}

    /**
     * Adds phrases (words or multi-word phrases) to a category, declaring it if new. Each is
     * normalised (see {@link ContentFilter}); duplicates within a category count once.
     *
     * @throws IllegalArgumentException when the name is not 1 to 64 of {@code [A-Za-z0-9_./-]}, a
     *     phrase is empty after normalisation or longer than {@value #MAX_PHRASE_LENGTH}
     *     characters (the message gives its position, never the phrase), or the filter would hold
     *     more than {@link #maxPhrases} phrases or {@value #MAX_PHRASE_CHARS} characters of them
     */
    public Builder category(String name, Collection<String> phrases) {
      Set<String> set = declare(name);
      int position = 0;
      for (String phrase : phrases) {
        add(set, name, phrase, "phrase " + position);
        position++;
      }
      return this;
    }

    /**
     * Adds a pattern to a category, declaring it if new: a Java regular expression, compiled now
     * and run on the normalised text, whose matches are at most {@code maxMatchLength} characters.
     *
     * @throws IllegalArgumentException when the name is not valid, the expression does not compile
     *     (the message gives the compiler's description), or {@code maxMatchLength} is not 1 to
     *     {@value #MAX_PATTERN_LENGTH}
     */
    public Builder pattern(String category, String regex, int maxMatchLength) {
      Objects.requireNonNull(regex, "regex");
      if (maxMatchLength < 1 || maxMatchLength > MAX_PATTERN_LENGTH) {
        throw new IllegalArgumentException("maxMatchLength must be 1 to " + MAX_PATTERN_LENGTH
            + ", was " + maxMatchLength);
      }
      Pattern compiled;
      try {
        compiled = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("the pattern of category '" + category
            + "' does not compile: " + e.getDescription() + " near index " + e.getIndex(), e);
      }
      declare(category);
      patterns.add(new PendingPattern(category, compiled, maxMatchLength));
      return this;
    }

    /**
     * Adds the phrases of a UTF-8 file to a category: one phrase per line; blank lines and lines
     * whose first non-blank character is {@code #} are skipped.
     *
     * @throws IllegalArgumentException as {@link #loadCategory(String, Reader)} does, naming the
     *     file
     * @throws UncheckedIOException when the file cannot be read
     */
    public Builder loadCategory(String name, Path file) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        return load(name, reader, file.getFileName() + ", ");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the phrases of category '" + name + "' from "
            + file.getFileName(), e);
      }
    }

    /**
     * Adds the phrases read from {@code reader} to a category (the format of {@link
     * #loadCategory(String, Path)}); the reader is not closed.
     *
     * @throws IllegalArgumentException when a line is longer than {@value #MAX_LINE_LENGTH}
     *     characters, a phrase is longer than {@value #MAX_PHRASE_LENGTH} once normalised, the
     *     filter would hold more than {@link #maxPhrases} phrases, or the input is longer than
     *     {@value #MAX_FILE_CHARS} characters: each message names the line, never its text
     * @throws UncheckedIOException when reading fails
     */
    public Builder loadCategory(String name, Reader reader) {
      Objects.requireNonNull(reader, "reader");
      try {
        return load(name, reader, "");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the phrases of category '" + name + "'", e);
      }
    }

    private Builder load(String name, Reader reader, String where) throws IOException {
      Set<String> set = declare(name);
      Reader in = reader instanceof BufferedReader ? reader : new BufferedReader(reader);
      StringBuilder line = new StringBuilder();
      int number = 1;
      long read = 0;
      boolean tooLong = false;
      for (int c = in.read(); ; c = in.read()) {
        if (c >= 0 && ++read > MAX_FILE_CHARS) {
          throw new IllegalArgumentException(where + "line " + number + ": the phrases of "
              + "category '" + name + "' are longer than " + MAX_FILE_CHARS + " characters");
        }
        if (c == '\n' || c < 0) {
          if (tooLong) {
            throw new IllegalArgumentException(where + "line " + number + ": longer than "
                + MAX_LINE_LENGTH + " characters");
          }
          String text = line.toString().strip();
          if (!text.isEmpty() && !text.startsWith("#")) {
            add(set, name, text, where + "line " + number);
          }
          line.setLength(0);
          if (c < 0) {
            return this;
          }
          number++;
        } else if (c != '\r') {
          if (line.length() < MAX_LINE_LENGTH) {
            line.append((char) c);
          } else {
            tooLong = true;
          }
        }
      }
    }

    /**
     * The most characters {@link ContentFilter#check} takes (default {@value
     * #DEFAULT_MAX_TEXT_LENGTH}).
     *
     * @throws IllegalArgumentException when it is not positive
     */
    public Builder maxTextLength(int maxTextLength) {
      if (maxTextLength < 1) {
        throw new IllegalArgumentException("maxTextLength must be > 0, was " + maxTextLength);
      }
      this.maxTextLength = maxTextLength;
      return this;
    }

    /**
     * The most hits {@link ContentFilter#check} returns, the first ones in order (default {@value
     * #DEFAULT_MAX_HITS}): a text with a hit at every word stays a bounded answer.
     *
     * @throws IllegalArgumentException when it is not positive
     */
    public Builder maxHits(int maxHits) {
      if (maxHits < 1) {
        throw new IllegalArgumentException("maxHits must be > 0, was " + maxHits);
      }
      this.maxHits = maxHits;
      return this;
    }

    /**
     * The most phrases the filter holds, all categories together (default {@value
     * #DEFAULT_MAX_PHRASES}); checked as phrases are added.
     *
     * @throws IllegalArgumentException when it is not positive, or below the phrases already added
     */
    public Builder maxPhrases(int maxPhrases) {
      if (maxPhrases < 1 || maxPhrases < phraseCount) {
        throw new IllegalArgumentException("maxPhrases must be > 0 and at least the "
            + phraseCount + " phrases added, was " + maxPhrases);
      }
      this.maxPhrases = maxPhrases;
      return this;
    }

    /** Builds the filter: the automaton over every phrase, once. */
    public ContentFilter build() {
      return new ContentFilter(this);
    }

    private Set<String> declare(String name) {
      Objects.requireNonNull(name, "name");
      if (!CATEGORY.matcher(name).matches()) {
        throw new IllegalArgumentException("a category name is 1 to 64 of [A-Za-z0-9_./-], was "
            + name.length() + " characters that are not");
      }
      Set<String> set = categories.get(name);
      if (set == null) {
        if (categories.size() == MAX_CATEGORIES) {
          throw new IllegalArgumentException("a filter has at most " + MAX_CATEGORIES
              + " categories");
        }
        set = new LinkedHashSet<>();
        categories.put(name, set);
      }
      return set;
    }

    private void add(Set<String> set, String category, String raw, String where) {
      Objects.requireNonNull(raw, "phrase");
      if (raw.length() > MAX_LINE_LENGTH) {
        throw new IllegalArgumentException(where + " of category '" + category + "' is longer "
            + "than " + MAX_LINE_LENGTH + " characters");
      }
      String phrase = Normaliser.phrase(raw);
      if (phrase.isEmpty()) {
        throw new IllegalArgumentException(where + " of category '" + category
            + "' is empty once normalised");
      }
      if (phrase.length() > MAX_PHRASE_LENGTH) {
        throw new IllegalArgumentException(where + " of category '" + category + "' has "
            + phrase.length() + " characters once normalised, more than " + MAX_PHRASE_LENGTH);
      }
      if (set.contains(phrase)) {
        return;
      }
      if (phraseCount == maxPhrases) {
        throw new IllegalArgumentException(where + " of category '" + category
            + "' is one more than maxPhrases (" + maxPhrases + ")");
      }
      if (phraseChars + phrase.length() > MAX_PHRASE_CHARS) {
        throw new IllegalArgumentException(where + " of category '" + category + "' takes the "
            + "phrases past " + MAX_PHRASE_CHARS + " characters together");
      }
      set.add(phrase);
      phraseCount++;
      phraseChars += phrase.length();
    }
  }

}
