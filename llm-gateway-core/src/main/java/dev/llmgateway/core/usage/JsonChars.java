package dev.llmgateway.core.usage;

import dev.llmgateway.Deployment;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The texts a usage record's JSON form writes per record, written into a scratch {@code char[]}
 * that the writer keeps for a whole batch instead of a new {@code String} (and its builders) per
 * record: an instant exactly as {@link Instant#toString()} prints it, a deployment as {@link
 * Deployment#toString()} does, a cost as {@link BigDecimal#toPlainString()} does. Stateless; the
 * scratch array is the caller's.
 */
final class JsonChars {
  /** Long enough for an instant of years 0 to 9999 and a deployment of 256 + 1 + 256 chars. */
  static final int SCRATCH = 520;

  private static final long SECONDS_PER_DAY = 86_400;
  /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds. */
  private static final long FIRST = -62_167_219_200L;
  private static final long END = 253_402_300_800L;

  private JsonChars() {}

  /**
   * Writes {@code t} as {@link Instant#toString()} does ({@code 2026-12-07T06:55:04.120Z}: the
   * fraction in groups of three digits, as many as it needs) into {@code into}; returns the
   * length, or -1 for an instant outside the years 0 to 9999 (then use {@code toString}).
   */
  static int instant(Instant t, char[] into) {
    long seconds = t.getEpochSecond();
    if (seconds < FIRST || seconds >= END) {
      return -1;
    }
    long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    // days since 1970-01-01 to year, month, day (the proleptic Gregorian calendar, as java.time)
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long mp = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
    int n = 0;
    n = digits(year, 4, into, n);
    into[n++] = '-';
    n = digits(month, 2, into, n);
    into[n++] = '-';
    n = digits(day, 2, into, n);
    into[n++] = 'T';
    n = digits(secondOfDay / 3_600, 2, into, n);
    into[n++] = ':';
    n = digits(secondOfDay / 60 % 60, 2, into, n);
    into[n++] = ':';
    n = digits(secondOfDay % 60, 2, into, n);
    int nanos = t.getNano();
    if (nanos != 0) {
      into[n++] = '.';
      if (nanos % 1_000_000 == 0) {
        n = digits(nanos / 1_000_000, 3, into, n);
      } else if (nanos % 1_000 == 0) {
        n = digits(nanos / 1_000, 6, into, n);
      } else {
        n = digits(nanos, 9, into, n);
      }
    }
    into[n++] = 'Z';
    return n;
  }

  /**
   * Writes {@code d} as {@link Deployment#toString()} does ({@code provider/model}) into {@code
   * into}; returns the length, or -1 when it does not fit.
   */
  static int deployment(Deployment d, char[] into) {
    String provider = d.provider();
    String model = d.model();
    int length = provider.length() + 1 + model.length();
    if (length > into.length) {
      return -1;
    }
    provider.getChars(0, provider.length(), into, 0);
    into[provider.length()] = '/';
    model.getChars(0, model.length(), into, provider.length() + 1);
    return length;
  }

  /**
   * Writes {@code amount} as {@link BigDecimal#toPlainString()} does ({@code 0.000125}, {@code
   * 12.50}: every digit of its scale, no exponent) into {@code into}; returns the length, or -1 for
   * an amount below 0, above 18 digits or with a negative scale (then use {@code toPlainString}).
   * One {@code BigDecimal} (its unscaled value) instead of a string, its builder and their arrays.
   */
  static int plain(BigDecimal amount, char[] into) {
    int scale = amount.scale();
    if (amount.signum() < 0 || scale < 0 || amount.precision() > 18) {
      return -1;
    }
    long unscaled = amount.scale() == 0 ? amount.longValueExact()
        : amount.scaleByPowerOfTen(scale).longValueExact(); // scale 0: no BigInteger
    int digits = 1;
    for (long v = unscaled; v >= 10; v /= 10) {
      digits++;
    }
    int whole = Math.max(1, digits - scale); // digits before the point, a 0 when none
    int length = scale == 0 ? digits : whole + 1 + scale;
    if (length > into.length) {
      return -1;
    }
    long v = unscaled;
    int at = length - 1;
    for (int i = 0; i < scale; i++) {
      into[at--] = (char) ('0' + v % 10);
      v /= 10;
    }
    if (scale > 0) {
      into[at--] = '.';
    }
    for (; at >= 0; at--) {
      into[at] = (char) ('0' + v % 10);
      v /= 10;
    }
    return length;
  }

  /** Writes {@code value} (>= 0) as exactly {@code width} digits, zero-padded. */
  private static int digits(int value, int width, char[] into, int at) {
    for (int i = at + width - 1; i >= at; i--) {
      into[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }
}
