package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The digit automata answer as {@code java.util.regex} does, {@code matches()} and {@code
 * lookingAt()}, on every pattern of libphonenumber's metadata (every region's and every
 * non-geographic code's number descriptions, leading digits and national prefixes for parsing),
 * on the descriptions' example numbers, seeded random digit strings and near-misses of the
 * examples; and they refuse the syntax they do not read rather than misread it.
 */
@Timeout(300)
class DigitPatternTest {

  @Test
  void everyMetadataPatternCompilesAndAnswersAsTheRegexDoes() {
    Random random = new Random(4242);
    int patterns = 0;
    int checks = 0;
    int matched = 0;
    List<String> unread = new ArrayList<>();
    for (PhoneMetadata metadata : allMetadata()) {
      List<String> examples = examples(metadata);
      for (String regex : patterns(metadata)) {
        DigitPattern automaton = DigitPattern.compile(regex);
        if (automaton == null) {
          unread.add(regex);
          continue;
        }
        patterns++;
        Pattern pattern = Pattern.compile(regex);
        for (String input : inputs(examples, random)) {
          char[] digits = ("x" + input + "y").toCharArray();
          Matcher matcher = pattern.matcher(input);
          boolean matches = matcher.matches();
          assertThat(automaton.matches(digits, 1, digits.length - 1))
              .as("%s matches %s", regex, input).isEqualTo(matches);
          assertThat(automaton.lookingAt(digits, 1, digits.length - 1))
              .as("%s lookingAt %s", regex, input).isEqualTo(pattern.matcher(input).lookingAt());
          checks++;
          matched += matches ? 1 : 0;
        }
      }
    }
    assertThat(unread).as("patterns the automata do not read").isEmpty();
    assertThat(patterns).isGreaterThan(1_500);
    assertThat(checks).isGreaterThan(80_000);
    assertThat(matched).isGreaterThan(4_000);
  }

  @Test
  void readsTheSyntaxOfTheMetadata() {
    assertMatches("[2-9]\\d{2}", "234", true);
    assertMatches("[2-9]\\d{2}", "134", false);
    assertMatches("(?:1|2(?:0[1-4]|5))\\d{3,5}", "2031234", true);
    assertMatches("(?:1|2(?:0[1-4]|5))\\d{3,5}", "20512", false);
    assertMatches("7\\d{0,2}", "7", true);
    assertMatches("0(?:(11|343)15)?", "0", true);
    assertMatches("0(?:(11|343)15)?", "01115", true);
    assertMatches("9+8*", "99", true);
    assertMatches("(?:12)+", "1212", true);
    assertMatches("(?:12)+", "121", false);
    assertMatches("1{2,}", "1", false);
    assertMatches("1{2,}", "1111", true);
    assertMatches("", "", true);
    assertMatches("a1", "1", false); // a literal that is not a digit matches no digit
    assertMatches("([2-9]\\d{2})$|1", "234", true);
    assertMatches("1$2", "12", false);
    assertMatches("1$|12", "12", true);
    assertLookingAt("([2-9]\\d{2})$|1", "2345", false);
    assertLookingAt("([2-9]\\d{2})$|1", "234", true);
    assertLookingAt("([2-9]\\d{2})$|1", "1234", true);
    assertLookingAt("(?:1$)?", "12", true);
  }

  @Test
  void refusesWhatItDoesNotRead() {
    for (String regex : List.of("\\w+", "[^1]", "1+?", "1*+", "(?=1)1", "(?i)1", ".1",
        "^1", "[1-", "(1", "1)", "1{2", "1{a}", "1{3,2}", "[a&&b]", "[\\d]", "(?<n>1)", "\\1")) {
      assertThat(DigitPattern.compile(regex)).as(regex).isNull();
    }
  }

  @Test
  void refusesAnAutomatonOverItsBound() {
    // each {0,64} of a 64-fold repeat multiplies: more than MAX_NFA_STATES states
    assertThat(DigitPattern.compile("(?:(?:1{0,64}2){0,64}3){0,64}")).isNull();
  }

  private static void assertMatches(String regex, String input, boolean expected) {
    assertAnswer(regex, input, false, expected);
  }

  private static void assertLookingAt(String regex, String input, boolean expected) {
    assertAnswer(regex, input, true, expected);
  }

  private static void assertAnswer(String regex, String input, boolean prefix, boolean expected) {
    DigitPattern automaton = DigitPattern.compile(regex);
    assertThat(automaton).as(regex).isNotNull();
    char[] digits = input.toCharArray();
    Matcher matcher = Pattern.compile(regex).matcher(input);
    assertThat(prefix ? automaton.lookingAt(digits, 0, digits.length)
        : automaton.matches(digits, 0, digits.length))
        .as("%s %s %s", regex, prefix ? "lookingAt" : "matches", input)
        .isEqualTo(expected).isEqualTo(prefix ? matcher.lookingAt() : matcher.matches());
  }

  static List<PhoneMetadata> allMetadata() {
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    MetadataSource source =
        DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    List<PhoneMetadata> all = new ArrayList<>();
    for (String region : util.getSupportedRegions()) {
      all.add(source.getMetadataForRegion(region));
    }
    for (int code : util.getSupportedGlobalNetworkCallingCodes()) {
      all.add(source.getMetadataForNonGeographicalRegion(code));
    }
    return all;
  }

  private static List<PhoneNumberDesc> descs(PhoneMetadata m) {
    return List.of(m.getGeneralDesc(), m.getFixedLine(), m.getMobile(), m.getTollFree(),
        m.getPremiumRate(), m.getSharedCost(), m.getPersonalNumber(), m.getVoip(), m.getPager(),
        m.getUan(), m.getVoicemail(), m.getNoInternationalDialling());
  }

  private static Set<String> patterns(PhoneMetadata metadata) {
    Set<String> patterns = new LinkedHashSet<>();
    for (PhoneNumberDesc desc : descs(metadata)) {
      if (!desc.getNationalNumberPattern().isEmpty()) {
        patterns.add(desc.getNationalNumberPattern());
      }
    }
    if (metadata.hasLeadingDigits()) {
      patterns.add(metadata.getLeadingDigits());
    }
    if (!metadata.getNationalPrefixForParsing().isEmpty()) {
      patterns.add(metadata.getNationalPrefixForParsing());
    }
    return patterns;
  }

  private static List<String> examples(PhoneMetadata metadata) {
    List<String> examples = new ArrayList<>();
    for (PhoneNumberDesc desc : descs(metadata)) {
      if (!desc.getExampleNumber().isEmpty()) {
        examples.add(desc.getExampleNumber());
      }
    }
    return examples;
  }

  /** The examples, their prefixes and near-misses, and 40 random digit strings of 0 to 17 digits. */
  private static List<String> inputs(List<String> examples, Random random) {
    List<String> inputs = new ArrayList<>();
    for (String example : examples) {
      inputs.add(example);
      inputs.add(example.substring(0, random.nextInt(example.length() + 1)));
      StringBuilder s = new StringBuilder(example);
      int at = random.nextInt(s.length());
      switch (random.nextInt(3)) {
        case 0 -> s.setCharAt(at, (char) ('0' + random.nextInt(10)));
        case 1 -> s.insert(at, (char) ('0' + random.nextInt(10)));
        default -> s.deleteCharAt(at);
      }
      inputs.add(s.toString());
    }
    for (int i = 0; i < 40; i++) {
      int length = random.nextInt(18);
      StringBuilder s = new StringBuilder();
      for (int k = 0; k < length; k++) {
        s.append((char) ('0' + random.nextInt(10)));
      }
      inputs.add(s.toString());
    }
    return inputs;
  }
}
