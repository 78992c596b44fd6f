package dev.llmgateway.core.policy.pii;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * libphonenumber's {@code isValidNumber} with one validation of the number where the library
 * makes two for a country calling code that several regions share ({@code +1}, {@code +44},
 * {@code +7}, {@code +39}, ...). The library first finds the number's region, the first of the
 * code's regions whose leading digits match it or, for a region without leading digits, for
 * which it is valid; then it validates the number for that region, which for a region found by
 * validity repeats the check just made. Each check matches the number against the region's
 * number types one by one, each a look-up in the {@code PhoneNumberUtil}'s synchronized pattern
 * cache (9 for a London number): this class returns the first check's answer instead, and so
 * halves the look-ups and matches of such numbers. The answer is the library's: the same
 * regions in the same order, the same leading-digit patterns and the same per-region check
 * ({@code isValidNumberForRegion}); a code with one region goes to {@code isValidNumber} itself.
 *
 * <p>The regions' leading-digit patterns are compiled once each (a few dozen in all metadata) and
 * kept here. Thread-safe.
 */
final class PhoneValidity {

  private static final ConcurrentHashMap<String, Pattern> LEADING_DIGITS =
      new ConcurrentHashMap<>();

  private PhoneValidity() {}

  /** What {@code util.isValidNumber(number)} returns. */
  static boolean isValidNumber(PhoneNumberUtil util, PhoneNumber number) {
    List<String> regions = util.getRegionCodesForCountryCode(number.getCountryCode());
    if (regions.size() <= 1) {
      return util.isValidNumber(number);
    }
    MetadataSource metadata =
        DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    String national = null;
    for (String region : regions) {
      PhoneMetadata regionMetadata = metadata.getMetadataForRegion(region);
      if (regionMetadata.hasLeadingDigits()) {
        if (national == null) {
          national = util.getNationalSignificantNumber(number);
        }
        if (leadingDigits(regionMetadata.getLeadingDigits()).matcher(national).lookingAt()) {
          return util.isValidNumberForRegion(number, region);
        }
      } else if (util.isValidNumberForRegion(number, region)) {
        return true;
      }
    }
    return false;
  }

  private static Pattern leadingDigits(String regex) {
    // get first: computeIfAbsent would lock the bin when the key is not its first node
    Pattern pattern = LEADING_DIGITS.get(regex);
    if (pattern == null) {
      Pattern compiled = Pattern.compile(regex);
      pattern = LEADING_DIGITS.putIfAbsent(regex, compiled);
      if (pattern == null) {
        pattern = compiled;
      }
    }
    return pattern;
  }
}
