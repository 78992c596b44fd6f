package dev.llmgateway.core.policy.pii;

import java.util.List;

/** Renders scan results as {@code TYPE:value} strings, so tests read what was found. */
final class Found {

  private Found() {}

  static List<String> by(PiiScanner scanner, String text) {
    return scanner.scan(text).stream()
        .map(span -> span.type() + ":" + text.substring(span.start(), span.end()))
        .toList();
  }

  static List<String> in(String text) {
    return by(PiiScanner.defaults(), text);
  }

  static List<String> only(PiiType type, String text) {
    return by(PiiScanner.builder().types(type).build(), text);
  }
}
