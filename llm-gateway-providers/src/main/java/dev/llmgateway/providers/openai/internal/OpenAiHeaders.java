package dev.llmgateway.providers.openai.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import okhttp3.Headers;

/** Response headers the gateway keeps. */
public final class OpenAiHeaders {
  private OpenAiHeaders() {}

  /** The {@code x-ratelimit-*} headers, names in lower case; empty when there are none. */
  public static Map<String, String> rateLimits(Headers headers) {
    Map<String, String> limits = null;
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      if (name.regionMatches(true, 0, "x-ratelimit-", 0, 12)) {
        if (limits == null) {
          limits = new LinkedHashMap<>(8);
        }
        limits.put(name.toLowerCase(Locale.ROOT), headers.value(i));
      }
    }
    return limits == null ? Map.of() : limits;
  }
}
