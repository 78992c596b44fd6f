package dev.llmgateway.providers.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The delay a provider asks for before a retry, from its response headers: {@code retry-after-ms}
 * (milliseconds), {@code retry-after} (seconds, or an HTTP date), else the longest of OpenAI's
 * {@code x-ratelimit-reset-requests} / {@code -tokens} (durations such as {@code 1s}, {@code
 * 6m0s}, {@code 20ms}).
 */
public final class RetryAfter {
  private RetryAfter() {}

  /** The requested delay, or null when the headers name none. */
  public static @Nullable Duration parse(Headers headers, Clock clock) {
    Duration ms = millis(headers.get("retry-after-ms"));
    if (ms != null) {
      return ms;
    }
    String retryAfter = headers.get("retry-after");
    if (retryAfter != null) {
      Duration d = secondsOrDate(retryAfter.trim(), clock);
      if (d != null) {
        return d;
      }
    }
    Duration requests = goDuration(headers.get("x-ratelimit-reset-requests"));
    Duration tokens = goDuration(headers.get("x-ratelimit-reset-tokens"));
    if (requests == null) {
      return tokens;
    }
    return tokens == null || requests.compareTo(tokens) >= 0 ? requests : tokens;
  }

  private static @Nullable Duration millis(@Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      double ms = Double.parseDouble(value.trim());
      return ms >= 0 ? Duration.ofNanos((long) (ms * 1_000_000)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static @Nullable Duration secondsOrDate(String value, Clock clock) {
    try {
      double seconds = Double.parseDouble(value);
      return seconds >= 0 ? Duration.ofNanos((long) (seconds * 1_000_000_000L)) : null;
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  /** Parses Go-style durations: {@code 1h2m3.5s}, {@code 6m0s}, {@code 20ms}. */
  static @Nullable Duration goDuration(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String s = value.trim();
    long nanos = 0;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        return null;
      }
      double number;
      try {
        number = Double.parseDouble(s.substring(start, i));
      } catch (NumberFormatException e) {
        return null;
      }
      int unitStart = i;
      while (i < s.length() && Character.isLetter(s.charAt(i))) {
        i++;
      }
      double scale;
      switch (s.substring(unitStart, i)) {
        case "h":
          scale = 3600e9;
          break;
        case "m":
          scale = 60e9;
          break;
        case "s":
          scale = 1e9;
          break;
        case "ms":
          scale = 1e6;
          break;
        case "us":
        case "µs":
          scale = 1e3;
          break;
        case "ns":
          scale = 1;
          break;
        default:
          return null;
      }
      nanos += (long) (number * scale);
    }
    return Duration.ofNanos(nanos);
  }
}
