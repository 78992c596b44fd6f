package dev.llmgateway.core.policy.injection;

/**
 * Normalises a text once, in linear time, into the form the keyword automaton matches: lower case;
 * zero-width, soft-hyphen and bidi control characters dropped; full-width forms folded to ASCII;
 * Latin accents dropped (é → e, ł → l, ß → ss, Turkish ı → i); whitespace and dashes collapsed to
 * one space; curly apostrophes to {@code '}. Then, word by word, a word that mixes Latin letters
 * with Cyrillic or Greek look-alikes gets the look-alikes mapped to Latin, and a word that mixes
 * letters with the digits of leetspeak ({@code 0 1 3 4 5 7}) gets those digits mapped to letters.
 * Counts what it folded, for the obfuscation signals. Keywords are folded by the same rules, so a
 * keyword written with accents matches text written with or without them.
 *
 * <p>Stateless and thread-safe; {@link #fold(String)} returns a new {@link Folded}, {@link
 * #foldInto} refills one the caller owns.
 */
final class TextFold {
  private static final char[] LATIN_FOLD = new char[0x250 - 0xC0];
  /**
   * Per ASCII character what it folds to: lower case, {@code `} as {@code '}, separators as a
   * space.
   */
  private static final char[] ASCII_FOLD = new char[0x80];
  /**
   * Per ASCII character its part in a word: {@link #NOT_WORD}, {@link #LATIN} (a to z), {@link
   * #LEET} (a leetspeak digit) or {@link #OTHER}.
   */
  private static final byte[] ASCII_WORD = new byte[0x80];
  private static final byte NOT_WORD = 0;
  private static final byte LATIN = 1;
  private static final byte LEET = 2;
  private static final byte OTHER = 3;

  static {
    for (char c = 0; c < 0x80; c++) {
      ASCII_WORD[c] = !isAsciiLetter(c) && !(c >= '0' && c <= '9') ? NOT_WORD
          : c >= 'a' && c <= 'z' ? LATIN : leetLetter(c) != 0 ? LEET : OTHER;
    }
  }

  static {
    for (char c = 0; c < 0x80; c++) {
      boolean separator = c == ' ' || c == '-' || (c >= 0x09 && c <= 0x0D)
          || (c >= 0x1C && c <= 0x1F);
      ASCII_FOLD[c] = separator ? ' ' : c >= 'A' && c <= 'Z' ? (char) (c + 32)
          : c == '`' ? '\'' : c;
    }
  }

  static {
    String from = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ"
        + "ĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİıĴĵĶķĹĺĻļĽľŁłŃńŅņŇňŌōŎŏŐőŔŕŖŗŘř"
        + "ŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžȘșȚț";
    String to = "aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooooouuuuuuuuyyy"
        + "aaaaaaccccccccddddeeeeeeeeeegggggggghhiiiiiiiiiijjkkllllllllnnnnnnoooooorrrrrr"
        + "ssssssssttttuuuuuuuuuuuuwwyyyzzzzzzsstt";
    if (from.length() != to.length()) {
      throw new AssertionError("fold table " + from.length() + " != " + to.length());
    }
    for (int i = 0; i < from.length(); i++) {
      LATIN_FOLD[from.charAt(i) - 0xC0] = to.charAt(i);
    }
  }

  private TextFold() {}

  /**
   * A folded text, {@code chars[0, length)}, and the obfuscation counts seen while folding it.
   * Not thread-safe: {@link #foldInto} refills it.
   */
  static final class Folded {
    char[] chars;
    int length;
    /** Invisible characters (zero-width, soft hyphen) dropped between two letters. */
    int invisibleInWords;
    /** Bidi control characters dropped. */
    int bidiControls;
    /** Full-width letters and digits folded. */
    int fullWidth;
    /** Words that mixed Latin with Cyrillic or Greek look-alikes. */
    int mixedScriptWords;
    /** Words that mixed letters with leetspeak digits. */
    int leetWords;

    Folded(char[] chars) {
      this.chars = chars;
    }

    /** The folded text as a string. */
    String text() {
      return new String(chars, 0, length);
    }
  }

  /** Folds a text into a new {@link Folded}. */
  static Folded fold(String text) {
    Folded f = new Folded(new char[text.length() + 16]);
    foldInto(text, f);
    return f;
  }

  /**
   * Folds a text into {@code into}, replacing what it held; its buffer is grown (replaced) if too
   * small, and left as it is otherwise. One pass: each word is mapped (look-alikes, leet digits)
   * as soon as it ends; a word of {@code a-z} only, the common case, needs nothing.
   */
  static void foldInto(String text, Folded into) {
    char[] out = into.chars;
    int n = 0;
    int invisible = 0;
    int bidi = 0;
    int fullWidth = 0;
    boolean pendingInvisible = false;
    into.mixedScriptWords = 0;
    into.leetWords = 0;
    // the word being folded: where it began (or -1), and whether it has only a-z so far
    int wordStart = -1;
    boolean plain = true;
    int length = text.length();
    for (int i = 0; i < length; ) {
      char ascii = text.charAt(i);
      if (ascii >= 'a' && ascii <= 'z' && !pendingInvisible) {
        // the commonest case, a run of lower-case letters: copied as it is, a word of them needs
        // no mapping; folding never makes ASCII longer, so room for the rest of the text is
        // room enough
        if (wordStart < 0) {
          wordStart = n;
          plain = true;
        }
        if (out.length - n < length - i) {
          out = ensure(out, n, length - i);
        }
        do {
          out[n++] = ascii;
          i++;
        } while (i < length && (ascii = text.charAt(i)) >= 'a' && ascii <= 'z');
        continue;
      }
      if (ascii < 0x80) {
        // the common case, through the tables, without a call per char
        i++;
        if (pendingInvisible) {
          if (n > 0 && isAsciiLetter(ascii) && Character.isLetter(out[n - 1])) {
            invisible++;
          }
          pendingInvisible = false;
        }
        char folded = ASCII_FOLD[ascii];
        if (folded == ' ' && (n == 0 || out[n - 1] == ' ')) {
          continue;
        }
        if (n == out.length) {
          out = ensure(out, n, 1);
        }
        byte part = ASCII_WORD[folded];
        if (part == NOT_WORD) {
          if (wordStart >= 0) {
            if (!plain) {
              foldWord(into, out, wordStart, n);
            }
            wordStart = -1;
          }
        } else {
          if (wordStart < 0) {
            wordStart = n;
            plain = true;
          }
          plain &= part == LATIN;
        }
        out[n++] = folded;
        continue;
      }
      int before = n;
      nonAscii: {
        int cp = text.codePointAt(i);
        i += Character.charCount(cp);
        if (isInvisible(cp)) {
          pendingInvisible = true;
          break nonAscii;
        }
        if (isBidiControl(cp)) {
          bidi++;
          break nonAscii;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
          cp -= 0xFEE0;
          if (Character.isLetterOrDigit(cp)) {
            fullWidth++;
          }
        } else if (cp == 0x3000) {
          cp = ' ';
        }
        if (pendingInvisible) {
          if (n > 0 && Character.isLetter(out[n - 1]) && Character.isLetter(cp)) {
            invisible++;
          }
          pendingInvisible = false;
        }
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || isDash(cp)) {
          if (n > 0 && out[n - 1] != ' ') {
            out = ensure(out, n, 1);
            out[n++] = ' ';
          }
          break nonAscii;
        }
        if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == '`' || cp == 0x00B4) {
          cp = '\'';
        }
        cp = Character.toLowerCase(cp);
        if (cp >= 0xC0 && cp < 0x250) {
          if (cp == 0xDF) {
            out = ensure(out, n, 2);
            out[n++] = 's';
            out[n++] = 's';
            break nonAscii;
          }
          char folded = LATIN_FOLD[cp - 0xC0];
          if (folded != 0) {
            cp = folded;
          }
        }
        out = ensure(out, n, 2);
        n += Character.toChars(cp, out, n);
      }
      // the words of what this code point folded to
      for (int j = before; j < n; j++) {
        char c = out[j];
        if (isWordChar(c)) {
          if (wordStart < 0) {
            wordStart = j;
            plain = true;
          }
          plain &= c >= 'a' && c <= 'z';
        } else if (wordStart >= 0) {
          if (!plain) {
            foldWord(into, out, wordStart, j);
          }
          wordStart = -1;
        }
      }
    }
    if (wordStart >= 0 && !plain) {
      foldWord(into, out, wordStart, n);
    }
    into.chars = out;
    into.length = n;
    into.invisibleInWords = invisible;
    into.bidiControls = bidi;
    into.fullWidth = fullWidth;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isWordChar(char c) {
    return c < 0x80 ? ASCII_WORD[c] != NOT_WORD : Character.isLetterOrDigit(c);
  }

  private static char[] ensure(char[] out, int n, int more) {
    if (n + more <= out.length) {
      return out;
    }
    char[] grown = new char[Math.max(out.length * 2, n + more)];
    System.arraycopy(out, 0, grown, 0, n);
    return grown;
  }

  /**
   * Maps the look-alikes and leet digits of one word, {@code s[start, end)}, in place, and counts
   * it in {@code f} if it had any.
   */
  private static void foldWord(Folded f, char[] s, int start, int end) {
    boolean latin = false;
    boolean lookAlike = false;
    int letters = 0;
    int leetDigits = 0;
    for (int i = start; i < end; i++) {
      char c = s[i];
      if (c >= 'a' && c <= 'z') {
        latin = true;
        letters++;
      } else if (c < 0x80) {
        if (leetLetter(c) != 0) {
          leetDigits++;
        }
      } else if (toLatin(c) != 0) {
        lookAlike = true;
        letters++;
      } else if (leetLetter(c) != 0) {
        leetDigits++;
      } else if (Character.isLetter(c)) {
        letters++;
      }
    }
    if (latin && lookAlike) {
      f.mixedScriptWords++;
      for (int j = start; j < end; j++) {
        char l = toLatin(s[j]);
        if (l != 0) {
          s[j] = l;
        }
      }
    }
    if (leetDigits > 0 && letters >= 2 && (latin || lookAlike)) {
      f.leetWords++;
      for (int j = start; j < end; j++) {
        char l = leetLetter(s[j]);
        if (l != 0) {
          s[j] = l;
        }
      }
    }
  }

  /** A lower-case Cyrillic or Greek letter that looks like a Latin one, as that letter; else 0. */
  private static char toLatin(char c) {
    return switch (c) {
      case 'а', 'α' -> 'a';
      case 'в', 'β' -> 'b';
      case 'с', 'ϲ' -> 'c';
      case 'ԁ' -> 'd';
      case 'е', 'ё', 'ε' -> 'e';
      case 'н', 'һ' -> 'h';
      case 'і', 'ι' -> 'i';
      case 'ј' -> 'j';
      case 'к', 'κ' -> 'k';
      case 'м' -> 'm';
      case 'η' -> 'n';
      case 'о', 'ο' -> 'o';
      case 'р', 'ρ' -> 'p';
      case 'ѕ' -> 's';
      case 'т', 'τ' -> 't';
      case 'υ' -> 'u';
      case 'ν' -> 'v';
      case 'х', 'χ' -> 'x';
      case 'у', 'γ' -> 'y';
      default -> 0;
    };
  }

  private static char leetLetter(char c) {
    return switch (c) {
      case '0' -> 'o';
      case '1' -> 'i';
      case '3' -> 'e';
      case '4' -> 'a';
      case '5' -> 's';
      case '7' -> 't';
      default -> 0;
    };
  }

  private static boolean isInvisible(int cp) {
    return (cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF
        || cp == 0x00AD || cp == 0x180E || cp == 0x034F;
  }

  private static boolean isBidiControl(int cp) {
    return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061C;
  }

  private static boolean isDash(int cp) {
    return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
  }
}
