package dev.llmgateway.core.policy.pii;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * How strictly a candidate must look like a phone number to be reported: the four levels of
 * libphonenumber's {@code PhoneNumberUtil.Leniency}, mirrored so that the library stays out of the
 * gateway's public API.
 *
 * <p>Immutable and thread-safe.
 */
public enum PhoneLeniency {
  /** A possible number for its region: the right length, nothing more. Finds most, and most noise. */
  POSSIBLE(PhoneNumberUtil.Leniency.POSSIBLE),
  /**
   * A valid number for its region by libphonenumber's metadata (number ranges in use), however
   * it is grouped. The scanner's default.
   */
  VALID(PhoneNumberUtil.Leniency.VALID),
  /** Valid, and its digit groups are not split differently from the region's usual format. */
  STRICT_GROUPING(PhoneNumberUtil.Leniency.STRICT_GROUPING),
  /** Valid, and grouped exactly as the region's usual format. Finds least. */
  EXACT_GROUPING(PhoneNumberUtil.Leniency.EXACT_GROUPING);

  private final PhoneNumberUtil.Leniency leniency;

  PhoneLeniency(PhoneNumberUtil.Leniency leniency) {
    this.leniency = leniency;
  }

  PhoneNumberUtil.Leniency libphonenumber() {
    return leniency;
  }
}
