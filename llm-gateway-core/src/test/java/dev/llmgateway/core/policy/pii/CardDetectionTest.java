package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Test numbers are the issuers' published test cards (Stripe, Adyen, PayPal test lists). */
@Timeout(30)
class CardDetectionTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "Visa, 4111 1111 1111 1111",
      "Visa 13, 4222222222222",
      "Visa dashed, 4012-8888-8888-1881",
      "Mastercard, 5555555555554444",
      "Mastercard 2-series, 2223 0031 2200 3222",
      "Amex 4-6-5, 3782 822463 10005",
      "Amex together, 371449635398431",
      "Discover, 6011 1111 1111 1117",
      "Diners 4-6-4, 3056 930902 5904",
      "JCB, 3530111333300000",
      "UnionPay, 6200 0000 0000 0005",
      "Maestro, 6759649826438453",
  })
  void detectsCardsThatPassLuhnInTheirIssuersRangeAndLength(String issuer, String number) {
    assertThat(Found.only(PiiType.CREDIT_CARD, "card " + number + ", exp 12/27"))
        .containsExactly("CREDIT_CARD:" + number);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "4111 1111 1111 1112",
      "order 1234567890123456",
      "timestamp 1701950400000",
      "tracking 9400 1000 0000 0000 0000 00",
      "41111 11111 11111 1",
      "4111 1111 1111 1111 1111 1",
      "version 4.111111111111111",
      "id 4111111111111111abc",
      "uuid 4111111111111111-1234",
  })
  void leavesNumbersThatAreNotCards(String text) {
    assertThat(Found.only(PiiType.CREDIT_CARD, text)).isEmpty();
  }

  @Test
  void reportsChecksumFailingCardsWhenConfigured() {
    PiiScanner scanner =
        PiiScanner.builder().types(PiiType.CREDIT_CARD).checksumFailingIsPii(true).build();

    assertThat(Found.by(scanner, "card 4111 1111 1111 1112 please"))
        .containsExactly("CREDIT_CARD:4111 1111 1111 1112");
    assertThat(Found.by(scanner, "order 1234567890123456")).isEmpty();
  }

  @Test
  void findsTheCardBeforeAStrayNumber() {
    assertThat(Found.only(PiiType.CREDIT_CARD, "pay 4111 1111 1111 1111 2 times"))
        .containsExactly("CREDIT_CARD:4111 1111 1111 1111");
  }

  @Test
  void findsACardWrittenRightAfterJapaneseText() {
    assertThat(Found.only(PiiType.CREDIT_CARD, "カード番号は4111 1111 1111 1111です"))
        .containsExactly("CREDIT_CARD:4111 1111 1111 1111");
    assertThat(Found.only(PiiType.CREDIT_CARD, "Kartennummerß4111111111111111")).isEmpty();
  }

  @Test
  void luhnMatchesTheKnownAnswers() {
    assertThat(CardDetector.luhn("79927398713")).isTrue();
    assertThat(CardDetector.luhn("79927398710")).isFalse();
  }
}
