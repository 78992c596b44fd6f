package dev.llmgateway.core.policy.pii;

import java.lang.Character.UnicodeScript;
import java.util.List;

/**
 * E-mail addresses: a practical subset of RFC 5322's dot-atom form (no quoted local parts, no
 * address literals), internationalised domains in Unicode or punycode, a top-level domain required
 * and trailing punctuation left out. Found from each {@code @}, looking at most 64 chars left and
 * 253 right, so linear in the text. A label never mixes a spaced script (Latin, Greek, Cyrillic)
 * with an unspaced one (Han, kana, Hangul, Thai), so an address written inside Japanese text ends
 * where the Japanese does. Stateless and thread-safe.
 */
final class EmailDetector implements BuiltInDetector {

  private static final int MAX_LOCAL = 64;
  private static final int MAX_DOMAIN = 253;
  private static final int MAX_LABEL = 63;

  private static final int NEUTRAL = 0;
  private static final int SPACED = 1;
  private static final int UNSPACED = 2;

  @Override
  public void find(String text, TextBits digits, List<PiiSpan> spans) {
    for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
      int start = localStart(text, at);
      if (start < 0) {
        continue;
      }
      int end = domainEnd(text, at);
      if (end > 0) {
        spans.add(new PiiSpan(PiiType.EMAIL, start, end));
      }
    }
  }

  /** The local part's first index, or -1 when there is no valid local part before {@code at}. */
  private static int localStart(String text, int at) {
    int start = at;
    int script = NEUTRAL;
    while (start > 0 && localChar(text.charAt(start - 1))) {
      int s = script(text.charAt(start - 1));
      if (s != NEUTRAL) {
        if (script != NEUTRAL && s != script) {
          break;
        }
        script = s;
      }
      start--;
      if (at - start > MAX_LOCAL) {
        return -1;
      }
    }
    if (start > 0 && text.charAt(start - 1) == '@') {
      return -1;
    }
    while (start < at && (text.charAt(start) == '.' || text.charAt(start) == '-')) {
      start++;
    }
    if (start == at || text.charAt(at - 1) == '.') {
      return -1;
    }
    for (int i = start + 1; i < at; i++) {
      if (text.charAt(i) == '.' && text.charAt(i - 1) == '.') {
        return -1;
      }
    }
    return start;
  }

  /** The index after the domain, or -1 when no valid domain follows {@code at}. */
  private static int domainEnd(String text, int at) {
    int end = at + 1;
    int script = NEUTRAL;
    while (end < text.length() && domainChar(text.charAt(end))) {
      char c = text.charAt(end);
      if (c == '.') {
        script = NEUTRAL;
      } else {
        int s = script(c);
        if (s != NEUTRAL) {
          if (script != NEUTRAL && s != script) {
            break;
          }
          script = s;
        }
      }
      end++;
      if (end - at - 1 > MAX_DOMAIN) {
        return -1;
      }
    }
    while (end > at + 1 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == '-')) {
      end--;
    }
    if (end < text.length() && text.charAt(end) == '@') {
      return -1;
    }
    return validDomain(text, at + 1, end) ? end : -1;
  }

  private static boolean validDomain(String text, int from, int to) {
    int labels = 0;
    int labelStart = from;
    for (int i = from; i <= to; i++) {
      if (i == to || text.charAt(i) == '.') {
        int length = i - labelStart;
        if (length == 0 || length > MAX_LABEL || text.charAt(labelStart) == '-'
            || text.charAt(i - 1) == '-') {
          return false;
        }
        labels++;
        if (i == to) {
          return labels >= 2 && validTld(text, labelStart, i);
        }
        labelStart = i + 1;
      }
    }
    return false;
  }

  /** ASCII letters (2 or more), punycode ({@code xn--...}), or letters of another script. */
  private static boolean validTld(String text, int from, int to) {
    if (to - from >= 5 && Chars.hasAt(text, from, "xn--")) {
      for (int i = from + 4; i < to; i++) {
        if (!Chars.asciiAlnum(text.charAt(i))) {
          return false;
        }
      }
      return true;
    }
    boolean ascii = Chars.upper(text.charAt(from)) || Chars.lower(text.charAt(from));
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      boolean letter = ascii ? Chars.upper(c) || Chars.lower(c) : c > 127 && Character.isLetter(c);
      if (!letter) {
        return false;
      }
    }
    return !ascii || to - from >= 2;
  }

  private static boolean localChar(char c) {
    if (c < 128) {
      return Chars.asciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }
    return Character.isLetterOrDigit(c);
  }

  private static boolean domainChar(char c) {
    if (c < 128) {
      return Chars.asciiAlnum(c) || c == '.' || c == '-';
    }
    return Character.isLetterOrDigit(c);
  }

  /** Whether {@code c} is a letter of a script written with spaces, without, or neither. */
  private static int script(char c) {
    if (c < 128) {
      return Chars.digit(c) || c == '-' || c == '.' ? NEUTRAL : SPACED;
    }
    if (!Character.isLetter(c)) {
      return NEUTRAL;
    }
    UnicodeScript script = UnicodeScript.of(c);
    return switch (script) {
      case HAN, HIRAGANA, KATAKANA, HANGUL, THAI, LAO, KHMER, MYANMAR -> UNSPACED;
      default -> SPACED;
    };
  }
}
