package dev.llmgateway.providers;

import org.jspecify.annotations.Nullable;

/** What a key must be to be sent. Stateless. */
final class Keys {
  private Keys() {}

  /**
   * What is wrong with a key, in words that never quote it, or null when it may be sent: it must
   * be non-null, non-blank and printable ASCII without spaces, as every provider's keys are (a
   * header with another character fails in OkHttp, whose message quotes the value of headers such
   * as {@code x-api-key}).
   */
  static @Nullable String problem(@Nullable String key) {
    if (key == null) {
      return "is null (is its environment variable unset?)";
    }
    if (key.isBlank()) {
      return "is blank";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return "holds a space, a line break or another character an HTTP header cannot carry "
            + "(copied with it?)";
      }
    }
    return null;
  }
}
