package dev.llmgateway.core.route;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A run of characters that every match of a regular expression contains, found when the
 * condition is built, so that a text without it is told apart from a match without running the
 * regex (no {@code Matcher} per call): {@code (?i)\b(select|update|delete)\b.+\bfrom\b} needs
 * {@code from}, in any ASCII case.
 *
 * <p>The analysis is deliberately narrow and errs towards finding nothing: it reads only the
 * pattern's top level (never inside a group or a character class), gives up on a top-level
 * alternation, on flags other than leading {@code (?i)}, {@code (?m)}, {@code (?s)}, {@code (?d)}
 * (and the same compile flags), on quoting ({@code \Q}) and on escapes it does not know; a
 * character followed by a quantifier ends the run and is not part of it, and only printable ASCII
 * characters join a run. Case-insensitive matching without {@code UNICODE_CASE} folds only ASCII
 * letters, which is what {@link #foundIn} does. When it finds nothing the condition runs the
 * regex as before. Immutable and thread-safe.
 */
final class RequiredLiteral {
  /** Flags under which the analysis holds; any other flag means no literal. */
  private static final int UNDERSTOOD =
      Pattern.CASE_INSENSITIVE | Pattern.MULTILINE | Pattern.DOTALL | Pattern.UNIX_LINES;
  /** Escapes of one letter that stand for one character class or a zero-width assertion. */
  private static final String SHORT_ESCAPES = "bBdDsSwWhHvVRXAzZG";
  /** Characters that end a run without being part of one. */
  private static final String BREAKS = ".^$]}";

  private final char[] literal;
  private final boolean ignoreCase;

  private RequiredLiteral(char[] literal, boolean ignoreCase) {
    this.literal = literal;
    this.ignoreCase = ignoreCase;
  }

  /** The longest run of two or more characters every match contains, or null when none is known. */
  static @Nullable RequiredLiteral of(Pattern pattern) {
    int flags = pattern.flags();
    if ((flags & ~UNDERSTOOD) != 0) {
      return null;
    }
    boolean ignoreCase = (flags & Pattern.CASE_INSENSITIVE) != 0;
    String p = pattern.pattern();
    int n = p.length();
    int i = 0;
    while (p.startsWith("(?", i)) { // leading inline flags: (?i), (?ms), ...
      int close = p.indexOf(')', i);
      if (close < 0) {
        return null;
      }
      String set = p.substring(i + 2, close);
      if (set.isEmpty()) {
        return null;
      }
      for (int k = 0; k < set.length(); k++) {
        char f = set.charAt(k);
        if (f == 'i') {
          ignoreCase = true;
        } else if ("msd".indexOf(f) < 0) {
          return null; // a group, or a flag that changes what a literal matches (u, U, x, -)
        }
      }
      i = close + 1;
    }
    StringBuilder run = new StringBuilder();
    String best = "";
    while (i < n) {
      char c = p.charAt(i);
      if (c == '|' || c == ')') {
        return null; // an alternation at the top level: nothing is required
      }
      if (c == '(') {
        if (p.startsWith("(?", i) && i + 2 < n && ":=!<>".indexOf(p.charAt(i + 2)) < 0) {
          return null; // inline flags in the middle change what follows
        }
        i = skipGroup(p, i);
        if (i < 0) {
          return null;
        }
        best = longer(best, run);
        run.setLength(0);
        continue;
      }
      if (c == '[') {
        i = skipClass(p, i);
        if (i < 0) {
          return null;
        }
        best = longer(best, run);
        run.setLength(0);
        continue;
      }
      if (c == '?' || c == '*' || c == '+' || c == '{') {
        // a quantifier: the atom before it is optional or repeated, so it leaves the run (a run
        // that is not empty ends with that atom: every other kind of atom empties it)
        if (run.length() > 0) {
          run.setLength(run.length() - 1);
        }
        best = longer(best, run);
        run.setLength(0);
        if (c == '{') {
          int close = p.indexOf('}', i);
          if (close < 0) {
            return null;
          }
          i = close;
        }
        i++;
        if (i < n && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
          i++; // lazy or possessive
        }
        continue;
      }
      if (c == '\\') {
        if (i + 1 >= n) {
          return null;
        }
        char e = p.charAt(i + 1);
        if (Character.isLetterOrDigit(e)) {
          if (SHORT_ESCAPES.indexOf(e) < 0) {
            return null; // \Q, \p{..}, \x41, \u0041, \1, \k<..>, \c: not read here
          }
          best = longer(best, run);
          run.setLength(0);
        } else if (printableAscii(e)) {
          run.append(e);
        } else {
          best = longer(best, run);
          run.setLength(0);
        }
        i += 2;
        continue;
      }
      if (BREAKS.indexOf(c) >= 0 || !printableAscii(c)) {
        best = longer(best, run);
        run.setLength(0);
      } else {
        run.append(c);
      }
      i++;
    }
    best = longer(best, run);
    if (best.length() < 2) {
      return null;
    }
    return new RequiredLiteral(
        (ignoreCase ? lowerAscii(best) : best).toCharArray(), ignoreCase);
  }

  /** The index after the group opening at {@code start}, or -1. */
  private static int skipGroup(String p, int start) {
    int depth = 0;
    int i = start;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '\\') {
        if (i + 1 < p.length() && p.charAt(i + 1) == 'Q') {
          return -1;
        }
        i += 2;
        continue;
      }
      if (c == '[') {
        i = skipClass(p, i);
        if (i < 0) {
          return -1;
        }
        continue;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      }
      i++;
    }
    return -1;
  }

  /** The index after the character class opening at {@code start}, or -1. */
  private static int skipClass(String p, int start) {
    int i = start + 1;
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    if (i < p.length() && p.charAt(i) == ']') {
      i++; // a ']' first is a member
    }
    int depth = 1;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '\\') {
        if (i + 1 < p.length() && p.charAt(i + 1) == 'Q') {
          return -1;
        }
        i += 2;
        continue;
      }
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      }
      i++;
    }
    return -1;
  }

  private static String longer(String best, StringBuilder run) {
    return run.length() > best.length() ? run.toString() : best;
  }

  private static boolean printableAscii(char c) {
    return c >= ' ' && c < 0x7f;
  }

  private static String lowerAscii(String s) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      chars[i] = lowerAscii(chars[i]);
    }
    return new String(chars);
  }

  private static char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /** Whether {@code text} contains the literal (ASCII letters in any case when ignoring case). */
  boolean foundIn(String text) {
    return ignoreCase ? containsLowerAscii(text, literal) : indexOf(text, literal) >= 0;
  }

  private static int indexOf(String text, char[] needle) {
    return text.indexOf(new String(needle)); // rare: a literal with case; the JDK's search
  }

  /**
   * Whether {@code text} contains {@code needle} when each of the text's ASCII letters is taken in
   * lower case ({@code needle} is in lower case already); no copy of the text is made. The
   * candidates are found with {@link String#indexOf(int, int)} (vectorised by the JDK) for the
   * needle's first letter in either case, so a 1 KB message costs a few scans, not a loop per
   * character.
   */
  static boolean containsLowerAscii(String text, char[] needle) {
    int last = text.length() - needle.length;
    if (last < 0) {
      return false;
    }
    char lower = needle[0];
    char upper = lower >= 'a' && lower <= 'z' ? (char) (lower - ('a' - 'A')) : lower;
    int atLower = text.indexOf(lower);
    int atUpper = upper == lower ? -1 : text.indexOf(upper);
    for (;;) {
      int i;
      if (atLower < 0) {
        i = atUpper;
      } else if (atUpper < 0 || atLower < atUpper) {
        i = atLower;
      } else {
        i = atUpper;
      }
      if (i < 0 || i > last) {
        return false;
      }
      int j = 1;
      while (j < needle.length && lowerAscii(text.charAt(i + j)) == needle[j]) {
        j++;
      }
      if (j == needle.length) {
        return true;
      }
      if (i == atLower) {
        atLower = text.indexOf(lower, i + 1);
      } else {
        atUpper = text.indexOf(upper, i + 1);
      }
    }
  }

  /** Whether every character of {@code text} is ASCII. */
  static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "RequiredLiteral[" + new String(literal) + (ignoreCase ? ", ignoring case" : "") + "]";
  }
}
