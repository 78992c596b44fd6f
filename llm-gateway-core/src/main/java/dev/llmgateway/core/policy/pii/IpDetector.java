package dev.llmgateway.core.policy.pii;

import java.util.List;

/**
 * IP addresses. IPv4: four dotted decimal octets of at most 255 without leading zeros, not a piece
 * of a longer dotted number (a version string {@code 1.2.3.4.5}). IPv6: a run of hex digits,
 * colons and dots that a careful parser accepts as eight groups, or fewer with one {@code ::},
 * optionally ending in an IPv4 address ({@code ::ffff:192.0.2.1}); times and MAC addresses fail it.
 * Hand-written scanners, linear in the text. Stateless and thread-safe.
 */
final class IpDetector implements BuiltInDetector {

  private static final int MAX_IPV6 = 45;

  @Override
  public void find(String text, TextBits digits, List<PiiSpan> spans) {
    ipv4(text, digits, spans);
    ipv6(text, spans);
  }

  private static void ipv4(String text, TextBits digits, List<PiiSpan> spans) {
    int n = text.length();
    int i = 0;
    while (true) {
      i = digits.nextDigit(i);
      if (i < 0) {
        break;
      }
      if (i > 0 && (Chars.word(text.charAt(i - 1)) || text.charAt(i - 1) == '.')) {
        i = digits.digitsEnd(i);
        continue;
      }
      int end = ipv4End(text, i);
      if (end > 0 && (end == n || !Chars.word(text.charAt(end)))
          && !(end + 1 < n && text.charAt(end) == '.' && Chars.digit(text.charAt(end + 1)))) {
        spans.add(new PiiSpan(PiiType.IP_ADDRESS, i, end));
        i = end;
      } else {
        i = digits.digitsEnd(i);
      }
    }
  }

  /** The end of four dotted octets from {@code start}, or -1. */
  static int ipv4End(CharSequence text, int start) {
    int p = start;
    for (int octet = 0; octet < 4; octet++) {
      if (octet > 0) {
        if (p >= text.length() || text.charAt(p) != '.') {
          return -1;
        }
        p++;
      }
      int from = p;
      int value = 0;
      while (p < text.length() && Chars.digit(text.charAt(p)) && p - from < 4) {
        value = value * 10 + (text.charAt(p) - '0');
        p++;
      }
      int digits = p - from;
      if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(from) == '0')) {
        return -1;
      }
    }
    return p;
  }

  private static void ipv6(String text, List<PiiSpan> spans) {
    int n = text.length();
    int from = 0;
    while (true) {
      // only a run of hex digits, colons and dots with a colon in it can be an address: go to the
      // next colon and back to the start of its run
      int colon = text.indexOf(':', from);
      if (colon < 0) {
        return;
      }
      int i = colon;
      while (i > from && ipv6Char(text.charAt(i - 1))) {
        i--;
      }
      int runEnd = colon;
      while (runEnd < n && ipv6Char(text.charAt(runEnd))) {
        runEnd++;
      }
      boolean leftOk = i == 0 || !(Chars.word(text.charAt(i - 1)) || text.charAt(i - 1) == '.');
      boolean rightOk = runEnd == n || !Chars.word(text.charAt(runEnd));
      if (leftOk && rightOk && runEnd - i <= MAX_IPV6 + 2 && twoColons(text, i, runEnd)) {
        int end = runEnd;
        while (end > i && text.charAt(end - 1) == '.') {
          end--;
        }
        if (end - i > 2 && text.charAt(end - 1) == ':' && text.charAt(end - 2) != ':') {
          end--;
        }
        if (end - i <= MAX_IPV6 && validIpv6(text.substring(i, end))) {
          spans.add(new PiiSpan(PiiType.IP_ADDRESS, i, end));
        }
      }
      from = runEnd;
    }
  }

  /** Whether {@code text[from, to)} has two colons, as every IPv6 address has: words do not. */
  private static boolean twoColons(String text, int from, int to) {
    int colons = 0;
    for (int k = from; k < to && colons < 2; k++) {
      if (text.charAt(k) == ':') {
        colons++;
      }
    }
    return colons == 2;
  }

  private static boolean allHex(String part) {
    for (int k = 0; k < part.length(); k++) {
      if (!Chars.hex(part.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  private static boolean ipv6Char(char c) {
    return Chars.hex(c) || c == ':' || c == '.';
  }

  /** Whether {@code s} is an IPv6 address (RFC 4291 section 2.2 text forms, no zone). */
  static boolean validIpv6(String s) {
    int colons = 0;
    for (int k = 0; k < s.length(); k++) {
      if (s.charAt(k) == ':') {
        colons++;
      }
    }
    if (colons < 2) {
      return false;
    }
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return false;
    }
    if ((s.startsWith(":") && dbl != 0) || (s.endsWith(":") && dbl != s.length() - 2)) {
      return false;
    }
    String[] parts = s.split(":", -1);
    int groups = 0;
    int empty = 0;
    for (int k = 0; k < parts.length; k++) {
      String part = parts[k];
      if (part.isEmpty()) {
        empty++;
      } else if (part.indexOf('.') >= 0) {
        if (k != parts.length - 1 || ipv4End(part, 0) != part.length()) {
          return false;
        }
        groups += 2;
      } else if (part.length() > 4 || !allHex(part)) {
        return false;
      } else {
        groups++;
      }
    }
    if (groups == 0) {
      return false;
    }
    return dbl >= 0 ? groups <= 7 : groups == 8 && empty == 0;
  }
}
