package dev.llmgateway.core.policy.pii;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * libphonenumber's {@code isValidNumber} with one validation of the number where the library
 * makes two for a country calling code that several regions share ({@code +1}, {@code +44},
 * {@code +7}, {@code +39}, ...). The library first finds the number's region, the first of the
 * code's regions whose leading digits match it or, for a region without leading digits, for
 * which it is valid; then it validates the number for that region, which for a region found by
 * validity repeats the check just made. Each check matches the number against the region's
 * number types one by one, each a look-up in the {@code PhoneNumberUtil}'s synchronized pattern
 * cache (9 for a London number): this class returns the first check's answer instead, and so
 * halves the look-ups and matches of such numbers. The answer is the library's: the same
 * regions in the same order, the same leading-digit patterns and the same per-region check
 * ({@code isValidNumberForRegion}); a code with one region goes to {@code isValidNumber} itself.
 *
 * <p>The regions' leading-digit patterns are compiled once each (a few dozen in all metadata) and
 * kept here.
 *
 * <p>{@link #surelyValid} decides the same for a number written in international form without the
 * library: on {@link DigitPattern} automata of the calling code's metadata, with no parse, no
 * {@code Matcher} and no string made. A region's automata are built when a number first needs
 * them (a few milliseconds, once per region and JVM) and kept. It answers only "valid" for sure;
 * anything else goes to the library as before. Thread-safe.
 */
final class PhoneValidity {

  private static final ConcurrentHashMap<String, Pattern> LEADING_DIGITS =
      new ConcurrentHashMap<>();

  /** libphonenumber's region code of the calling codes that belong to no region ({@code +800}). */
  private static final String NON_GEOGRAPHIC = "001";

  /** The shortest and longest national significant number the parser accepts. */
  private static final int MIN_NATIONAL = 2;

  private static final int MAX_NATIONAL = 17;

  /** What {@link #CODES} holds for a number that is no country calling code. */
  private static final Object NOT_A_CODE = new Object();

  /** What {@link #CODES} holds for a calling code a pattern of which the automata cannot read. */
  private static final Object NOT_READ = new Object();

  /** By calling code (1 to 999): {@link #NOT_A_CODE}, {@link #NOT_READ} or its {@link Code}. */
  private static final AtomicReferenceArray<Object> CODES = new AtomicReferenceArray<>(1000);

  private PhoneValidity() {}

  /**
   * True when the number written as {@code +} followed by {@code digits[0, count)} (ASCII digits:
   * the country calling code, then the national number, no separators) is one that {@code
   * parseAndKeepRawInput} and {@link #isValidNumber} would call valid; false when it is not, or
   * when this cannot tell without the library: the national number starts with what the
   * calling code's main region strips as a national prefix when parsing, is shorter than
   * {@value #MIN_NATIONAL} or longer than {@value #MAX_NATIONAL} digits, or the code's metadata
   * has a pattern {@link DigitPattern} does not read.
   *
   * <p>Parsing such a number takes the shortest leading digits that are a calling code as the
   * code, the rest as the national significant number (leading zeros kept), and strips a national
   * prefix only where the main region's prefix pattern matches its start; validity is the number
   * of a region of the code (the first whose leading digits match, or, for regions without, the
   * first it is valid in) matching the general description and one of the number types, each
   * with its possible lengths.
   */
  static boolean surelyValid(PhoneNumberUtil util, char[] digits, int count) {
    if (count <= MIN_NATIONAL || digits[0] == '0') {
      return false;
    }
    Object found = NOT_A_CODE;
    int split = 0;
    int callingCode = 0;
    for (int i = 1; i <= 3 && i < count; i++) {
      int d = digits[i - 1] - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      callingCode = callingCode * 10 + d;
      found = code(util, callingCode);
      if (found != NOT_A_CODE) {
        split = i;
        break;
      }
    }
    if (!(found instanceof Code code)) {
      return false;
    }
    int national = count - split;
    if (national < MIN_NATIONAL || national > MAX_NATIONAL) {
      return false;
    }
    if (code.parsePrefix != null && code.parsePrefix.lookingAt(digits, split, count)) {
      return false;
    }
    return code.valid(digits, split, count);
  }

  /** Forgets every calling code's automata, so that a race test builds them again. */
  static void forgetForTest() {
    for (int i = 0; i < CODES.length(); i++) {
      CODES.set(i, null);
    }
  }

  private static Object code(PhoneNumberUtil util, int callingCode) {
    Object code = CODES.get(callingCode);
    if (code == null) {
      // threads that race here build equal values; the last one stays
      code = Code.of(util, callingCode);
      CODES.set(callingCode, code);
    }
    return code;
  }

  /** A calling code's regions, in the library's order, with their automata. Immutable. */
  private static final class Code {
    final Region[] regions;
    final @Nullable DigitPattern parsePrefix;

    private Code(Region[] regions, @Nullable DigitPattern parsePrefix) {
      this.regions = regions;
      this.parsePrefix = parsePrefix;
    }

    static Object of(PhoneNumberUtil util, int callingCode) {
      List<String> codes = util.getRegionCodesForCountryCode(callingCode);
      if (codes.isEmpty()) {
        return NOT_A_CODE;
      }
      MetadataSource source =
          DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
      Region[] regions = new Region[codes.size()];
      for (int i = 0; i < regions.length; i++) {
        regions[i] = new Region(codes.get(i), callingCode);
      }
      PhoneMetadata main = metadata(source, codes.get(0), callingCode);
      if (main == null) {
        return NOT_READ;
      }
      String prefix = main.getNationalPrefixForParsing();
      DigitPattern parsePrefix = null;
      if (!prefix.isEmpty()) {
        parsePrefix = DigitPattern.compile(prefix);
        if (parsePrefix == null) {
          return NOT_READ;
        }
      }
      return new Code(regions, parsePrefix);
    }

    /** True when valid; false when not, or when a region's metadata cannot be read. */
    boolean valid(char[] digits, int from, int to) {
      if (regions.length == 1) {
        Automata only = regions[0].automata();
        return only != null && only.valid(digits, from, to);
      }
      for (Region region : regions) {
        Automata automata = region.automata();
        if (automata == null) {
          return false;
        }
        if (automata.leadingDigits != null) {
          if (automata.leadingDigits.lookingAt(digits, from, to)) {
            return automata.valid(digits, from, to);
          }
        } else if (automata.valid(digits, from, to)) {
          return true;
        }
      }
      return false;
    }
  }

  private static @Nullable PhoneMetadata metadata(MetadataSource source, String region,
      int callingCode) {
    PhoneMetadata metadata = NON_GEOGRAPHIC.equals(region)
        ? source.getMetadataForNonGeographicalRegion(callingCode)
        : source.getMetadataForRegion(region);
    if (metadata == null
        || (!NON_GEOGRAPHIC.equals(region) && metadata.getCountryCode() != callingCode)) {
      return null;
    }
    return metadata;
  }

  /** One region of a calling code, its automata built on first use. */
  private static final class Region {
    private final String id;
    private final int callingCode;
    /** Null until built, then {@link #NOT_READ} or the {@link Automata}. */
    private volatile @Nullable Object automata;

    Region(String id, int callingCode) {
      this.id = id;
      this.callingCode = callingCode;
    }

    @Nullable Automata automata() {
      Object built = automata;
      if (built == null) {
        // threads that race here build equal automata; the last one stays
        PhoneMetadata metadata = metadata(
            DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource(),
            id, callingCode);
        built = metadata == null ? null : Automata.of(metadata);
        if (built == null) {
          built = NOT_READ;
        }
        automata = built;
      }
      return built == NOT_READ ? null : (Automata) built;
    }
  }

  /** A region's general description, number types and leading digits as automata. Immutable. */
  private static final class Automata {
    final @Nullable DigitPattern leadingDigits;
    final Desc general;
    /** Premium rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed line. */
    final Desc[] types;
    /** Null when the region's mobile and fixed-line patterns are the same. */
    final @Nullable Desc mobile;

    private Automata(@Nullable DigitPattern leadingDigits, Desc general, Desc[] types,
        @Nullable Desc mobile) {
      this.leadingDigits = leadingDigits;
      this.general = general;
      this.types = types;
      this.mobile = mobile;
    }

    static @Nullable Automata of(PhoneMetadata metadata) {
      DigitPattern leading = null;
      if (metadata.hasLeadingDigits()) {
        leading = DigitPattern.compile(metadata.getLeadingDigits());
        if (leading == null) {
          return null;
        }
      }
      PhoneNumberDesc[] descs = {metadata.getPremiumRate(), metadata.getTollFree(),
          metadata.getSharedCost(), metadata.getVoip(), metadata.getPersonalNumber(),
          metadata.getPager(), metadata.getUan(), metadata.getVoicemail(),
          metadata.getFixedLine()};
      Desc[] types = new Desc[descs.length];
      for (int i = 0; i < descs.length; i++) {
        types[i] = Desc.of(descs[i]);
        if (types[i] == null) {
          return null;
        }
      }
      Desc general = Desc.of(metadata.getGeneralDesc());
      Desc mobile = metadata.getSameMobileAndFixedLinePattern() ? null
          : Desc.of(metadata.getMobile());
      if (general == null || (mobile == null && !metadata.getSameMobileAndFixedLinePattern())) {
        return null;
      }
      return new Automata(leading, general, types, mobile);
    }

    /** {@code getNumberTypeHelper(...) != UNKNOWN}. */
    boolean valid(char[] digits, int from, int to) {
      if (!general.matches(digits, from, to)) {
        return false;
      }
      for (Desc type : types) {
        if (type.matches(digits, from, to)) {
          return true;
        }
      }
      return mobile != null && mobile.matches(digits, from, to);
    }
  }

  /** A number description: its possible lengths and its national number pattern. Immutable. */
  private static final class Desc {
    /** Bit n set when a national number of n digits is possible; all bits when none is listed. */
    final long lengths;
    /** Null when the description has no pattern: it matches nothing. */
    final @Nullable DigitPattern pattern;

    private Desc(long lengths, @Nullable DigitPattern pattern) {
      this.lengths = lengths;
      this.pattern = pattern;
    }

    static @Nullable Desc of(PhoneNumberDesc desc) {
      long lengths = desc.getPossibleLengthCount() == 0 ? -1L : 0L;
      for (int length : desc.getPossibleLengthList()) {
        if (length >= 0 && length < 64) {
          lengths |= 1L << length;
        }
      }
      String regex = desc.getNationalNumberPattern();
      if (regex.isEmpty()) {
        return new Desc(lengths, null);
      }
      DigitPattern pattern = DigitPattern.compile(regex);
      return pattern == null ? null : new Desc(lengths, pattern);
    }

    boolean matches(char[] digits, int from, int to) {
      return (lengths & (1L << (to - from))) != 0 && pattern != null
          && pattern.matches(digits, from, to);
    }
  }

  /** What {@code util.isValidNumber(number)} returns. */
  static boolean isValidNumber(PhoneNumberUtil util, PhoneNumber number) {
    List<String> regions = util.getRegionCodesForCountryCode(number.getCountryCode());
    if (regions.size() <= 1) {
      return util.isValidNumber(number);
    }
    MetadataSource metadata =
        DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    String national = null;
    for (String region : regions) {
      PhoneMetadata regionMetadata = metadata.getMetadataForRegion(region);
      if (regionMetadata.hasLeadingDigits()) {
        if (national == null) {
          national = util.getNationalSignificantNumber(number);
        }
        if (leadingDigits(regionMetadata.getLeadingDigits()).matcher(national).lookingAt()) {
          return util.isValidNumberForRegion(number, region);
        }
      } else if (util.isValidNumberForRegion(number, region)) {
        return true;
      }
    }
    return false;
  }

  private static Pattern leadingDigits(String regex) {
    // get first: computeIfAbsent would lock the bin when the key is not its first node
    Pattern pattern = LEADING_DIGITS.get(regex);
    if (pattern == null) {
      Pattern compiled = Pattern.compile(regex);
      pattern = LEADING_DIGITS.putIfAbsent(regex, compiled);
      if (pattern == null) {
        pattern = compiled;
      }
    }
    return pattern;
  }
}
