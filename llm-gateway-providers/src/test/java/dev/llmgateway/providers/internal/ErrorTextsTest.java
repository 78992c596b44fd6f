package dev.llmgateway.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rule for provider error texts: the gateway's own fixed text, or withheld. */
@Timeout(10)
class ErrorTextsTest {
  private static final String KEY = "sk-rule-SECRET-0042";
  private final ErrorTexts texts = ErrorTexts.builder()
      .phrase("Rate limit reached")
      .phrase("This model's maximum context length is",
          "The input exceeds the model's maximum context length")
      .code("model_not_found", "The model does not exist")
      .build();

  @Test
  void aMessageStartingWithAListedPhraseIsShownAsTheListedTextOnly() {
    assertThat(texts.message("requests", "rate_limit_exceeded", "RATE LIMIT REACHED for gpt-4.1 "
        + "in organization org-Vh3kQ9sLm2RtW8xYp4NbZc1A on requests per min", KEY))
        .isEqualTo("requests: Rate limit reached");
    assertThat(texts.message(null, null, "  This model's maximum context length is 128000 tokens",
        KEY)).isEqualTo("The input exceeds the model's maximum context length");
  }

  @Test
  void aPhraseElsewhereInTheMessageDoesNotCount() {
    assertThat(texts.message(null, null, "SSN 123-45-6789. Rate limit reached", KEY))
        .isEqualTo(ErrorTexts.WITHHELD);
  }

  @Test
  void anUnlistedMessageIsShownByItsCodesTextElseWithheld() {
    assertThat(texts.message("invalid_request_error", "model_not_found",
        "The model `gpt-secret-jane.doe@example.com` does not exist", KEY))
        .isEqualTo("invalid_request_error: The model does not exist");
    assertThat(texts.message("invalid_request_error", "invalid_value", "'123-45-6789'", KEY))
        .isEqualTo("invalid_request_error: " + ErrorTexts.WITHHELD);
    assertThat(texts.message("api_error", "api_error", null, KEY)).isEqualTo(ErrorTexts.WITHHELD);
    assertThat(texts.message(null, null, null, KEY)).isEqualTo(ErrorTexts.WITHHELD);
  }

  @Test
  void typesAndCodesPassOnlyAsIdentifiersWithNothingToRedact() {
    assertThat(ErrorTexts.identifier("context_length_exceeded"))
        .isEqualTo("context_length_exceeded");
    assertThat(ErrorTexts.identifier("429")).isEqualTo("429");
    assertThat(ErrorTexts.identifier("API_KEY_INVALID")).isEqualTo("API_KEY_INVALID");
    assertThat(ErrorTexts.identifier(null)).isNull();
    assertThat(ErrorTexts.identifier("")).isNull();
    assertThat(ErrorTexts.identifier("jane.doe@example.com")).isNull();
    assertThat(ErrorTexts.identifier("user 123")).isNull();
    assertThat(ErrorTexts.identifier("acct-123456789")).isNull();
    assertThat(ErrorTexts.identifier("Zx8Qp2LmN4vR7tY1wK9sHb3D")).isNull();
    assertThat(ErrorTexts.identifier("sk-proj-abcdef123")).isNull();
    assertThat(ErrorTexts.identifier("x".repeat(65))).isNull();
  }
}
