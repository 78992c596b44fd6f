package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class EmailDetectionTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Write to jane.doe@example.com.|jane.doe@example.com",
      "Mail: <john+news@mail.example.co.uk>|john+news@mail.example.co.uk",
      "Kontakt: müller@bücher.de, danke|müller@bücher.de",
      "punycode: info@xn--bcher-kva.de!|info@xn--bcher-kva.de",
      "連絡先はtaro.yamada@example.jpです。|taro.yamada@example.jp",
      "(neil_99@sub-domain.example.org)|neil_99@sub-domain.example.org",
      "...first.last@example.museum...|first.last@example.museum",
  })
  void findsAddressesWithoutTheirSurroundingPunctuation(String text, String address) {
    assertThat(Found.only(PiiType.EMAIL, text)).containsExactly("EMAIL:" + address);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "install lodash@4.17.21 now",
      "the @angular/core package",
      "ping @john about it",
      "user@localhost is not routable",
      "a@b.c is too short a TLD",
      "bad..dots@example.com",
      "trailing.@example.com",
      "name@-example.com",
      "twice@example.com@other.org",
  })
  void leavesAddressLookalikes(String text) {
    assertThat(Found.only(PiiType.EMAIL, text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {65, 300})
  void refusesLocalPartsLongerThan64Chars(int length) {
    String text = "x".repeat(length) + "@example.com";
    assertThat(Found.only(PiiType.EMAIL, text)).isEmpty();
  }
}
