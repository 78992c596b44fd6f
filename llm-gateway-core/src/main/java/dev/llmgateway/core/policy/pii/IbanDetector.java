package dev.llmgateway.core.policy.pii;

import java.util.List;

/**
 * International bank account numbers: a country code with an IBAN format, two check digits and the
 * country's exact length, written together ({@code DE89370400440532013000}) or in groups of four
 * split by single spaces ({@code DE89 3704 0044 0532 0130 00}), in upper case, passing the ISO 7064
 * mod-97 check (or failing it, when checksum-failing numbers are PII). A hand-written scanner,
 * linear in the text. Immutable and thread-safe.
 *
 * <p>The lengths are SWIFT's IBAN registry
 * (https://www.swift.com/standards/data-standards/iban-international-bank-account-number): every
 * SEPA country and the other registered countries.
 */
final class IbanDetector implements BuiltInDetector {

  private static final int MAX_LENGTH = 34;
  private static final byte[] LENGTHS = new byte[26 * 26];

  static {
    String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28"
        + " CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27"
        + " GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20"
        + " LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29"
        + " PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24"
        + " TR26 UA29 VA22 VG24 XK20 YE30";
    for (String entry : table.split(" ")) {
      LENGTHS[index(entry.charAt(0), entry.charAt(1))] = Byte.parseByte(entry.substring(2));
    }
  }

  private final boolean checksumFailingIsPii;

  IbanDetector(boolean checksumFailingIsPii) {
    this.checksumFailingIsPii = checksumFailingIsPii;
  }

  @Override
  public void find(String text, TextBits digits, List<PiiSpan> spans) {
    char[] iban = digits.chars();
    int n = text.length();
    // an IBAN's check digits start a run of digits two chars after its start
    int from = 0;
    for (int run = digits.nextDigitRun(0); run >= 0; run = digits.nextDigitRun(run + 1)) {
      int i = run - 2;
      if (i < from || i + 4 > n) {
        continue;
      }
      if (Chars.upper(text.charAt(i)) && (i == 0 || !Chars.word(text.charAt(i - 1)))) {
        int end = read(text, i, iban);
        if (end > 0) {
          spans.add(new PiiSpan(PiiType.IBAN, i, end));
          from = end;
        }
      }
    }
  }

  /** The end of an IBAN starting at {@code start}, or -1. */
  private int read(String text, int start, char[] iban) {
    int n = text.length();
    char c0 = text.charAt(start);
    char c1 = text.charAt(start + 1);
    if (!Chars.upper(c1) || !Chars.digit(text.charAt(start + 2))
        || !Chars.digit(text.charAt(start + 3))) {
      return -1;
    }
    int length = LENGTHS[index(c0, c1)];
    if (length == 0) {
      return -1;
    }
    text.getChars(start, start + 4, iban, 0);
    int count = 4;
    int p = start + 4;
    boolean grouped = p + 1 < n && text.charAt(p) == ' ' && bbanChar(text.charAt(p + 1));
    while (count < length) {
      if (grouped && count % 4 == 0) {
        if (p >= n || text.charAt(p) != ' ') {
          return -1;
        }
        p++;
      }
      if (p >= n || !bbanChar(text.charAt(p))) {
        return -1;
      }
      iban[count++] = text.charAt(p++);
    }
    if (p < n && Chars.word(text.charAt(p))) {
      return -1;
    }
    return checksumFailingIsPii || mod97(iban, length) ? p : -1;
  }

  private static boolean bbanChar(char c) {
    return Chars.digit(c) || Chars.upper(c);
  }

  private static int index(char c0, char c1) {
    return (c0 - 'A') * 26 + (c1 - 'A');
  }

  /** The ISO 7064 MOD 97-10 check: the first four chars moved to the end, letters as 10..35. */
  static boolean mod97(char[] iban, int length) {
    int r = 0;
    for (int k = 0; k < length; k++) {
      char c = iban[(k + 4) % length];
      if (Chars.digit(c)) {
        r = (r * 10 + (c - '0')) % 97;
      } else {
        r = (r * 100 + (c - 'A' + 10)) % 97;
      }
    }
    return r == 1;
  }

  /**
   * Whether {@code value} (spaces ignored) is an IBAN of a registered country and length that
   * passes mod-97.
   */
  static boolean valid(String value) {
    char[] iban = new char[MAX_LENGTH];
    int length = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ') {
        continue;
      }
      if (length == MAX_LENGTH || !bbanChar(c)) {
        return false;
      }
      iban[length++] = c;
    }
    return length > 4 && Chars.upper(iban[0]) && Chars.upper(iban[1])
        && LENGTHS[index(iban[0], iban[1])] == length && mod97(iban, length);
  }
}
