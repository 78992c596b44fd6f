package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class PhoneDetectionTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Call (415) 555-2671 today|(415) 555-2671",
      "Ruf an: 030 12345678|030 12345678",
      "Appelez le 01 42 68 53 00.|01 42 68 53 00",
      "ring 020 7946 0018 please|020 7946 0018",
      "電話 03-1234-5678 まで|03-1234-5678",
      "Tel +49 89 636 48018 oder|+49 89 636 48018",
      "WhatsApp +351 912 345 678|+351 912 345 678",
      "+81 3-1234-5678|+81 3-1234-5678",
  })
  void detectsNationalNumbersOfTheDefaultRegionsAndInternationalOnesAnywhere(String text,
      String phone) {
    assertThat(Found.only(PiiType.PHONE, text)).containsExactly("PHONE:" + phone);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Order 2024-11-05 shipped", "see page 12345", "at 12:30:45", "version 10.2.3",
      "1,234,567 users", "ISBN 978-3-16-148410-0", "build=121.0.3212.140 ok",
      "image: nginx:114.0.4768.88", "Order ORD-2024-565868 shipped", "Invoice INV-932164574",
      "Release 17.5.1 (build 1778444896)", "at 1712631746123 ms",
  })
  void leavesDatesCountsAndVersions(String text) {
    assertThat(Found.only(PiiType.PHONE, text)).isEmpty();
  }

  @Test
  void findsNationalNumbersOnlyForTheRegionsConfigured() {
    PiiScanner ukOnly =
        PiiScanner.builder().types(PiiType.PHONE).phoneRegions("gb").build();

    assertThat(Found.by(ukOnly, "電話 03-1234-5678 まで")).isEmpty();
    assertThat(Found.by(ukOnly, "ring 020 7946 0018")).containsExactly("PHONE:020 7946 0018");
    assertThat(Found.by(PiiScanner.builder().types(PiiType.PHONE).phoneRegions().build(),
        "ring 020 7946 0018 or +44 20 7946 0018")).containsExactly("PHONE:+44 20 7946 0018");
  }

  @Test
  void exactGroupingIsStricterThanValid() {
    String text = "call 0301 2345 678 now";
    assertThat(Found.by(PiiScanner.builder().types(PiiType.PHONE).phoneRegions("DE")
        .phoneLeniency(PhoneLeniency.EXACT_GROUPING).build(), text)).isEmpty();
    assertThat(Found.by(PiiScanner.builder().types(PiiType.PHONE).phoneRegions("DE").build(),
        text)).hasSize(1);
  }

  @Test
  void pastTheWorkBudgetPhoneLikeRunsAreReportedWholeNotSkipped() {
    String text = "ref 12345678 x ".repeat(3_000) + "Tel +49 89 636 48018";
    List<PiiSpan> spans = PiiScanner.builder().types(PiiType.PHONE).build().scan(text);

    assertThat(spans.get(spans.size() - 1))
        .isEqualTo(new PiiSpan(PiiType.PHONE, text.length() - 15, text.length()));
  }

  @Test
  void unknownRegionIsRefusedByName() {
    assertThatThrownBy(() -> PiiScanner.builder().phoneRegions("US", "XX"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'XX'");
  }
}
