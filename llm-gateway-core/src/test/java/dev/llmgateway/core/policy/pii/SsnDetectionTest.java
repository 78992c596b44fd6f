package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class SsnDetectionTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "His number is 536-90-4399.|536-90-4399",
      "SSN: 536 90 4399|536 90 4399",
      "social security number 536904399 on file|536904399",
      "536904399 (SSN)|536904399",
  })
  void detectsFormattedNumbersAndUnformattedOnesWithContext(String text, String ssn) {
    assertThat(Found.only(PiiType.US_SSN, text)).containsExactly("US_SSN:" + ssn);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000",
      "call 536 90 4399", "invoice 536904399", "2024-10-12", "12-536-90-4399", "536-90-4399-1",
      "536-90-43991", "employee INV-122866674, ssn: none", "ssn on file for #536904399",
  })
  void leavesNumbersNeverIssuedAndUnformattedOnesWithoutContext(String text) {
    assertThat(Found.only(PiiType.US_SSN, text)).isEmpty();
  }
}
