package dev.llmgateway.providers.openai.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.Headers;

/** Response headers the gateway keeps. */
public final class OpenAiHeaders {
  private OpenAiHeaders() {}

  /** The {@code x-ratelimit-*} headers, names in lower case; empty when there are none. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Map<String, String> rateLimits(Headers headers) {
    List<Map.Entry<String, String>> limits = null;
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      if (name.regionMatches(true, 0, "x-ratelimit-", 0, 12)) {
        if (limits == null) {
          limits = new ArrayList<>(8);
        }
        limits.add(Map.entry(name.toLowerCase(Locale.ROOT), headers.value(i)));
      }
    }
    // immutable once, so the response's defensive copy is free
    return limits == null ? Map.of() : Map.ofEntries(limits.toArray(new Map.Entry[0]));
  }
}
