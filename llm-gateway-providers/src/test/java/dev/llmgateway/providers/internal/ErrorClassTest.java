package dev.llmgateway.providers.internal;

import static dev.llmgateway.providers.internal.ErrorClass.ACCESS_DENIED;
import static dev.llmgateway.providers.internal.ErrorClass.AUTHENTICATION;
import static dev.llmgateway.providers.internal.ErrorClass.CONTENT_FILTERED;
import static dev.llmgateway.providers.internal.ErrorClass.CONTEXT_LENGTH;
import static dev.llmgateway.providers.internal.ErrorClass.INVALID_REQUEST;
import static dev.llmgateway.providers.internal.ErrorClass.MODEL_NOT_FOUND;
import static dev.llmgateway.providers.internal.ErrorClass.OVERLOADED;
import static dev.llmgateway.providers.internal.ErrorClass.QUOTA_EXHAUSTED;
import static dev.llmgateway.providers.internal.ErrorClass.RATE_LIMITED;
import static dev.llmgateway.providers.internal.ErrorClass.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Deployment;
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
      "403, ACCESS_DENIED", "404, MODEL_NOT_FOUND", "408, UNAVAILABLE", "429, RATE_LIMITED",
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
  }
}
