package dev.llmgateway.eval;

/** Luhn and IBAN mod-97 over a value's digits and letters, for scoring. Stateless. */
final class Checksums {

  private Checksums() {}

  /** Whether the digits of {@code value} (others ignored) pass Luhn. */
  static boolean luhn(String value) {
    int sum = 0;
    int count = 0;
    for (int i = value.length() - 1; i >= 0; i--) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int v = c - '0';
      if (count++ % 2 == 1) {
        v = v * 2 > 9 ? v * 2 - 9 : v * 2;
      }
      sum += v;
    }
    return count > 0 && sum % 10 == 0;
  }

  /** Whether {@code value} (spaces ignored) passes ISO 7064 MOD 97-10 as an IBAN. */
  static boolean mod97(String value) {
    String iban = value.replace(" ", "");
    if (iban.length() < 5) {
      return false;
    }
    String moved = iban.substring(4) + iban.substring(0, 4);
    int r = 0;
    for (int i = 0; i < moved.length(); i++) {
      char c = moved.charAt(i);
      if (c >= '0' && c <= '9') {
        r = (r * 10 + (c - '0')) % 97;
      } else if (c >= 'A' && c <= 'Z') {
        r = (r * 100 + (c - 'A' + 10)) % 97;
      } else {
        return false;
      }
    }
    return r == 1;
  }
}
