package dev.llmgateway.core.policy.pii;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Finds PII in a text with the built-in detectors and any {@link PiiDetector} added, and returns
 * the spans sorted by start and never overlapping, allow-listed values left out.
 *
 * <p>Built-ins, each a hand-written scanner linear in the text except the phone detector, which
 * is libphonenumber's matcher once per region:
 *
 * <ul>
 *   <li>{@link PiiType#EMAIL}: the practical subset of RFC 5322 (dot-atom local part, no quoted
 *       forms), Unicode or punycode domains, a top-level domain required, trailing punctuation
 *       left out;
 *   <li>{@link PiiType#PHONE}: libphonenumber's {@code findNumbers} for each of the
 *       {@linkplain Builder#phoneRegions default regions} (national and international forms) at
 *       the {@linkplain Builder#phoneLeniency leniency} set, on the runs of digits no other
 *       detector claimed (a number plainly in international form is parsed and checked directly,
 *       with the matcher's verdict);
 *   <li>{@link PiiType#CREDIT_CARD}: 13–19 digits, together or in the usual groups, in the ranges
 *       and lengths of Visa, Mastercard (2-series too), Amex, Discover, Diners, JCB, UnionPay,
 *       Maestro and Mir, passing Luhn;
 *   <li>{@link PiiType#IBAN}: a registered country, its exact length, mod-97, together or in
 *       groups of four;
 *   <li>{@link PiiType#US_SSN}: {@code AAA-GG-SSSS} of an issuable area, group and serial;
 *       spaced or bare nine digits only beside a word such as "SSN" or "social security";
 *   <li>{@link PiiType#IP_ADDRESS}: IPv4 (octets up to 255, not part of a longer dotted number)
 *       and IPv6 (full, compressed, IPv4-mapped), validated by a parser;
 *   <li>{@link PiiType#SECRET}: provider key prefixes, JWTs, PEM private key blocks and
 *       high-entropy tokens (20–512 chars, two each of upper case, lower case and digits, the
 *       digits not needed from 24 chars on, entropy of at least {@code min(4.3, 0.88 *
 *       log2(length))} bits per char).
 * </ul>
 *
 * <p>On overlap the longer span wins; spans of equal length are ranked SECRET, CREDIT_CARD, IBAN,
 * US_SSN, EMAIL, IP_ADDRESS, PHONE, then added types by name, then the earlier start. Allow-lists
 * apply after that: a winning span whose text is allow-listed is dropped, and with it whatever it
 * overlapped.
 *
 * <p>Immutable and thread-safe: one scanner serves every call.
 */
public final class PiiScanner {

  /** The longest text {@link #scan} takes by default, in chars. */
  public static final int DEFAULT_MAX_TEXT_LENGTH = 1_000_000;

  /**
   * The default phone regions: North America, the larger European markets, India, Brazil, Japan
   * and Australia.
   */
  public static final List<String> DEFAULT_PHONE_REGIONS =
      List.of("US", "CA", "GB", "DE", "FR", "ES", "IT", "NL", "IN", "BR", "JP", "AU");

  private static final Comparator<PiiSpan> WINNER_FIRST =
      Comparator.comparingInt(PiiSpan::length).reversed()
          .thenComparingInt(span -> PiiTypes.priority(span.type()))
          .thenComparing(span -> span.type().name())
          .thenComparingInt(PiiSpan::start);

  private static final Comparator<PiiSpan> BY_START = Comparator.comparingInt(PiiSpan::start);

  private static final Comparator<PiiSpan> OUTER_FIRST = BY_START
      .thenComparing(Comparator.comparingInt(PiiSpan::end).reversed());

  private static final PiiScanner DEFAULTS = builder().build();

  private final List<PiiDetector> detectors;
  /** Whether a built-in detector runs, which reads the text's {@link TextBits}. */
  private final boolean builtIns;
  private final Set<String> allowedValues;
  private final List<Pattern> allowedPatterns;
  private final int maxTextLength;

  private PiiScanner(Builder b) {
    List<PiiDetector> all = new ArrayList<>();
    for (PiiType type : b.types) {
      if (!type.equals(PiiType.PHONE)) {
        all.add(builtIn(type, b));
      }
    }
    if (b.types.contains(PiiType.PHONE)) {
      all.add(builtIn(PiiType.PHONE, b));
    }
    all.addAll(b.detectors);
    this.detectors = List.copyOf(all);
    this.builtIns = !b.types.isEmpty();
    this.allowedValues = Set.copyOf(b.allowedValues);
    this.allowedPatterns = List.copyOf(b.allowedPatterns);
    this.maxTextLength = b.maxTextLength;
  }

  private static PiiDetector builtIn(PiiType type, Builder b) {
    return switch (type.name()) {
      case "EMAIL" -> new EmailDetector();
      case "PHONE" -> new PhoneDetector(b.phoneRegions, b.phoneLeniency);
      case "CREDIT_CARD" -> new CardDetector(b.checksumFailingIsPii);
      case "IBAN" -> new IbanDetector(b.checksumFailingIsPii);
      case "US_SSN" -> new SsnDetector();
      case "IP_ADDRESS" -> new IpDetector();
      case "SECRET" -> new SecretDetector();
      default -> throw new IllegalArgumentException(type + " is not a built-in type");
    };
  }

  /**
   * The scanner with every built-in detector, the {@link #DEFAULT_PHONE_REGIONS}, phone leniency
   * {@link PhoneLeniency#VALID}, checksum-failing numbers not PII, no allow-list and the
   * {@link #DEFAULT_MAX_TEXT_LENGTH}.
   *
   * @return the shared default scanner
   */
  public static PiiScanner defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the {@link #defaults()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The PII in {@code text}.
   *
   * @param text the text, at most {@link Builder#maxTextLength} chars
   * @return the spans, sorted by start, not overlapping, allow-listed values left out
   * @throws IllegalArgumentException when the text is longer than the limit (the message names
   *     the limit and the length, never the text)
   * @throws IllegalStateException when an added detector returns a span outside the text
   */
  public List<PiiSpan> scan(String text) {
    if (text.length() > maxTextLength) {
      throw new IllegalArgumentException("text of " + text.length()
          + " chars is longer than the PII scanner's maxTextLength of " + maxTextLength);
    }
    if (text.isEmpty()) {
      return List.of();
    }
    List<PiiSpan> found = new ArrayList<>();
    TextBits bits = TextBits.acquire(builtIns ? text : "");
    try {
      for (PiiDetector detector : detectors) {
        if (detector instanceof PhoneDetector phones) {
          // last of the built-ins: it skips digits another detector has claimed, which saves the
          // costliest work (a dozen libphonenumber passes over a card's or an IBAN's digits)
          phones.find(text, bits, claimed(found), found);
        } else if (detector instanceof BuiltInDetector builtIn) {
          builtIn.find(text, bits, found);
        } else {
          for (PiiSpan span : detector.detect(text)) {
            if (span.end() > text.length()) {
              throw new IllegalStateException("PII detector " + detector.getClass().getName()
                  + " returned a " + span.type() + " span ending at " + span.end()
                  + ", past the text's " + text.length() + " chars");
            }
            found.add(span);
          }
        }
      }
    } finally {
      bits.release();
    }
    List<PiiSpan> winners = resolve(found);
    if (allowedValues.isEmpty() && allowedPatterns.isEmpty()) {
      return List.copyOf(winners);
    }
    List<PiiSpan> kept = new ArrayList<>(winners.size());
    for (PiiSpan span : winners) {
      if (!allowed(text, span)) {
        kept.add(span);
      }
    }
    return List.copyOf(kept);
  }

  /** Spans sorted by start, nested ones dropped, so a binary search finds the one covering a run. */
  private static List<PiiSpan> claimed(List<PiiSpan> spans) {
    if (spans.isEmpty()) {
      return List.of();
    }
    PiiSpan[] sorted = spans.toArray(new PiiSpan[0]);
    Arrays.sort(sorted, OUTER_FIRST);
    List<PiiSpan> outer = new ArrayList<>(sorted.length);
    int reach = -1;
    for (PiiSpan span : sorted) {
      if (span.end() > reach) {
        outer.add(span);
        reach = span.end();
      }
    }
    return outer;
  }

  /**
   * The winners among {@code spans}: no two overlap, sorted by start. When no two of them
   * overlap, they all win: sorting them by start is all there is to do.
   */
  static List<PiiSpan> resolve(List<PiiSpan> spans) {
    if (spans.size() <= 1) {
      return spans;
    }
    PiiSpan[] byStart = spans.toArray(new PiiSpan[0]);
    Arrays.sort(byStart, BY_START);
    int reach = -1;
    for (PiiSpan span : byStart) {
      if (span.start() < reach) {
        return ranked(spans);
      }
      reach = span.end();
    }
    return Arrays.asList(byStart);
  }

  private static List<PiiSpan> ranked(List<PiiSpan> spans) {
    List<PiiSpan> ranked = new ArrayList<>(spans);
    ranked.sort(WINNER_FIRST);
    TreeMap<Integer, PiiSpan> accepted = new TreeMap<>();
    for (PiiSpan span : ranked) {
      Map.Entry<Integer, PiiSpan> before = accepted.floorEntry(span.start());
      if (before != null && before.getValue().end() > span.start()) {
        continue;
      }
      Map.Entry<Integer, PiiSpan> after = accepted.ceilingEntry(span.start());
      if (after != null && after.getValue().start() < span.end()) {
        continue;
      }
      accepted.put(span.start(), span);
    }
    return new ArrayList<>(accepted.values());
  }

  private boolean allowed(String text, PiiSpan span) {
    String value = text.substring(span.start(), span.end());
    if (allowedValues.contains(value)) {
      return true;
    }
    for (Pattern pattern : allowedPatterns) {
      if (pattern.matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  /** The limit on a scanned text's length, in chars. */
  public int maxTextLength() {
    return maxTextLength;
  }

  /** Names the detectors and limits, never an allow-listed value. */
  @Override
  public String toString() {
    return "PiiScanner{detectors=" + detectors.size() + ", allowedValues=" + allowedValues.size()
        + ", allowedPatterns=" + allowedPatterns.size() + ", maxTextLength=" + maxTextLength + "}";
  }

  /**
   * Configures a {@link PiiScanner}. Reusable: {@link #build()} copies the state. Not
   * thread-safe.
   */
  public static final class Builder {

    private final Set<PiiType> types = new LinkedHashSet<>(PiiTypes.BUILT_IN);
    private List<String> phoneRegions = DEFAULT_PHONE_REGIONS;
    private PhoneLeniency phoneLeniency = PhoneLeniency.VALID;
    private boolean checksumFailingIsPii;
    private final Set<String> allowedValues = new LinkedHashSet<>();
    private final List<Pattern> allowedPatterns = new ArrayList<>();
    private final List<PiiDetector> detectors = new ArrayList<>();
    private int maxTextLength = DEFAULT_MAX_TEXT_LENGTH;

    private Builder() {}

    /**
     * Which built-in detectors run. Default: all seven.
     *
     * @param builtIns built-in types; none runs only the added detectors
     * @return this builder
     * @throws IllegalArgumentException when a type is not built in
     */
    public Builder types(PiiType... builtIns) {
      Set<PiiType> chosen = new LinkedHashSet<>();
      for (PiiType type : builtIns) {
        if (!PiiTypes.BUILT_IN.contains(Objects.requireNonNull(type, "type"))) {
          throw new IllegalArgumentException(type + " is not a built-in PII type; add a "
              + "PiiDetector for it with detector(...)");
        }
        chosen.add(type);
      }
      types.clear();
      types.addAll(chosen);
      return this;
    }

    /**
     * The regions whose national phone numbers are found, as ISO 3166-1 alpha-2 codes that
     * libphonenumber supports. Numbers in international form ({@code +81 3-1234-5678}) are found
     * whatever the regions. Default: {@link #DEFAULT_PHONE_REGIONS}; none finds international
     * numbers only. Each region costs one pass over the text.
     *
     * @param regions region codes, e.g. {@code "US", "DE"}
     * @return this builder
     * @throws IllegalArgumentException when a code is not a region libphonenumber supports
     */
    public Builder phoneRegions(String... regions) {
      Set<String> supported = PhoneDetector.supportedRegions();
      Set<String> chosen = new LinkedHashSet<>();
      for (String region : regions) {
        String code = Objects.requireNonNull(region, "region").toUpperCase(Locale.ROOT);
        if (!supported.contains(code)) {
          throw new IllegalArgumentException("phone region '" + region + "' is not an ISO 3166"
              + " region code that libphonenumber supports (e.g. US, GB, DE)");
        }
        chosen.add(code);
      }
      phoneRegions = List.copyOf(chosen);
      return this;
    }

    /**
     * How strictly a phone number must match. Default {@link PhoneLeniency#VALID}: the number must
     * be in a range its region's numbering plan uses, which keeps order numbers, counts and
     * timestamps of the right length out ({@code POSSIBLE} checks the length only), while
     * numbers grouped unusually in free text ({@code 0301 234 567}) are still found, which the
     * grouping levels miss.
     *
     * @param leniency the level
     * @return this builder
     */
    public Builder phoneLeniency(PhoneLeniency leniency) {
      phoneLeniency = Objects.requireNonNull(leniency, "leniency");
      return this;
    }

    /**
     * Whether card numbers failing Luhn and IBANs failing mod-97 are reported (a mistyped number
     * is still someone's number). Default false: a failing checksum most often means the digits
     * are something else.
     *
     * @param pii true to report them
     * @return this builder
     */
    public Builder checksumFailingIsPii(boolean pii) {
      checksumFailingIsPii = pii;
      return this;
    }

    /**
     * A value never reported, compared with a span's exact text (e.g. the company's support
     * address).
     *
     * @param value the value
     * @return this builder
     * @throws IllegalArgumentException when the value is empty
     */
    public Builder allow(String value) {
      if (Objects.requireNonNull(value, "value").isEmpty()) {
        throw new IllegalArgumentException("an allowed value must not be empty");
      }
      allowedValues.add(value);
      return this;
    }

    /**
     * A pattern whose matches are never reported: matched (whole) against a span's text only, so
     * its cost is bounded by the span's length, never the text's.
     *
     * @param pattern the pattern, e.g. {@code .*@example\.com}
     * @return this builder
     */
    public Builder allowPattern(Pattern pattern) {
      allowedPatterns.add(Objects.requireNonNull(pattern, "pattern"));
      return this;
    }

    /**
     * A detector run beside the built-ins, e.g. for employee ids.
     *
     * @param detector the detector; thread-safe and linear in the text
     * @return this builder
     */
    public Builder detector(PiiDetector detector) {
      detectors.add(Objects.requireNonNull(detector, "detector"));
      return this;
    }

    /**
     * The longest text {@link PiiScanner#scan} takes. Default {@link #DEFAULT_MAX_TEXT_LENGTH}.
     *
     * @param chars the limit, at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code chars < 1}
     */
    public Builder maxTextLength(int chars) {
      if (chars < 1) {
        throw new IllegalArgumentException("maxTextLength must be at least 1; got " + chars);
      }
      maxTextLength = chars;
      return this;
    }

    /**
     * The scanner.
     *
     * @return a new immutable scanner
     */
    public PiiScanner build() {
      return new PiiScanner(this);
    }
  }
}
