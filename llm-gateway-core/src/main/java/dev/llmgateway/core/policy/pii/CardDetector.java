package dev.llmgateway.core.policy.pii;

import java.util.List;

/**
 * Payment card numbers: 13 to 19 digits, written together or in the usual groups (fours, Amex's
 * 4-6-5, Diners' 4-6-4) split by single spaces or dashes, whose leading digits fall in an issuer's
 * range with a length that issuer uses, and which pass the Luhn check (or fail it, when
 * checksum-failing numbers are PII). A hand-written scanner, linear in the text. Immutable and
 * thread-safe.
 */
final class CardDetector implements BuiltInDetector {

  private static final int MIN_DIGITS = 13;
  private static final int MAX_DIGITS = 19;
  private static final int MAX_GROUPS = TextBits.SCRATCH_INTS;

  static {
    if (MAX_DIGITS + 4 * MAX_GROUPS > TextBits.SCRATCH_CHARS) {
      throw new AssertionError("a card's groups do not fit the scan's working chars");
    }
  }

  private final boolean checksumFailingIsPii;

  CardDetector(boolean checksumFailingIsPii) {
    this.checksumFailingIsPii = checksumFailingIsPii;
  }

  @Override
  public void find(String text, TextBits runs, List<PiiSpan> spans) {
    int n = text.length();
    int[] groupStart = runs.starts();
    int[] groupEnd = runs.ends();
    char[] digits = runs.chars();
    int i = 0;
    while (true) {
      i = runs.nextDigit(i);
      if (i < 0) {
        break;
      }
      int runEnd = runs.digitsEnd(i);
      if ((i > 0 && Chars.word(text.charAt(i - 1))) || Chars.continuesNumberBefore(text, i)
          || runEnd - i > MAX_DIGITS) {
        i = runEnd;
        continue;
      }
      if (!enoughDigits(text, i)) {
        // fewer than 13 digits in the groups from here: no card starts here
        i = runEnd;
        continue;
      }
      int groups = 0;
      int count = 0;
      char separator = 0;
      int p = i;
      while (true) {
        int e = Chars.digitsEnd(text, p);
        if (count + (e - p) > MAX_DIGITS + 4 * MAX_GROUPS) {
          break;
        }
        text.getChars(p, e, digits, count);
        groupStart[groups] = p;
        groupEnd[groups] = e;
        groups++;
        count += e - p;
        if (count > MAX_DIGITS || groups == MAX_GROUPS || e + 1 >= n) {
          break;
        }
        char sep = text.charAt(e);
        if ((sep != ' ' && sep != '-') || (separator != 0 && sep != separator)
            || !Chars.digit(text.charAt(e + 1))) {
          break;
        }
        separator = sep;
        p = e + 1;
      }
      int found = -1;
      int length = count;
      for (int k = groups; k >= 1 && found < 0; k--) {
        length = 0;
        for (int g = 0; g < k; g++) {
          length += groupEnd[g] - groupStart[g];
        }
        int end = groupEnd[k - 1];
        if (length < MIN_DIGITS) {
          break;
        }
        if (length > MAX_DIGITS || (end < n && Chars.word(text.charAt(end)))
            || (k < groups && groupEnd[k] - groupStart[k] == 4)
            || (k == groups && Chars.numberGoesOnAfter(text, end))
            || !usualGrouping(groupStart, groupEnd, k)
            || !issuerAccepts(digits, length)) {
          continue;
        }
        if (checksumFailingIsPii || luhn(digits, length)) {
          found = end;
        }
      }
      if (found > 0) {
        spans.add(new PiiSpan(PiiType.CREDIT_CARD, i, found));
        i = found;
      } else {
        i = runEnd;
      }
    }
  }

  /**
   * Whether the digit groups from {@code from}, split by single spaces or dashes, hold at least
   * {@value #MIN_DIGITS} digits: a card needs them, so runs such as a year or a count are
   * passed over without reading them into the buffers.
   */
  private static boolean enoughDigits(String text, int from) {
    int n = text.length();
    int count = 0;
    int p = from;
    while (p < n) {
      char c = text.charAt(p);
      if (Chars.digit(c)) {
        if (++count == MIN_DIGITS) {
          return true;
        }
      } else if ((c != ' ' && c != '-') || p + 1 >= n || !Chars.digit(text.charAt(p + 1))) {
        return false;
      }
      p++;
    }
    return false;
  }

  private static boolean usualGrouping(int[] start, int[] end, int groups) {
    if (groups == 1) {
      return true;
    }
    if (groups == 3 && end[0] - start[0] == 4 && end[1] - start[1] == 6) {
      int last = end[2] - start[2];
      return last == 4 || last == 5;
    }
    for (int g = 0; g < groups - 1; g++) {
      if (end[g] - start[g] != 4) {
        return false;
      }
    }
    return groups >= 3 && end[groups - 1] - start[groups - 1] <= 4;
  }

  /** Whether the leading digits fall in an issuer's range and the length is one it issues. */
  static boolean issuerAccepts(char[] d, int length) {
    int p1 = d[0] - '0';
    int p2 = prefix(d, 2);
    int p3 = prefix(d, 3);
    int p4 = prefix(d, 4);
    int p6 = prefix(d, 6);
    if (p1 == 4) {
      return length == 13 || length == 16 || length == 19;
    }
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
      return length == 16;
    }
    if (p2 == 34 || p2 == 37) {
      return length == 15;
    }
    boolean sixteenToNineteen = length >= 16 && length <= MAX_DIGITS;
    if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925)) {
      return sixteenToNineteen;
    }
    if ((p3 >= 300 && p3 <= 305) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39) {
      return length >= 14 && length <= MAX_DIGITS;
    }
    if (p4 >= 3528 && p4 <= 3589) {
      return sixteenToNineteen;
    }
    if (p2 == 62 || p2 == 81) {
      return sixteenToNineteen;
    }
    if (p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 || p4 == 6304 || p4 == 6759
        || (p4 >= 6761 && p4 <= 6763)) {
      return length >= MIN_DIGITS && length <= MAX_DIGITS;
    }
    if (p4 >= 2200 && p4 <= 2204) {
      return sixteenToNineteen;
    }
    return false;
  }

  private static int prefix(char[] d, int count) {
    int value = 0;
    for (int i = 0; i < count; i++) {
      value = value * 10 + (d[i] - '0');
    }
    return value;
  }

  /** The Luhn (mod 10) check over the first {@code length} digits. */
  static boolean luhn(char[] d, int length) {
    int sum = 0;
    boolean twice = false;
    for (int i = length - 1; i >= 0; i--) {
      int v = d[i] - '0';
      if (twice) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /** Whether {@code value}'s digits (others ignored) pass the Luhn check. */
  static boolean luhn(String value) {
    char[] d = new char[value.length()];
    int length = 0;
    for (int i = 0; i < value.length(); i++) {
      if (Chars.digit(value.charAt(i))) {
        d[length++] = value.charAt(i);
      }
    }
    return length > 0 && luhn(d, length);
  }
}
