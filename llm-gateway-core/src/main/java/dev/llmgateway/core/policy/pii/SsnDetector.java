package dev.llmgateway.core.policy.pii;

import java.util.List;

/**
 * US social security numbers: {@code AAA-GG-SSSS} anywhere, and {@code AAA GG SSSS} or the bare
 * nine digits only with a context word ({@code SSN}, {@code social security}, ...) within 40
 * chars before or 20 after. Numbers the SSA never issues are left out: area 000, 666 or
 * 900–999, group 00, serial 0000. A hand-written scanner, linear in the text. Stateless and
 * thread-safe.
 */
final class SsnDetector implements BuiltInDetector {

  private static final int CONTEXT_BEFORE = 40;
  private static final int CONTEXT_AFTER = 20;
  private static final String[] CONTEXT = {"ssn", "social security", "soc sec", "ss#", "ss no",
      "ss-nr", "sozialversicherungsnummer", "seguro social", "sécurité sociale"};

  @Override
  public void find(String text, TextBits digits, List<PiiSpan> spans) {
    int n = text.length();
    int i = 0;
    while (true) {
      i = digits.nextDigit(i);
      if (i < 0) {
        break;
      }
      int runEnd = digits.digitsEnd(i);
      if ((i > 0 && Chars.word(text.charAt(i - 1))) || Chars.continuesNumberBefore(text, i)) {
        i = runEnd;
        continue;
      }
      int end = -1;
      if (runEnd - i == 3 && runEnd + 8 <= n) {
        char sep = text.charAt(runEnd);
        if ((sep == '-' || sep == ' ') && digits(text, runEnd + 1, 2)
            && text.charAt(runEnd + 3) == sep && digits(text, runEnd + 4, 4)
            && (sep == '-' || (!gluedToAnId(text, i) && hasContext(text, i, runEnd + 8)))) {
          end = runEnd + 8;
        }
      } else if (runEnd - i == 9 && !gluedToAnId(text, i) && hasContext(text, i, runEnd)) {
        end = runEnd;
      }
      if (end > 0 && (end == n || !Chars.word(text.charAt(end)))
          && !Chars.numberGoesOnAfter(text, end) && issuable(text, i, end)) {
        spans.add(new PiiSpan(PiiType.US_SSN, i, end));
        i = end;
      } else {
        i = runEnd;
      }
    }
  }

  /**
   * Whether the digits at {@code start} end an id such as {@code INV-122866674} or
   * {@code #123456789}: a hash, or a dash, slash or dot glued to a letter or digit, before them.
   */
  private static boolean gluedToAnId(String text, int start) {
    if (start < 1) {
      return false;
    }
    char before = text.charAt(start - 1);
    if (before == '#') {
      return true;
    }
    return start >= 2 && (before == '-' || before == '/' || before == '.')
        && Chars.word(text.charAt(start - 2));
  }

  private static boolean digits(String text, int from, int count) {
    for (int k = from; k < from + count; k++) {
      if (!Chars.digit(text.charAt(k))) {
        return false;
      }
    }
    return from + count == text.length() || !Chars.digit(text.charAt(from + count));
  }

  private static boolean issuable(String text, int start, int end) {
    int[] d = new int[9];
    int count = 0;
    for (int k = start; k < end; k++) {
      if (Chars.digit(text.charAt(k))) {
        d[count++] = text.charAt(k) - '0';
      }
    }
    int area = d[0] * 100 + d[1] * 10 + d[2];
    int group = d[3] * 10 + d[4];
    int serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
  }

  private static boolean hasContext(String text, int start, int end) {
    int from = Math.max(0, start - CONTEXT_BEFORE);
    int to = Math.min(text.length(), end + CONTEXT_AFTER);
    for (int k = from; k < to; k++) {
      if (k >= start && k < end) {
        continue;
      }
      for (String word : CONTEXT) {
        if (Chars.hasAt(text, k, word) && (k == 0 || !Chars.word(text.charAt(k - 1)))) {
          return true;
        }
      }
    }
    return false;
  }
}
