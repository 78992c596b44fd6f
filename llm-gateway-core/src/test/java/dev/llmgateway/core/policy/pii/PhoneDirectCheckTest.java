package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The direct check of numbers in plain international form finds exactly what libphonenumber's
 * matcher finds, on every region's example numbers and on generated near-misses around them.
 */
@Timeout(120)
class PhoneDirectCheckTest {

  private static final String[] BEFORE = {"", "call ", "call  ", "[", "[ ", "x", "tel:", "(",
      "( ", "ab", "é", "$", "% ", "1 ", "no. ", "-", "電話", "+", "ｘ"};
  private static final String[] AFTER = {"", ".", " ", "abc", "%", "$", "€", " ext. 12", "x12",
      ":30", " / 68", ")", "é", " 5", "-", "#", ",", ", ok", "日", "\u0301", "ä"};

  @ParameterizedTest
  @EnumSource(value = PhoneLeniency.class, names = {"VALID", "POSSIBLE"})
  void findsWhatTheMatcherFinds(PhoneLeniency leniency) {
    PhoneDetector direct = new PhoneDetector(PiiScanner.DEFAULT_PHONE_REGIONS, leniency);
    PhoneDetector matcher = new PhoneDetector(PiiScanner.DEFAULT_PHONE_REGIONS, leniency, false);
    PhoneDetector directNoRegion = new PhoneDetector(List.of(), leniency);
    PhoneDetector matcherNoRegion = new PhoneDetector(List.of(), leniency, false);
    Random random = new Random(25);
    int found = 0;
    for (String number : numbers(random)) {
      String text = BEFORE[random.nextInt(BEFORE.length)] + number
          + AFTER[random.nextInt(AFTER.length)] + " more";
      List<PiiSpan> expected = matcher.detect(text);
      assertThat(direct.detect(text)).as(text).isEqualTo(expected);
      assertThat(directNoRegion.detect(text)).as(text).isEqualTo(matcherNoRegion.detect(text));
      found += expected.size();
    }
    assertThat(found).isGreaterThan(500);
  }

  /** Every region's example numbers in international form, and variants of them. */
  private static List<String> numbers(Random random) {
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    List<String> numbers = new ArrayList<>();
    for (String region : util.getSupportedRegions()) {
      for (PhoneNumberUtil.PhoneNumberType type : new PhoneNumberUtil.PhoneNumberType[] {
          PhoneNumberUtil.PhoneNumberType.FIXED_LINE, PhoneNumberUtil.PhoneNumberType.MOBILE}) {
        PhoneNumber example = util.getExampleNumberForType(region, type);
        if (example == null) {
          continue;
        }
        String international = util.format(example, PhoneNumberFormat.INTERNATIONAL);
        numbers.add(international);
        numbers.add(util.format(example, PhoneNumberFormat.E164));
        numbers.add(international.replace(' ', '-'));
        numbers.add(mutate(international, random));
        numbers.add(mutate(international, random));
      }
    }
    return numbers;
  }

  /** A digit changed, added or removed, or a separator doubled or changed. */
  private static String mutate(String number, Random random) {
    StringBuilder s = new StringBuilder(number);
    int at = 1 + random.nextInt(s.length() - 1);
    switch (random.nextInt(6)) {
      case 0 -> s.setCharAt(at, (char) ('0' + random.nextInt(10)));
      case 1 -> s.insert(at, (char) ('0' + random.nextInt(10)));
      case 2 -> s.deleteCharAt(at);
      case 3 -> s.insert(at, ' ');
      case 4 -> s.insert(at, random.nextBoolean() ? '.' : '/');
      default -> s.insert(1, ' ');
    }
    return s.toString();
  }
}
