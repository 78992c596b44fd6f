package dev.llmgateway.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.GatewayRequest;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.spi.CallContext;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The literal pre-check of {@link Condition#pattern} and the copy-free keyword check of {@link
 * Condition#keywords}: {@link RequiredLiteral} finds the run every match needs where it can, and
 * nothing where it cannot tell; on seeded random expressions and texts it never rules out a text
 * the expression matches, and the conditions answer exactly as the plain regex and the
 * lower-cased {@code contains} do.
 */
@Timeout(60)
class RequiredLiteralTest {

  @ParameterizedTest(name = "{0} needs {1}")
  @CsvSource(delimiter = '\t', nullValues = "-", value = {
      "(?i)\\b(select|update|delete)\\b.+\\bfrom\\b\tRequiredLiteral[from, ignoring case]",
      "hello world\tRequiredLiteral[hello world]",
      "hello+ world\tRequiredLiteral[ world]",
      "colou?r\tRequiredLiteral[colo]",
      "ab*cdef\tRequiredLiteral[cdef]",
      "a{2}bcd{1,3}\tRequiredLiteral[bc]",
      "x\\.y\\.z\tRequiredLiteral[x.y.z]",
      "price: \\d+ USD\tRequiredLiteral[price: ]",
      "(?ms)^begin.*end$\tRequiredLiteral[begin]",
      "[abc]+xyz(?=q)\tRequiredLiteral[xyz]",
      "a|b\t-",
      "abc|def\t-",
      "(?x)abc def\t-",
      "(?u)(?i)straße\t-",
      "(?i)ab(?-i)cd\t-",
      "\\Qabc\\E\t-",
      "\\x41bcd\t-",
      "(a)\\1bc\t-",
      "a?b?\t-",
      ".*\t-",
  })
  void findsTheRunEveryMatchNeedsOrNothing(String regex, @Nullable String expected) {
    RequiredLiteral found = RequiredLiteral.of(Pattern.compile(regex));
    if (expected == null) {
      assertThat(found).isNull();
    } else {
      assertThat(found).hasToString(expected);
    }
  }

  @Test
  void compileFlagsItCannotReadMeanNoLiteral() {
    assertThat(RequiredLiteral.of(Pattern.compile("abc", Pattern.COMMENTS))).isNull();
    assertThat(RequiredLiteral.of(Pattern.compile("abc", Pattern.LITERAL))).isNull();
    assertThat(RequiredLiteral.of(
        Pattern.compile("abc", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE))).isNull();
    assertThat(RequiredLiteral.of(Pattern.compile("abc", Pattern.CASE_INSENSITIVE)))
        .hasToString("RequiredLiteral[abc, ignoring case]");
  }

  @Test
  void ignoringCaseFoldsOnlyAsciiLettersAsTheRegexDoes() {
    RequiredLiteral from = RequiredLiteral.of(Pattern.compile("(?i)from"));
    assertThat(from.foundIn("select * FROM t")).isTrue();
    assertThat(from.foundIn("select * FrOm t")).isTrue();
    assertThat(from.foundIn("select * fro m")).isFalse();
    RequiredLiteral ask = RequiredLiteral.of(Pattern.compile("(?i)ask"));
    // the Kelvin sign and the long s match k and s only under UNICODE_CASE, which has no literal
    assertThat(Pattern.compile("(?i)ask").matcher("a\u017f\u212a").find()).isFalse();
    assertThat(ask.foundIn("a\u017f\u212a")).isFalse();
  }

  /**
   * Soundness: for random expressions over a small grammar (literals, escapes, classes, groups
   * with alternations, quantifiers, anchors, leading flags) and random texts over a small
   * alphabet, a text the expression finds a match in always contains the literal. The texts are
   * often made from the expression's own pieces, so that many of them match.
   */
  @Test
  void neverRulesOutATextTheExpressionMatches() {
    Random random = new Random(20261207L);
    int matched = 0;
    int withLiteral = 0;
    for (int round = 0; round < 20_000; round++) {
      String regex = randomRegex(random);
      Pattern pattern;
      try {
        pattern = Pattern.compile(regex);
      } catch (RuntimeException e) {
        continue;
      }
      RequiredLiteral literal = RequiredLiteral.of(pattern);
      if (literal != null) {
        withLiteral++;
      }
      for (int t = 0; t < 20; t++) {
        String text = randomText(random, regex);
        boolean matches = pattern.matcher(text).find();
        if (matches) {
          matched++;
          assertThat(literal == null || literal.foundIn(text))
              .as("/%s/ matches \"%s\" but %s is not found in it", regex, text, literal)
              .isTrue();
        }
      }
    }
    assertThat(matched).as("texts matched").isGreaterThan(10_000);
    assertThat(withLiteral).as("expressions with a literal").isGreaterThan(3_000);
  }

  /** The condition answers as the plain expression does, with and without a literal. */
  @Test
  void patternConditionAnswersAsTheExpression() {
    Random random = new Random(7L);
    for (int round = 0; round < 5_000; round++) {
      String regex = randomRegex(random);
      Pattern pattern;
      try {
        pattern = Pattern.compile(regex);
      } catch (RuntimeException e) {
        continue;
      }
      Condition condition = Condition.pattern(regex);
      for (int t = 0; t < 10; t++) {
        String text = randomText(random, regex);
        assertThat(condition.test(input(text)))
            .as("/%s/ on \"%s\"", regex, text)
            .isEqualTo(pattern.matcher(text).find());
      }
    }
  }

  /**
   * Keywords answer as {@code text.toLowerCase(ROOT).contains(keyword.toLowerCase(ROOT))} did,
   * on ASCII texts (no lower-cased copy) and on others (the lower-cased copy).
   */
  @Test
  void keywordsAnswerAsTheLowerCasedContains() {
    Random random = new Random(11L);
    String alphabet = "aAbBsSkK İıſ\u212a";
    for (int round = 0; round < 20_000; round++) {
      String[] keywords = new String[1 + random.nextInt(3)];
      for (int i = 0; i < keywords.length; i++) {
        keywords[i] = "x" + randomString(random, alphabet, 1 + random.nextInt(3));
      }
      Condition condition = Condition.keywords(keywords);
      String text = randomString(random, alphabet + "xX", random.nextInt(12));
      boolean expected = false;
      for (String k : keywords) {
        expected |= text.toLowerCase(Locale.ROOT).contains(k.toLowerCase(Locale.ROOT));
      }
      assertThat(condition.test(input(text))).as("%s in \"%s\"", String.join(",", keywords), text)
          .isEqualTo(expected);
    }
  }

  private static final String[] ATOMS = {
      "a", "b", "c", "A", "B", " ", "ab", "bc", "ca", "abc", "Ab", "\\.", "\\b", "\\d", "\\s", "\\w", ".", "[ab]", "[^a]",
      "(a|b)", "(ab|c)", "(?:a)", "(?=a)", "(?!b)", "^", "$", "x", "X", "1", "-", ":"};
  private static final String[] QUANTIFIERS = {"", "", "", "", "?", "*", "+", "{2}", "{0,2}",
      "{1,}", "??", "*?", "++"};
  private static final String[] PREFIXES = {"", "", "", "(?i)", "(?m)", "(?s)", "(?is)"};

  private static String randomRegex(Random random) {
    StringBuilder regex = new StringBuilder(PREFIXES[random.nextInt(PREFIXES.length)]);
    int atoms = 1 + random.nextInt(8);
    for (int i = 0; i < atoms; i++) {
      regex.append(ATOMS[random.nextInt(ATOMS.length)])
          .append(QUANTIFIERS[random.nextInt(QUANTIFIERS.length)]);
    }
    if (random.nextInt(20) == 0) {
      regex.append('|').append(ATOMS[random.nextInt(ATOMS.length)]);
    }
    return regex.toString();
  }

  /** A text of random letters, or of the expression's own literal characters shuffled in. */
  private static String randomText(Random random, String regex) {
    String alphabet = random.nextBoolean() ? "abcABCx1 .:-" : regex.replaceAll("[\\\\()?*+{}]", "");
    if (alphabet.isEmpty()) {
      alphabet = "ab";
    }
    return randomString(random, alphabet, random.nextInt(10));
  }

  private static String randomString(Random random, String alphabet, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private static RoutingInput input(String text) {
    return new RoutingInput() {
      @Override
      public GatewayRequest request() {
        throw new UnsupportedOperationException();
      }

      @Override
      public CallContext call() {
        throw new UnsupportedOperationException();
      }

      @Override
      public String lastUserText() {
        return text;
      }

      @Override
      public String lastUserTextLowerCase() {
        return text.toLowerCase(Locale.ROOT);
      }

      @Override
      public boolean hasCodeBlock() {
        return false;
      }

      @Override
      public boolean toolsRequested() {
        return false;
      }

      @Override
      public boolean hasImages() {
        return false;
      }

      @Override
      public long estimatedInputTokens() {
        return 0;
      }

      @Override
      public Map<String, String> metadata() {
        return Map.of();
      }

      @Override
      public @Nullable String label(Classifier classifier) {
        return null;
      }

      @Override
      public Gateway gateway() {
        throw new UnsupportedOperationException();
      }
    };
  }

  /**
   * The case-blind search, which jumps between the needle's first letter in either case, against
   * the plain definition (lower-case the ASCII text, then {@code contains}) on 20,000 seeded texts
   * over a small alphabet, so near misses, overlaps and both cases are common.
   */
  @Test
  void caseBlindSearchAgreesWithLowerCasingFirst() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(25);
    String alphabet = "aAbB-/ ";
    for (int round = 0; round < 20_000; round++) {
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(40); k > 0; k--) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      StringBuilder needle = new StringBuilder();
      for (int k = 1 + random.nextInt(4); k > 0; k--) {
        needle.append(Character.toLowerCase(alphabet.charAt(random.nextInt(alphabet.length()))));
      }
      String t = text.toString();
      String n = needle.toString();
      assertThat(RequiredLiteral.containsLowerAscii(t, n.toCharArray()))
          .as("round %d: '%s' in '%s'", round, n, t)
          .isEqualTo(t.toLowerCase(java.util.Locale.ROOT).contains(n));
    }
  }
}
