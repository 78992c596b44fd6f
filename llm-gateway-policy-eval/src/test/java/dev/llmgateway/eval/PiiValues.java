package dev.llmgateway.eval;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Makes the values the corpus plants: PII of each type in the formats people write, and
 * lookalikes that are not PII. Every method draws from the {@link Random} it is given only, so a
 * seed fixes the output. Not thread-safe (the random source is not).
 */
final class PiiValues {

  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final Random random;

  PiiValues(Random random) {
    this.random = random;
  }

  <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  int between(int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  String digits(int count) {
    StringBuilder b = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      b.append((char) ('0' + random.nextInt(10)));
    }
    return b.toString();
  }

  String chars(String alphabet, int count) {
    StringBuilder b = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  // ---- e-mail

  String email(String first, String last, List<String> domains) {
    String f = ascii(first);
    String l = ascii(last);
    String local = switch (random.nextInt(6)) {
      case 0 -> f + "." + l;
      case 1 -> f.charAt(0) + l;
      case 2 -> f + "_" + l + between(1, 99);
      case 3 -> f + "+" + pick(List.of("news", "shop", "work", "test"));
      case 4 -> l + "." + f.charAt(0);
      default -> f + between(70, 99);
    };
    return local + "@" + pick(domains);
  }

  static String ascii(String name) {
    return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "").replaceAll("[^A-Za-z]", "").toLowerCase(java.util.Locale.ROOT);
  }

  // ---- phone

  /** A valid number of {@code region}, written as people of that region write it. */
  String phone(String region, boolean international) {
    PhoneNumber number = validNumber(region);
    String national = PHONES.format(number, PhoneNumberFormat.NATIONAL);
    String intl = PHONES.format(number, PhoneNumberFormat.INTERNATIONAL);
    if (international) {
      return switch (random.nextInt(4)) {
        case 0 -> PHONES.format(number, PhoneNumberFormat.E164);
        case 1 -> intl.replace(' ', '-').replaceFirst("-", " ");
        default -> intl;
      };
    }
    return switch (random.nextInt(4)) {
      case 0 -> region.equals("US") || region.equals("CA")
          ? national.replaceAll("[()]", "").replace(' ', '-') : national;
      case 1 -> region.equals("US") || region.equals("CA")
          ? national.replaceAll("[()]", "").replace(' ', '.').replace('-', '.') : national;
      default -> national;
    };
  }

  private PhoneNumber validNumber(String region) {
    PhoneNumberType type = random.nextBoolean() ? PhoneNumberType.MOBILE
        : PhoneNumberType.FIXED_LINE;
    PhoneNumber example = PHONES.getExampleNumberForType(region, type);
    if (example == null) {
      example = PHONES.getExampleNumber(region);
    }
    String nsn = PHONES.getNationalSignificantNumber(example);
    for (int attempt = 0; attempt < 200; attempt++) {
      int keep = Math.max(2, nsn.length() - 4);
      String candidate = nsn.substring(0, keep) + digits(nsn.length() - keep);
      PhoneNumber number = new PhoneNumber().setCountryCode(example.getCountryCode())
          .setNationalNumber(Long.parseLong(candidate));
      if (candidate.startsWith("0")) {
        number.setItalianLeadingZero(true);
      }
      if (PHONES.isValidNumberForRegion(number, region)) {
        return number;
      }
    }
    return example;
  }

  // ---- payment cards

  /** A Luhn-valid number of {@code issuer}, grouped as printed on that card or not at all. */
  String card(String issuer, boolean valid) {
    String prefix;
    int length;
    switch (issuer) {
      case "visa" -> {
        prefix = "4" + digits(5);
        length = random.nextInt(5) == 0 ? 13 : 16;
      }
      case "mastercard" -> {
        prefix = random.nextBoolean() ? "5" + between(1, 5) + digits(4)
            : String.valueOf(between(2221, 2720)) + digits(2);
        length = 16;
      }
      case "amex" -> {
        prefix = (random.nextBoolean() ? "34" : "37") + digits(4);
        length = 15;
      }
      case "discover" -> {
        prefix = random.nextBoolean() ? "6011" + digits(2) : "65" + digits(4);
        length = 16;
      }
      case "diners" -> {
        prefix = "3" + pick(List.of("00", "05", "6", "8")) + digits(3);
        length = 14;
      }
      case "jcb" -> {
        prefix = between(3528, 3589) + digits(2);
        length = 16;
      }
      case "unionpay" -> {
        prefix = "62" + between(1000, 2999) + "";
        prefix = prefix.substring(0, 6);
        length = random.nextBoolean() ? 16 : 19;
      }
      default -> {
        prefix = pick(List.of("6759", "6304", "5018", "5020", "5038", "6761")) + digits(2);
        length = random.nextBoolean() ? 16 : 19;
      }
    }
    String body = prefix + digits(length - prefix.length() - 1);
    int check = luhnCheckDigit(body);
    if (!valid) {
      check = (check + between(1, 9)) % 10;
    }
    return group(body + check, issuer);
  }

  private String group(String number, String issuer) {
    int style = random.nextInt(4);
    if (style == 0) {
      return number;
    }
    String sep = style == 3 ? "-" : " ";
    if (number.length() == 15) {
      return number.substring(0, 4) + sep + number.substring(4, 10) + sep + number.substring(10);
    }
    if (number.length() == 14 && issuer.equals("diners")) {
      return number.substring(0, 4) + sep + number.substring(4, 10) + sep + number.substring(10);
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < number.length(); i += 4) {
      if (i > 0) {
        b.append(sep);
      }
      b.append(number, i, Math.min(number.length(), i + 4));
    }
    return b.toString();
  }

  static int luhnCheckDigit(String body) {
    int sum = 0;
    boolean twice = true;
    for (int i = body.length() - 1; i >= 0; i--) {
      int v = body.charAt(i) - '0';
      if (twice) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
      twice = !twice;
    }
    return (10 - sum % 10) % 10;
  }

  // ---- IBAN

  /**
   * BBAN shapes from SWIFT's IBAN registry
   * (https://www.swift.com/standards/data-standards/iban-international-bank-account-number):
   * {@code a} upper-case letters, {@code n} digits, {@code c} either.
   */
  static final List<String> SEPA = List.of("DE:18n", "FR:23n", "ES:20n", "IT:1a22n", "NL:4a10n",
      "BE:12n", "AT:16n", "CH:17n", "GB:4a14n", "IE:4a14n", "PT:21n", "PL:24n", "SE:20n",
      "DK:14n", "FI:14n", "NO:11n", "LU:16n", "CZ:20n", "SK:20n", "HU:24n", "RO:4a16c", "BG:4a6n8c",
      "HR:17n", "SI:15n", "LT:16n", "LV:4a13c", "EE:16n", "GR:23n", "CY:24n", "MT:4a5n18c",
      "MC:23n", "SM:1a22n", "IS:22n", "LI:17n");
  static final List<String> WORLD = List.of("SA:2n18c", "AE:19n", "TR:22n", "BR:23n1a1c",
      "IL:19n", "QA:4a21c", "KW:4a22c", "JO:4a4n18c", "PK:4a16c", "EG:25n", "UA:25n", "GE:2a16n",
      "AZ:4a20c", "KZ:3n13c", "TN:20n", "MU:4a19n3a", "DO:4a20n", "CR:18n", "GT:4a20c",
      "BH:4a14c", "LB:4n20c", "RS:18n", "ME:18n", "MK:3n10c2n", "AL:8n16c");

  String iban(String spec, boolean valid, boolean grouped) {
    String country = spec.substring(0, 2);
    StringBuilder bban = new StringBuilder();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([anc])")
        .matcher(spec.substring(3));
    while (m.find()) {
      int count = Integer.parseInt(m.group(1));
      String alphabet = switch (m.group(2)) {
        case "a" -> "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        case "n" -> "0123456789";
        default -> UPPER_DIGITS;
      };
      bban.append(chars(alphabet, count));
    }
    int check = 98 - mod97(bban + country + "00");
    if (!valid) {
      check = check == 97 ? 2 : check + 1;
    }
    String iban = country + String.format("%02d", check) + bban;
    if (!grouped) {
      return iban;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < iban.length(); i += 4) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(iban, i, Math.min(iban.length(), i + 4));
    }
    return b.toString();
  }

  private static int mod97(String s) {
    StringBuilder digits = new StringBuilder();
    for (char c : s.toCharArray()) {
      digits.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    }
    return new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue();
  }

  // ---- SSN, IP

  String ssn(String separator) {
    int area;
    do {
      area = between(1, 899);
    } while (area == 666);
    return String.format("%03d%s%02d%s%04d", area, separator, between(1, 99), separator,
        between(1, 9999));
  }

  String ipv4() {
    return switch (random.nextInt(4)) {
      case 0 -> "10." + between(0, 255) + "." + between(0, 255) + "." + between(1, 254);
      case 1 -> "192.168." + between(0, 255) + "." + between(1, 254);
      case 2 -> "172." + between(16, 31) + "." + between(0, 255) + "." + between(1, 254);
      default -> between(11, 223) + "." + between(0, 255) + "." + between(0, 255) + "."
          + between(1, 254);
    };
  }

  String ipv6() {
    String[] groups = new String[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = Integer.toHexString(random.nextInt(0x10000));
    }
    return switch (random.nextInt(5)) {
      case 0 -> String.join(":", groups);
      case 1 -> "2001:db8:" + groups[2] + ":" + groups[3] + "::" + groups[7];
      case 2 -> "fe80::" + groups[4] + ":" + groups[5] + ":" + groups[6] + ":" + groups[7];
      case 3 -> "::ffff:" + ipv4();
      default -> groups[0] + ":" + groups[1] + "::" + groups[6] + ":" + groups[7];
    };
  }

  // ---- secrets

  String secret() {
    return switch (random.nextInt(9)) {
      case 0 -> "sk-proj-" + chars(ALNUM + "-_", 48);
      case 1 -> "sk-ant-api03-" + chars(ALNUM + "-_", 80) + "AA";
      case 2 -> "AKIA" + chars(UPPER_DIGITS, 16);
      case 3 -> "ghp_" + chars(ALNUM, 36);
      case 4 -> "xoxb-" + digits(11) + "-" + digits(12) + "-" + chars(ALNUM, 24);
      case 5 -> "AIza" + chars(ALNUM + "-_", 35);
      case 6 -> "sk_live_" + chars(ALNUM, 24);
      case 7 -> "glpat-" + chars(ALNUM + "-_", 20);
      default -> jwt();
    };
  }

  String jwt() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString(("{\"alg\":\"" + pick(List.of("HS256", "RS256", "ES256"))
        + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(("{\"sub\":\"" + digits(10) + "\",\"iat\":1" + digits(9)
        + "}").getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + "." + chars(ALNUM + "-_", 43);
  }

  String pem() {
    String label = pick(List.of("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY",
        "OPENSSH PRIVATE KEY"));
    StringBuilder b = new StringBuilder("-----BEGIN " + label + "-----\n");
    for (int i = 0; i < 3; i++) {
      b.append(chars(ALNUM + "+/", 64)).append('\n');
    }
    return b.append(chars(ALNUM + "+/", 20)).append("==\n-----END ").append(label).append("-----")
        .toString();
  }

  String randomToken() {
    return chars(ALNUM, between(32, 40));
  }

  // ---- lookalikes that are not PII

  String uuid() {
    String hex = chars("0123456789abcdef", 32);
    return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-4" + hex.substring(13, 16) + "-a"
        + hex.substring(17, 20) + "-" + hex.substring(20);
  }

  String hexHash(int length) {
    return chars("0123456789abcdef", length);
  }

  String version() {
    return switch (random.nextInt(4)) {
      case 0 -> between(1, 20) + "." + between(0, 30) + "." + between(0, 40);
      case 1 -> "v" + between(1, 9) + "." + between(0, 9) + "." + between(0, 9) + "."
          + between(0, 9);
      case 2 -> between(1, 9) + "." + between(0, 9) + "." + between(0, 9) + "." + between(0, 9)
          + "." + between(0, 9);
      default -> between(100, 130) + ".0." + between(1000, 6999) + "." + between(10, 200);
    };
  }

  String date() {
    int y = between(2019, 2027);
    int mo = between(1, 12);
    int d = between(1, 28);
    return switch (random.nextInt(4)) {
      case 0 -> String.format("%04d-%02d-%02d", y, mo, d);
      case 1 -> String.format("%02d.%02d.%04d", d, mo, y);
      case 2 -> String.format("%02d/%02d/%04d", mo, d, y);
      default -> String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, between(0, 23),
          between(0, 59), between(0, 59));
    };
  }

  String orderNumber() {
    return switch (random.nextInt(5)) {
      case 0 -> "ORD-" + between(2019, 2027) + "-" + digits(6);
      case 1 -> "#" + digits(8);
      case 2 -> "INV-" + digits(9);
      case 3 -> digits(3) + "-" + digits(7) + "-" + digits(7);
      default -> "A" + digits(2) + "-" + digits(4) + "-" + digits(4);
    };
  }

  String trackingNumber() {
    return switch (random.nextInt(3)) {
      case 0 -> "1Z" + chars(UPPER_DIGITS, 16);
      case 1 -> "9400 " + digits(4) + " " + digits(4) + " " + digits(4) + " " + digits(4) + " "
          + digits(2);
      default -> "JD" + digits(18);
    };
  }

  String timestamp() {
    return random.nextBoolean() ? "1" + digits(12) : "17" + digits(8);
  }

  String count() {
    return switch (random.nextInt(3)) {
      case 0 -> between(1, 99) + "," + digits(3) + "," + digits(3);
      case 1 -> between(1, 99) + " " + digits(3) + " " + digits(3);
      default -> between(1, 9) + "." + digits(3) + "." + digits(3);
    };
  }
}
