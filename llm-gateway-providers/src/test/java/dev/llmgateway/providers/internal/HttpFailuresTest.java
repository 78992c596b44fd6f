package dev.llmgateway.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A body that is not the format's error is described accurately, never quoted (issue 24.4: a
 * {@code application/problem+json} body was called "non-JSON").
 */
class HttpFailuresTest {
  private static final String JSON = "{\"title\":\"Not Found\",\"status\":404}";

  @ParameterizedTest(name = "{0}")
  @CsvSource({"application/json", "application/json; charset=utf-8", "application/problem+json",
      "application/vnd.api+json", "TEXT/JSON"})
  void aBodyOfAJsonMediaTypeIsJson(String type) {
    assertThat(HttpFailures.describeBody(JSON, type)).isEqualTo(
        "a JSON body that is not the provider's error format (" + type + ", 34 chars)");
  }

  @Test
  void aBodyThatParsesAsJsonIsJsonWhateverItsTypeSays() {
    assertThat(HttpFailures.describeBody(JSON, "text/plain"))
        .startsWith("a JSON body that is not the provider's error format (text/plain");
    assertThat(HttpFailures.describeBody(" [1, 2]", null))
        .startsWith("a JSON body that is not the provider's error format (no content type");
  }

  @Test
  void aBodyTypedJsonThatDoesNotParseIsMalformedJson() {
    assertThat(HttpFailures.describeBody("{\"title\":\"Not Fo", "application/problem+json"))
        .isEqualTo("a malformed JSON body (application/problem+json, 16 chars)");
  }

  @Test
  void anythingElseIsNonJsonAndAnEmptyBodyIsEmpty() {
    assertThat(HttpFailures.describeBody("<html><p>{not json}</p></html>", "text/html"))
        .isEqualTo("a non-JSON body (text/html, 30 chars)");
    assertThat(HttpFailures.describeBody("{not json", null))
        .isEqualTo("a non-JSON body (no content type, 9 chars)");
    assertThat(HttpFailures.describeBody("", "application/json")).isEqualTo("an empty body");
  }
}
