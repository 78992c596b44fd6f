package dev.llmgateway.core.policy.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ContentFilter#check}: phrases matched after normalisation and on word boundaries, all
 * overlapping phrases found by the automaton, offsets into the text as given, patterns bounded by
 * their declared length and their read budget, the bounds and the file loader, and no text in any
 * message or {@code toString}.
 */
@Timeout(60)
class ContentFilterTest {
  private static final ContentFilter WEATHER = ContentFilter.builder()
      .category("weather", List.of("hail storm", "sleet", "Fog"))
      .category("spoilers", List.of("the butler did it"))
      .build();

  static Stream<Arguments> normalisedSpellings() {
    return Stream.of(
        Arguments.of("A HAIL STORM came", "weather"),
        Arguments.of("a hail\t\n  storm came", "weather"),
        Arguments.of("a \uFF48\uFF41\uFF49\uFF4C \uFF53\uFF54\uFF4F\uFF52\uFF4D came", "weather"),
        Arguments.of("a hail\u200B storm\u200D came", "weather"),
        Arguments.of("a hail\u00A0storm came", "weather"),
        Arguments.of("a ha\u00ADil storm came", "weather"),
        Arguments.of("SLEET!", "weather"),
        Arguments.of("fog.", "weather"),
        Arguments.of("(the butler did it)", "spoilers"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("normalisedSpellings")
  void matchesPhrasesAfterNormalisation(String text, String category) {
    assertThat(WEATHER.check(text)).extracting(ContentHit::category).containsExactly(category);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "foggy morning",
      "sleets",
      "hailstorm",
      "the butler did itself",
      "a hail stormy night",
      "fog_bank",
      "xfog",
  })
  void matchesOnlyOnWordBoundaries(String text) {
    assertThat(WEATHER.check(text)).isEmpty();
  }

  @Test
  void reportsUtf16OffsetsIntoTheTextAsGiven() {
    String text = "😀 ｆｏｇ and e\u0301 HAIL  STORM";
    List<ContentHit> hits = WEATHER.check(text);
    assertThat(hits).containsExactly(
        new ContentHit("weather", 3, 6),
        new ContentHit("weather", 14, 25));
    assertThat(text.substring(14, 25)).isEqualTo("HAIL  STORM");
  }

  @Test
  void composesCombiningMarksBeforeMatching() {
    ContentFilter f = ContentFilter.builder().category("c", List.of("café")).build();
    assertThat(f.check("un cafe\u0301 noir")).containsExactly(new ContentHit("c", 3, 8));
    assertThat(f.check("un café noir")).containsExactly(new ContentHit("c", 3, 7));
  }

  @Test
  void findsEveryOverlappingPhraseWithTheAutomaton() {
    ContentFilter f = ContentFilter.builder()
        .category("a", List.of("new york", "york city", "new york city", "city", "ork"))
        .build();
    assertThat(f.check("new york city"))
        .containsExactly(new ContentHit("a", 0, 8), new ContentHit("a", 0, 13),
            new ContentHit("a", 4, 13), new ContentHit("a", 9, 13));
  }

  @Test
  void ordersHitsByEndThenStartThenCategory() {
    ContentFilter f = ContentFilter.builder()
        .category("b", List.of("red fox"))
        .category("a", List.of("fox", "red fox"))
        .build();
    assertThat(f.check("a red fox")).containsExactly(new ContentHit("b", 2, 9),
        new ContentHit("a", 2, 9), new ContentHit("a", 6, 9));
  }

  @Test
  void matchesPatternsOnTheNormalisedText() {
    ContentFilter f = ContentFilter.builder()
        .pattern("ticket", "tkt-\\d{4,6}\\b", 16)
        .build();
    assertThat(f.check("see TKT-12345 and tkt-12 and ＴＫＴ-9999"))
        .containsExactly(new ContentHit("ticket", 4, 13), new ContentHit("ticket", 29, 37));
  }

  @Test
  void neverReportsAPatternMatchLongerThanDeclared() {
    ContentFilter f = ContentFilter.builder().pattern("run", "a+", 4).build();
    assertThat(f.check("aaaaaaaaaa")).containsExactly(new ContentHit("run", 0, 4),
        new ContentHit("run", 4, 8), new ContentHit("run", 8, 10));
  }

  @Test
  void failsAPatternThatBacktracksCatastrophicallyNamingItsCategory() {
    ContentFilter f = ContentFilter.builder().pattern("evil", "(.*a){10}x", 64).build();
    String text = "a".repeat(100_000);
    assertThatThrownBy(() -> f.check(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'evil'")
        .hasMessageNotContaining("aaaa");
  }

  @Test
  void refusesATextLongerThanMaxTextLength() {
    ContentFilter f = ContentFilter.builder().category("c", List.of("x"))
        .maxTextLength(10).build();
    assertThatThrownBy(() -> f.check("secret text!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTextLength (10)")
        .hasMessageNotContaining("secret");
    assertThat(ContentFilter.builder().build().check("a".repeat(1_000_000))).isEmpty();
    assertThatThrownBy(() -> ContentFilter.builder().build().check("a".repeat(1_000_001)))
        .hasMessageContaining("maxTextLength (1000000)");
  }

  @Test
  void returnsTheFirstMaxHitsHitsOfATextFullOfThem() {
    ContentFilter.Builder b = ContentFilter.builder().maxHits(3)
        .pattern("digit", "\\d", 1);
    List<String> phrases = new java.util.ArrayList<>();
    for (int n = 1; n <= 100; n++) {
      phrases.add("a ".repeat(n).strip());
    }
    ContentFilter f = b.category("a", phrases).build();
    String text = "a ".repeat(499_999) + "7";
    assertThat(f.check(text)).containsExactly(new ContentHit("a", 0, 1),
        new ContentHit("a", 0, 3), new ContentHit("a", 2, 3));
    assertThat(f.check("a 7")).containsExactly(new ContentHit("a", 0, 1),
        new ContentHit("digit", 2, 3));
  }

  @Test
  void loadsAPhraseFileSkippingCommentsAndBlankLines() throws Exception {
    Path file = Path.of(getClass().getResource("/content/example-phrases.txt").toURI());
    ContentFilter f = ContentFilter.builder().loadCategory("spoilers", file).build();
    assertThat(f.check("# an indented comment")).isEmpty();
    assertThat(f.check("They say Rosebud  is a SLED, and the butler did it."))
        .extracting(ContentHit::category).containsExactly("spoilers", "spoilers");
    assertThat(f.toString()).isEqualTo(
        "ContentFilter[categories=[spoilers], phrases=3, patterns=0]");
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "LONG_PHRASE|line 3: longer than",
      "LONG_NORMALISED|line 2 of category 'c' has 300 characters once normalised",
      "TOO_MANY|line 4 of category 'c' is one more than maxPhrases (2)",
  })
  void refusesABadPhraseFileNamingTheLine(String kind, String message) {
    String text = switch (kind) {
      case "LONG_PHRASE" -> "ok\n# fine\n" + "secret".repeat(200) + "\n";
      case "LONG_NORMALISED" -> "ok\n" + "secret ".repeat(43).substring(0, 300) + "\n";
      default -> "one\r\ntwo\r\n\r\nthree\r\n";
    };
    ContentFilter.Builder b = ContentFilter.builder().maxPhrases(2);
    assertThatThrownBy(() -> b.loadCategory("c", new StringReader(text)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("secret")
        .hasMessageNotContaining("three");
  }

  @Test
  void refusesBuilderMisuseWithMessagesThatNameTheProblem() {
    ContentFilter.Builder b = ContentFilter.builder();
    assertThatThrownBy(() -> b.category("bad name!", List.of("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("category name");
    assertThatThrownBy(() -> b.category("c", List.of("\u200B \t")))
        .hasMessageContaining("phrase 0 of category 'c' is empty once normalised");
    assertThatThrownBy(() -> b.pattern("c", "(unclosed", 10))
        .hasMessageContaining("does not compile");
    assertThatThrownBy(() -> b.pattern("c", "x", 0)).hasMessageContaining("maxMatchLength");
    assertThatThrownBy(() -> b.pattern("c", "x", 4097)).hasMessageContaining("maxMatchLength");
    assertThatThrownBy(() -> b.maxTextLength(0)).hasMessageContaining("maxTextLength");
  }

  @Test
  void hitsWindowsAndFiltersPrintNoText() {
    ContentFilter.Window w = WEATHER.window();
    assertThat(w.append("a secret sleet")).isNull();
    assertThat(w.finish()).isEqualTo(new ContentHit("weather", 9, 14));
    assertThat(w.hit()).isEqualTo(new ContentHit("weather", 9, 14));
    assertThat(w.toString()).doesNotContain("secret", "sleet");
    assertThat(w.hit().toString()).isEqualTo("ContentHit[category=weather, start=9, end=14]");
    assertThat(WEATHER.toString()).doesNotContain("sleet", "fog", "hail");
    assertThat(WEATHER.categories()).isEqualTo(List.of("weather", "spoilers"));
    assertThat(Set.copyOf(WEATHER.check("fog sleet"))).hasSize(2);
  }
}
