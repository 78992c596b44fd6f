package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Examples from SWIFT's IBAN registry
 * (https://www.swift.com/standards/data-standards/iban-international-bank-account-number).
 */
@Timeout(30)
class IbanDetectionTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "DE89370400440532013000",
      "DE89 3704 0044 0532 0130 00",
      "GB29 NWBK 6016 1331 9268 19",
      "FR14 2004 1010 0505 0001 3M02 606",
      "NL91ABNA0417164300",
      "BE68 5390 0754 7034",
      "CH93 0076 2011 6238 5295 7",
      "ES9121000418450200051332",
      "NO9386011117947",
      "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
      "BR1800360305000010009795493C1",
      "SA0380000000608010167519",
  })
  void detectsIbansTogetherOrInGroupsOfFour(String iban) {
    assertThat(Found.only(PiiType.IBAN, "IBAN: " + iban + ". Danke"))
        .containsExactly("IBAN:" + iban);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "DE89370400440532013001",
      "DE8937040044053201300",
      "DE893704004405320130000",
      "XX89370400440532013000",
      "DE89 3704 0044 05320 130 00",
      "ref ADE89370400440532013000",
      "de89370400440532013000",
  })
  void leavesWrongChecksumsLengthsCountriesAndGroupings(String text) {
    assertThat(Found.only(PiiType.IBAN, text)).isEmpty();
  }

  @Test
  void reportsChecksumFailingIbansWhenConfigured() {
    PiiScanner scanner =
        PiiScanner.builder().types(PiiType.IBAN).checksumFailingIsPii(true).build();

    assertThat(Found.by(scanner, "IBAN DE89370400440532013001"))
        .containsExactly("IBAN:DE89370400440532013001");
    assertThat(Found.by(scanner, "IBAN DE8937040044053201300")).isEmpty();
  }

  @Test
  void validChecksTheCountryLengthAndMod97() {
    assertThat(IbanDetector.valid("GB82 WEST 1234 5698 7654 32")).isTrue();
    assertThat(IbanDetector.valid("GB82 WEST 1234 5698 7654 33")).isFalse();
    assertThat(IbanDetector.valid("GB82 WEST 1234 5698 7654 3")).isFalse();
  }
}
