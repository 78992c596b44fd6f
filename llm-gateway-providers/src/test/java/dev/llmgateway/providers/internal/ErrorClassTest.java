package dev.llmgateway.providers.internal;

import static dev.llmgateway.providers.internal.ErrorClass.ACCESS_DENIED;
import static dev.llmgateway.providers.internal.ErrorClass.AUTHENTICATION;
import static dev.llmgateway.providers.internal.ErrorClass.CONTENT_FILTERED;
import static dev.llmgateway.providers.internal.ErrorClass.CONTEXT_LENGTH;
import static dev.llmgateway.providers.internal.ErrorClass.ENDPOINT_NOT_FOUND;
import static dev.llmgateway.providers.internal.ErrorClass.INVALID_REQUEST;
import static dev.llmgateway.providers.internal.ErrorClass.MODEL_NOT_FOUND;
import static dev.llmgateway.providers.internal.ErrorClass.OVERLOADED;
import static dev.llmgateway.providers.internal.ErrorClass.QUOTA_EXHAUSTED;
import static dev.llmgateway.providers.internal.ErrorClass.RATE_LIMITED;
import static dev.llmgateway.providers.internal.ErrorClass.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Deployment;
import dev.llmgateway.EndpointNotFoundException;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.RateLimitedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The one rule the three error mappers share: the status decides where it is unambiguous, what the
 * body says only refines it, and only an error nothing is known of is "unavailable".
 */
@Timeout(10)
class ErrorClassTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "400, INVALID_REQUEST", "409, INVALID_REQUEST", "413, INVALID_REQUEST",
      "422, INVALID_REQUEST", "401, AUTHENTICATION", "402, QUOTA_EXHAUSTED",
      "403, ACCESS_DENIED", "404, ENDPOINT_NOT_FOUND", "408, UNAVAILABLE", "429, RATE_LIMITED",
      "500, UNAVAILABLE", "502, UNAVAILABLE", "503, UNAVAILABLE", "504, UNAVAILABLE",
      "529, OVERLOADED"})
  void aStatusAloneDecidesItsClass(int status, ErrorClass expected) {
    assertThat(ErrorClass.ofStatus(status)).isEqualTo(expected);
    assertThat(ErrorClass.decide(ErrorClass.ofStatus(status))).isEqualTo(expected);
  }

  @Test
  void noStatusAndAnInformationalOrSuccessStatusDecideNothing() {
    assertThat(ErrorClass.ofStatus(0)).isNull();
    assertThat(ErrorClass.ofStatus(200)).isNull();
    assertThat(ErrorClass.ofStatus(302)).isNull();
  }

  @ParameterizedTest(name = "429 and a body saying {0}")
  @EnumSource(value = ErrorClass.class, names = "QUOTA_EXHAUSTED", mode = EnumSource.Mode.EXCLUDE)
  void a429StaysARateLimitWhateverTheBodySaysButAnExhaustedQuota(ErrorClass body) {
    assertThat(ErrorClass.decide(ErrorClass.ofStatus(429), body)).isEqualTo(RATE_LIMITED);
    assertThat(ErrorClass.decide(ErrorClass.ofStatus(429), QUOTA_EXHAUSTED))
        .isEqualTo(QUOTA_EXHAUSTED);
  }

  @ParameterizedTest(name = "{0} and a body saying invalid request")
  @CsvSource({"500, UNAVAILABLE", "503, UNAVAILABLE", "529, OVERLOADED"})
  void aServerErrorStaysTheProvidersWhateverTheBodySays(int status, ErrorClass expected) {
    assertThat(ErrorClass.decide(ErrorClass.ofStatus(status), INVALID_REQUEST,
        CONTEXT_LENGTH)).isEqualTo(expected);
    assertThat(ErrorClass.decide(ErrorClass.ofStatus(503), OVERLOADED)).isEqualTo(OVERLOADED);
  }

  @ParameterizedTest(name = "400 refined into {0}")
  @EnumSource(value = ErrorClass.class, names = {"CONTEXT_LENGTH", "CONTENT_FILTERED",
      "QUOTA_EXHAUSTED", "AUTHENTICATION", "ACCESS_DENIED", "MODEL_NOT_FOUND"})
  void aClientErrorIsRefinedByTheBody(ErrorClass finer) {
    assertThat(ErrorClass.decide(ErrorClass.ofStatus(400), INVALID_REQUEST, finer))
        .isEqualTo(finer);
  }

  @ParameterizedTest(name = "400 and a body saying {0}")
  @EnumSource(value = ErrorClass.class, names = {"RATE_LIMITED", "OVERLOADED", "UNAVAILABLE"})
  void aClientErrorNeverBecomesRetriableByWhatTheBodySays(ErrorClass body) {
    assertThat(ErrorClass.decide(ErrorClass.ofStatus(400), body)).isEqualTo(INVALID_REQUEST);
  }

  /**
   * Issue 24.4: a 404 was always "model not found", so a base URL without {@code /v1} (OpenAI's
   * "Invalid URL", an HTML page) sent the developer looking for a model that exists.
   */
  @Test
  void a404IsAMissingEndpointUntilTheBodySaysAModelIsMissing() {
    assertThat(ErrorClass.decide(ErrorClass.ofStatus(404))).isEqualTo(ENDPOINT_NOT_FOUND);
    assertThat(ErrorClass.decide(ErrorClass.ofStatus(404), INVALID_REQUEST, null))
        .isEqualTo(ENDPOINT_NOT_FOUND);
    assertThat(ErrorClass.decide(ErrorClass.ofStatus(404), INVALID_REQUEST, MODEL_NOT_FOUND))
        .isEqualTo(MODEL_NOT_FOUND);
    for (ErrorClass other : ErrorClass.values()) {
      if (other != MODEL_NOT_FOUND) {
        assertThat(ErrorClass.decide(ErrorClass.ofStatus(404), other)).as(other.name())
            .isEqualTo(ENDPOINT_NOT_FOUND);
      }
    }
  }

  @Test
  void a404ThatABodyOrAStreamCarriesIsAClientErrorNotAMissingUrl() {
    assertThat(ErrorClass.ofBodyStatus(404)).isEqualTo(INVALID_REQUEST);
    assertThat(ErrorClass.decide(ErrorClass.ofBodyStatus(404), MODEL_NOT_FOUND))
        .isEqualTo(MODEL_NOT_FOUND);
    assertThat(ErrorClass.ofBodyStatus(429)).isEqualTo(RATE_LIMITED);
    assertThat(ErrorClass.ofBodyStatus(0)).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "The model `gpt-4.1-turbo` does not exist or you do not have access to it.",
      "model \"llama9\" not found, try pulling it first",
      "models/gemini-1.0-pro is not found for API version v1beta, or is not supported for "
          + "generateContent.",
      "Publisher Model `projects/p/locations/l/publishers/google/models/x` was not found",
      "The API deployment for this resource does not exist."})
  void aMessageSayingAModelIsNotFoundIsAMissingModel(String message) {
    assertThat(ErrorClass.modelNotFound(message)).isEqualTo(MODEL_NOT_FOUND);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {"Invalid URL (POST /chat/completions)", "Not Found",
      "Resource not found", "Requested entity was not found.", "model is overloaded"})
  void aMessageNotAboutAMissingModelSaysNothing(String message) {
    assertThat(ErrorClass.modelNotFound(message)).isNull();
    assertThat(ErrorClass.modelNotFound(null)).isNull();
  }

  @Test
  void withoutAStatusTheBodysStatusThenTypeThenCodeDecideInThatOrderOfTrust() {
    // Groq inside a stream: status_code 400, type invalid_request_error, code tool_use_failed
    assertThat(ErrorClass.decide(null, ErrorClass.ofStatus(400), INVALID_REQUEST, INVALID_REQUEST))
        .isEqualTo(INVALID_REQUEST);
    // a type that says rate limit wins over a code that says otherwise, but not over a status
    assertThat(ErrorClass.decide(null, RATE_LIMITED, INVALID_REQUEST)).isEqualTo(RATE_LIMITED);
    assertThat(ErrorClass.decide(ErrorClass.ofStatus(400), RATE_LIMITED, CONTEXT_LENGTH))
        .isEqualTo(CONTEXT_LENGTH);
    // the first refinement that fits is kept
    assertThat(ErrorClass.decide(INVALID_REQUEST, CONTENT_FILTERED, CONTEXT_LENGTH))
        .isEqualTo(CONTENT_FILTERED);
  }

  @Test
  void onlyAnErrorNothingIsKnownOfIsUnavailable() {
    assertThat(ErrorClass.decide()).isEqualTo(UNAVAILABLE);
    assertThat(ErrorClass.decide(null, null, null)).isEqualTo(UNAVAILABLE);
    assertThat(ErrorClass.decide(null, OVERLOADED)).isEqualTo(OVERLOADED);
    assertThat(ErrorClass.decide(null, null, AUTHENTICATION, ACCESS_DENIED))
        .isEqualTo(AUTHENTICATION);
    assertThat(ErrorClass.decide(null, MODEL_NOT_FOUND)).isEqualTo(MODEL_NOT_FOUND);
  }

  @Test
  void eachClassIsItsExceptionAndOnlyARateLimitCarriesTheDelay() {
    ErrorDetails details = ErrorDetails.of(new Deployment("p", "m"));
    for (ErrorClass c : ErrorClass.values()) {
      GatewayException e = c.exception("text", Duration.ofSeconds(3), details);
      assertThat(e.getMessage()).contains("text");
      assertThat(e.isRetriable()).as(c.name())
          .isEqualTo(c == RATE_LIMITED || c == OVERLOADED || c == UNAVAILABLE);
    }
    assertThat(((RateLimitedException) RATE_LIMITED.exception("t", Duration.ofSeconds(3),
        details)).retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(ENDPOINT_NOT_FOUND.exception("t", null, details))
        .isInstanceOf(EndpointNotFoundException.class);
  }
}
