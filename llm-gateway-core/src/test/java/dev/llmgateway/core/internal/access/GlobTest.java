package dev.llmgateway.core.internal.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The glob matcher: {@code *} is any run of characters, everything else itself. */
@Timeout(10)
class GlobTest {

  @ParameterizedTest
  @CsvSource({
      "openai/*, openai/gpt-4.1, true",
      "openai/*, openai/, true",
      "openai/*, anthropic/claude, false",
      "gpt-4.1*, gpt-4.1, true",
      "gpt-4.1*, gpt-4.1-mini, true",
      "gpt-4.1*, gpt-4o, false",
      "*, anything/at-all, true",
      "*mini, gpt-4.1-mini, true",
      "*mini, gpt-4.1-mini-x, false",
      "a*b*c, abc, true",
      "a*b*c, aXbYc, true",
      "a*b*c, aXcYb, false",
      "ab*ba, aba, false",
      "*/claude-*, anthropic/claude-sonnet, true",
      "gpt.4, gpt-4, false",
      "exact, exact, true",
      "exact, exactly, false"
  })
  void matches(String pattern, String text, boolean expected) {
    assertThat(new Glob(pattern).matches(text)).isEqualTo(expected);
    int slash = text.indexOf('/');
    if (slash >= 0) {
      assertThat(new Glob(pattern).matches(text.substring(0, slash), text.substring(slash + 1)))
          .isEqualTo(expected);
    }
  }

  @Test
  void aListMatchesExactPatternsAndGlobsAndNamesThePatternThatMatched() {
    Patterns list = new Patterns(List.of("openai/gpt-4.1", "anthropic/*"));

    assertThat(list.match("openai/gpt-4.1")).isEqualTo("openai/gpt-4.1");
    assertThat(list.match("openai", "gpt-4.1")).isEqualTo("openai/gpt-4.1");
    assertThat(list.match("anthropic", "claude")).isEqualTo("anthropic/*");
    assertThat(list.match("openai", "gpt-4.1-mini")).isNull();
    assertThat(list.match("openai/gpt")).isNull();
  }
}
