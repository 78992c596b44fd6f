package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The direct check's validity answers as libphonenumber's {@code isValidNumber} does, on every
 * region's and non-geographic entity's example numbers of every type and on near-misses of them
 * (a digit changed, dropped or added), which for codes that several regions share land in
 * another region, in none, or in a region claimed by its leading digits but invalid there.
 */
@Timeout(120)
class PhoneValidityTest {

  private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();

  @Test
  void answersAsIsValidNumberDoes() {
    Random random = new Random(25);
    int valid = 0;
    int invalid = 0;
    Set<Integer> sharedCodesSeen = new TreeSet<>();
    for (PhoneNumber example : examples()) {
      for (PhoneNumber number : variants(example, random)) {
        boolean expected = util.isValidNumber(number);
        assertThat(PhoneValidity.isValidNumber(util, number)).as(number.toString())
            .isEqualTo(expected);
        if (expected) {
          valid++;
        } else {
          invalid++;
        }
        if (util.getRegionCodesForCountryCode(number.getCountryCode()).size() > 1) {
          sharedCodesSeen.add(number.getCountryCode());
        }
      }
    }

    assertThat(valid).isGreaterThan(1_000);
    assertThat(invalid).isGreaterThan(1_000);
    assertThat(sharedCodesSeen).contains(1, 7, 44, 39, 61, 262, 590);
  }

  @Test
  void aNumberOfAnotherRegionOfItsCodeIsValid() {
    for (String text : List.of("+1 416 555 0123", "+1 268 464 1234", "+44 1624 756789",
        "+7 701 234 5678", "+39 06 698 12345", "+61 8 9162 1234")) {
      PhoneNumber number = parse(text);
      assertThat(PhoneValidity.isValidNumber(util, number)).as(text)
          .isEqualTo(util.isValidNumber(number));
    }
  }

  /**
   * The automata's answer without the library: "valid" only where parsing the number and {@code
   * isValidNumber} say valid, on the E.164 digits of every example and of its near-misses, with a
   * national prefix put before the national number (which the parser may strip), and on random
   * digit strings; and they decide nearly every valid example themselves.
   */
  @Test
  void theAutomataCallValidOnlyWhatTheLibraryCallsValid() throws NumberParseException {
    Random random = new Random(2512);
    String region = PiiScanner.DEFAULT_PHONE_REGIONS.get(0);
    int validExamples = 0;
    int decidedExamples = 0;
    int surelyValid = 0;
    int checked = 0;
    List<String> inputs = new ArrayList<>();
    for (PhoneNumber example : examples()) {
      String e164 = util.format(example, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1);
      if (util.isValidNumber(example)) {
        validExamples++;
        if (PhoneValidity.surelyValid(util, e164.toCharArray(), e164.length())) {
          decidedExamples++;
        }
      }
      inputs.add(e164);
      String code = Integer.toString(example.getCountryCode());
      String national = e164.substring(code.length());
      inputs.add(code + "0" + national);
      inputs.add(code + "1" + national);
      for (PhoneNumber variant : variants(example, random)) {
        inputs.add(util.format(variant, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1));
      }
    }
    for (int i = 0; i < 20_000; i++) {
      StringBuilder digits = new StringBuilder();
      int length = 3 + random.nextInt(18);
      for (int k = 0; k < length; k++) {
        digits.append((char) ('0' + random.nextInt(10)));
      }
      inputs.add(digits.toString());
    }
    for (String digits : inputs) {
      if (digits.length() > 20) {
        continue;
      }
      boolean valid;
      try {
        PhoneNumber number = util.parseAndKeepRawInput("+" + digits, region);
        valid = PhoneValidity.isValidNumber(util, number);
      } catch (NumberParseException e) {
        valid = false;
      }
      boolean sure = PhoneValidity.surelyValid(util, digits.toCharArray(), digits.length());
      if (sure) {
        assertThat(valid).as("+%s is called valid by the automata only", digits).isTrue();
        surelyValid++;
      }
      checked++;
    }

    assertThat(checked).isGreaterThan(25_000);
    assertThat(surelyValid).isGreaterThan(2_000);
    assertThat(decidedExamples).as("valid examples the automata decide")
        .isGreaterThan(validExamples * 9 / 10);
  }

  private List<PhoneNumber> examples() {
    List<PhoneNumber> examples = new ArrayList<>();
    for (String region : util.getSupportedRegions()) {
      for (PhoneNumberType type : PhoneNumberType.values()) {
        PhoneNumber example = util.getExampleNumberForType(region, type);
        if (example != null) {
          examples.add(example);
        }
      }
    }
    for (int code : util.getSupportedGlobalNetworkCallingCodes()) {
      PhoneNumber example = util.getExampleNumberForNonGeoEntity(code);
      if (example != null) {
        examples.add(example);
      }
    }
    return examples;
  }

  /** The number, and the number with a digit changed, one dropped and one added. */
  private static List<PhoneNumber> variants(PhoneNumber example, Random random) {
    String national = Long.toString(example.getNationalNumber());
    List<String> nationals = new ArrayList<>();
    nationals.add(national);
    int at = random.nextInt(national.length());
    nationals.add(national.substring(0, at) + random.nextInt(10) + national.substring(at + 1));
    if (national.length() > 1) {
      nationals.add(national.substring(0, at) + national.substring(at + 1));
    }
    nationals.add(national.substring(0, at) + random.nextInt(10) + national.substring(at));
    List<PhoneNumber> variants = new ArrayList<>();
    for (String digits : nationals) {
      if (digits.isEmpty() || digits.length() > 17) {
        continue;
      }
      PhoneNumber variant = new PhoneNumber().mergeFrom(example);
      variant.setNationalNumber(Long.parseLong(digits));
      variants.add(variant);
    }
    return variants;
  }

  private PhoneNumber parse(String text) {
    try {
      return util.parse(text, "ZZ");
    } catch (NumberParseException e) {
      throw new AssertionError(text, e);
    }
  }
}
