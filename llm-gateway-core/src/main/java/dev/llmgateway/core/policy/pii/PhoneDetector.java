package dev.llmgateway.core.policy.pii;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber.CountryCodeSource;
import java.lang.Character.UnicodeBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Phone numbers as libphonenumber finds them ({@code PhoneNumberUtil.findNumbers}): once per
 * default region, so national numbers of each region are found, and numbers in international
 * form ({@code +49 30 1234567}) whatever the region. With no region, only international numbers.
 * Only runs of digits and phone punctuation with at least seven digits and at most {@link #MAX_RUN}
 * chars (and one char of context on each side) are handed to the library, so prose costs a scan
 * and the library's work per scan is bounded by the runs' count; runs that are wholly an IPv4
 * address, a date or a card number are skipped, and a run one region's number covers is not
 * tried in the others. The matcher's work per scan is capped by {@link #WORK_BUDGET}.
 *
 * <p>A run that is plainly one number in international form ({@code +44 20 7946 0018}: a plus,
 * digit groups split by single spaces or hyphens, nothing around it that the matcher would look
 * at) is parsed and checked directly, with the checks {@code findNumbers} makes at the
 * {@code VALID} and {@code POSSIBLE} levels, which costs a third of the matcher; when that
 * check fails, or for any other run, the matcher decides as before. At {@code VALID} the check
 * first runs on automata of the calling code's metadata ({@link PhoneValidity#surelyValid}),
 * with no parse and no regex; what they cannot call valid goes to the library's parse and check.
 *
 * <p>Each scan works with the {@code PhoneNumberUtil} of the calling thread's slot in {@link
 * PhoneUtilStripe}, not the JVM-wide {@code getInstance()}, so concurrent scans do not share one
 * instance's pattern caches and their monitors.
 *
 * <p>Immutable and thread-safe ({@code PhoneNumberUtil} is).
 */
final class PhoneDetector implements PiiDetector {

  /** libphonenumber's region code for "unknown": only numbers with a {@code +} parse. */
  private static final String UNKNOWN_REGION = "ZZ";
  /**
   * A run of phone chars with fewer digits holds no phone number to look at: the default regions'
   * shortest national numbers with their trunk prefix have seven.
   */
  private static final int MIN_DIGITS = 7;

  /**
   * A longer run of phone chars (numeric tables, vectors, digit soup) is not looked at: the
   * matcher costs tens of microseconds per candidate and region, so such runs would make the scan
   * slow; a phone number with its formatting is under 30 chars, and a few of them in a row fit.
   */
  static final int MAX_RUN = 96;

  /**
   * The matcher's work per scan, in chars handed to it times regions: 131,072, which a 1 KB
   * prompt uses a few hundred of. Past it, each remaining run is reported whole as a phone
   * number (fail closed) instead of being looked at, so no text makes the scan slow.
   */
  static final int WORK_BUDGET = 1 << 17;

  /**
   * The most digits a number is checked directly with: a country calling code and the longest
   * national number (3 + 17), the most the matcher takes in one block.
   */
  private static final int MAX_PLAIN_DIGITS = 20;

  /** The most digits a card number has: a run with more is no card number either. */
  private static final int MAX_CARD_DIGITS = 19;

  /** The chars below 64 that {@link #phoneChar} takes: digits, space and {@code -.()/+}. */
  private static final long PHONE_ASCII = asciiSet("0123456789 -.()/+");

  private final List<String> regions;
  private final PhoneNumberUtil.Leniency leniency;
  private final boolean direct;

  PhoneDetector(List<String> regions, PhoneLeniency leniency) {
    this(regions, leniency, true);
  }

  /**
   * With {@code direct} false every run goes to the matcher: the reference the direct check is
   * tested against.
   */
  PhoneDetector(List<String> regions, PhoneLeniency leniency, boolean direct) {
    this.regions = regions.isEmpty() ? List.of(UNKNOWN_REGION) : List.copyOf(regions);
    this.leniency = leniency.libphonenumber();
    this.direct = direct && (leniency == PhoneLeniency.VALID
        || leniency == PhoneLeniency.POSSIBLE);
  }

  @Override
  public List<PiiSpan> detect(String text) {
    List<PiiSpan> spans = new ArrayList<>();
    TextBits bits = TextBits.acquire(text);
    try {
      find(text, bits, List.of(), spans);
    } finally {
      bits.release();
    }
    return spans;
  }

  /**
   * The phone numbers in {@code text}, not looking at runs of digits that lie wholly inside one of
   * {@code claimed} (spans other detectors found, sorted by start): a phone number there is
   * shorter than the claiming span, or as long and of a lower priority, so it would lose anyway.
   * The numbers go to {@code spans}.
   */
  void find(String text, TextBits bits, List<PiiSpan> claimed, List<PiiSpan> spans) {
    List<int[]> windows = new ArrayList<>();
    int n = text.length();
    // the runs of phone chars that hold a digit, each found from the bits
    for (int d = bits.next(TextBits.ANY_DIGIT, 0); d >= 0; ) {
      int i = bits.previousOther(TextBits.PHONE, d) + 1;
      int end = bits.nextOther(TextBits.PHONE, d);
      if (end - i <= MAX_RUN && bits.count(TextBits.ANY_DIGIT, i, end) >= MIN_DIGITS
          && !explainedOtherwise(text, i, end, bits.chars())
          && !insideClaimed(text, i, end, claimed)) {
        windows.add(new int[] {Math.max(0, i - 1), Math.min(n, end + 1)});
      }
      d = bits.next(TextBits.ANY_DIGIT, end);
    }
    if (windows.isEmpty()) {
      return;
    }
    PhoneNumberUtil util = PhoneUtilStripe.current();
    int budget = WORK_BUDGET;
    for (int[] window : windows) {
      int length = window[1] - window[0];
      int firstDigit = firstDigit(text, window[0], window[1]) - window[0];
      int lastDigit = lastDigit(text, window[0], window[1]) - window[0];
      if (budget < length * regions.size()) {
        // over budget: fail closed, the run is reported rather than looked at
        spans.add(new PiiSpan(PiiType.PHONE, window[0] + firstDigit, window[0] + lastDigit + 1));
        continue;
      }
      budget -= length * regions.size();
      // a number found in a window holds some of its digits, which no other window holds: only
      // another region's numbers in this window can repeat one
      int windowFirst = spans.size();
      int plus = direct ? plainInternational(util, text, window[0] + firstDigit,
          window[0] + lastDigit + 1, window[1], bits.chars()) : -1;
      if (plus >= 0) {
        int end = window[0] + lastDigit + 1;
        spans.add(new PiiSpan(PiiType.PHONE, plus, end));
        continue;
      }
      CharSequence part = text.subSequence(window[0], window[1]);
      for (String region : regions) {
        boolean covered = false;
        for (PhoneNumberMatch match : util.findNumbers(part, region, leniency, Long.MAX_VALUE)) {
          int start = window[0] + match.start();
          int end = window[0] + match.end();
          if (!foundSince(spans, windowFirst, start, end)) {
            spans.add(new PiiSpan(PiiType.PHONE, start, end));
          }
          covered |= match.start() <= firstDigit && match.end() > lastDigit;
        }
        if (covered) {
          // the whole run is one number: another region can find no other number in it
          break;
        }
      }
    }
  }

  private static boolean foundSince(List<PiiSpan> spans, int from, int start, int end) {
    for (int k = from; k < spans.size(); k++) {
      PiiSpan span = spans.get(k);
      if (span.start() == start && span.end() == end) {
        return true;
      }
    }
    return false;
  }

  /**
   * The index of the plus sign when the run whose digits span {@code text[first, last)} is
   * plainly one number in international form that libphonenumber's matcher, given the window
   * ending at {@code windowEnd}, would report whole for the first region; -1 when it is not of
   * that shape or does not pass, so that the matcher decides.
   *
   * <p>The shape: {@code +} right before the first digit with only spaces between it and the
   * start of the run, and no bracket or plus sign just before the run (the matcher's number
   * would start there); digit groups split by single spaces or hyphens up to the last digit,
   * at most {@value #MAX_PLAIN_DIGITS} digits; after the last digit no Latin letter, currency
   * sign or {@code %} (the matcher would then try the number's parts). Such a run is one
   * candidate for the matcher, with no extension, date, page or time-stamp form, and parsing it
   * does not depend on the region; the matcher then reports it when the number is valid
   * ({@code VALID}: valid for its country calling code, written with the plus, so no national
   * prefix is needed and no {@code x} is in it) or possible ({@code POSSIBLE}).
   */
  private int plainInternational(PhoneNumberUtil util, String text, int first, int last,
      int windowEnd, char[] digits) {
    int plus = first - 1;
    if (plus < 0 || text.charAt(plus) != '+') {
      return -1;
    }
    int start = plus;
    while (start > 0 && text.charAt(start - 1) == ' ') {
      start--;
    }
    if (start > 0 && (phoneChar(text.charAt(start - 1)) || leadChar(text.charAt(start - 1)))) {
      return -1;
    }
    int count = 0;
    for (int k = first; k < last; k++) {
      char c = text.charAt(k);
      if (Chars.digit(c)) {
        if (count == MAX_PLAIN_DIGITS) {
          return -1;
        }
        digits[count++] = c;
      } else if ((c != ' ' && c != '-') || !Chars.digit(text.charAt(k + 1))) {
        return -1;
      }
    }
    for (int k = last; k < windowEnd; k++) {
      if (Character.isDigit(text.charAt(k))) {
        return -1;
      }
    }
    if (last < text.length() && breaksNumber(text.charAt(last))) {
      return -1;
    }
    if (leniency == PhoneNumberUtil.Leniency.VALID
        && PhoneValidity.surelyValid(util, digits, count)) {
      return plus;
    }
    try {
      PhoneNumber number = util.parseAndKeepRawInput(text.substring(plus, last), regions.get(0));
      boolean passes = leniency == PhoneNumberUtil.Leniency.POSSIBLE
          ? util.isPossibleNumber(number)
          : number.getCountryCodeSource() == CountryCodeSource.FROM_NUMBER_WITH_PLUS_SIGN
              && PhoneValidity.isValidNumber(util, number);
      return passes ? plus : -1;
    } catch (NumberParseException e) {
      return -1;
    }
  }

  /**
   * What libphonenumber's matcher starts a number with besides a digit: brackets and plus
   * signs.
   */
  private static boolean leadChar(char c) {
    return c == '(' || c == '[' || c == '\uFF08' || c == '\uFF3B' || c == '+' || c == '\uFF0B';
  }

  /**
   * A char that, right after a number, makes libphonenumber's matcher refuse the number as
   * written ({@code 8005001234def}, {@code 20%}, {@code 100$}): a Latin letter or combining mark,
   * a currency sign or {@code %}.
   */
  private static boolean breaksNumber(char c) {
    if (c == '%' || Character.getType(c) == Character.CURRENCY_SYMBOL) {
      return true;
    }
    if (!Character.isLetter(c) && Character.getType(c) != Character.NON_SPACING_MARK) {
      return false;
    }
    UnicodeBlock block = UnicodeBlock.of(c);
    return block == UnicodeBlock.BASIC_LATIN || block == UnicodeBlock.LATIN_1_SUPPLEMENT
        || block == UnicodeBlock.LATIN_EXTENDED_A || block == UnicodeBlock.LATIN_EXTENDED_ADDITIONAL
        || block == UnicodeBlock.LATIN_EXTENDED_B || block == UnicodeBlock.COMBINING_DIACRITICAL_MARKS;
  }

  /**
   * Whether the run {@code text[from, to)}, trimmed to its digits, is wholly an IPv4 address, a
   * date ({@code 2024-11-05}, {@code 05.11.2024}), a version string, a Unix time, a payment card
   * number, or an id glued to a word ({@code INV-932164574}): the matcher would refuse it or lose
   * to another detector after a dozen passes, or take it for a number it is not.
   */
  private static boolean explainedOtherwise(String text, int from, int to, char[] digits) {
    int first = from;
    while (first < to && !Chars.digit(text.charAt(first))) {
      first++;
    }
    int last = to;
    while (last > first && !Chars.digit(text.charAt(last - 1))) {
      last--;
    }
    if (first > from && text.charAt(first - 1) == '+') {
      return false;
    }
    char lead = text.charAt(from);
    if ((lead == '-' || lead == '/') && from > 0 && Chars.asciiAlnum(text.charAt(from - 1))) {
      // glued to a word by a dash or slash: an id such as ORD-2024-565868 or INV-932164574
      return true;
    }
    if (versionLike(text, first, last) || timestampLike(text, first, last)) {
      return true;
    }
    if (IpDetector.ipv4End(text, first) == last) {
      return true;
    }
    if (last - first == 10 && date(text, first)) {
      return true;
    }
    int count = 0;
    for (int k = first; k < last; k++) {
      char c = text.charAt(k);
      if (Chars.digit(c)) {
        if (count == MAX_CARD_DIGITS) {
          return false;
        }
        digits[count++] = c;
      } else if (c != ' ' && c != '-') {
        return false;
      }
    }
    return count >= 13 && count <= 19 && CardDetector.issuerAccepts(digits, count)
        && CardDetector.luhn(digits, count);
  }

  /**
   * Digit groups split by dots with a one-digit group inside ({@code 121.0.3212.140}): a version
   * string; phone numbers written with dots group their digits in twos to fours.
   */
  private static boolean versionLike(String text, int first, int last) {
    for (int k = first; k < last; k++) {
      char c = text.charAt(k);
      if (c == '.') {
        if (k + 2 < last && Chars.digit(text.charAt(k + 1)) && text.charAt(k + 2) == '.') {
          return true;
        }
      } else if (!Chars.digit(c)) {
        return false;
      }
    }
    return false;
  }

  /**
   * Bare digits that read as a Unix time of 2017 to 2033 in seconds (ten digits from 15 to 19)
   * or milliseconds (thirteen): build numbers and log stamps more often than phone numbers.
   */
  private static boolean timestampLike(String text, int first, int last) {
    int length = last - first;
    if (length != 10 && length != 13) {
      return false;
    }
    for (int k = first; k < last; k++) {
      if (!Chars.digit(text.charAt(k))) {
        return false;
      }
    }
    return text.charAt(first) == '1' && text.charAt(first + 1) >= '5';
  }

  /**
   * Whether the ten chars from {@code at} are a date: {@code yyyy-mm-dd}, {@code dd.mm.yyyy},
   * {@code dd/mm/yyyy} and the like.
   */
  private static boolean date(String text, int at) {
    boolean yearFirst = text.charAt(at + 4) == text.charAt(at + 7)
        && !Chars.digit(text.charAt(at + 4));
    boolean yearLast = text.charAt(at + 2) == text.charAt(at + 5)
        && !Chars.digit(text.charAt(at + 2));
    for (int k = 0; k < 10; k++) {
      boolean separator = yearFirst ? k == 4 || k == 7 : k == 2 || k == 5;
      if (separator != !Chars.digit(text.charAt(at + k))) {
        return false;
      }
    }
    return yearFirst || yearLast;
  }

  private static boolean insideClaimed(String text, int from, int to, List<PiiSpan> claimed) {
    int first = from;
    while (first < to && !Character.isDigit(text.charAt(first))) {
      first++;
    }
    int last = to;
    while (last > first && !Character.isDigit(text.charAt(last - 1))) {
      last--;
    }
    int low = 0;
    int high = claimed.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      PiiSpan span = claimed.get(mid);
      if (span.start() > first) {
        high = mid - 1;
      } else if (span.end() < last) {
        low = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** The index of the first digit in {@code text[from, to)}, or {@code from} when none is. */
  private static int firstDigit(String text, int from, int to) {
    for (int k = from; k < to; k++) {
      if (Character.isDigit(text.charAt(k))) {
        return k;
      }
    }
    return from;
  }

  /** The index of the last digit in {@code text[from, to)}, or {@code to - 1} when none is. */
  private static int lastDigit(String text, int from, int to) {
    for (int k = to - 1; k >= from; k--) {
      if (Character.isDigit(text.charAt(k))) {
        return k;
      }
    }
    return to - 1;
  }

  /** Digits of any script, and what phone numbers are written with between them. */
  static boolean phoneChar(char c) {
    if (c < 64) {
      return (PHONE_ASCII & (1L << c)) != 0;
    }
    if (c < 128) {
      return c == '~';
    }
    return Character.isDigit(c) || c == '\u00A0' || c == '\u2009' || c == '\u202F'
        || (c >= '\u2010' && c <= '\u2015') || c == '\u2212' || c == '\u30FC'
        || c == '\uFF08' || c == '\uFF09' || c == '\uFF0B' || c == '\uFF0D' || c == '\uFF0E'
        || c == '\uFF0F' || c == '\u3000';
  }

  private static long asciiSet(String chars) {
    long set = 0;
    for (int k = 0; k < chars.length(); k++) {
      set |= 1L << chars.charAt(k);
    }
    return set;
  }

  /** The region codes libphonenumber knows. */
  static Set<String> supportedRegions() {
    return PhoneUtilStripe.current().getSupportedRegions();
  }
}
