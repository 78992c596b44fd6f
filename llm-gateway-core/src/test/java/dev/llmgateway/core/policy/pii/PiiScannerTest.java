package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class PiiScannerTest {

  private static final String MIXED = "Mail jane@example.com or call +1 415-555-2671; card "
      + "4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, SSN 536-90-4399, host 10.1.2.3,"
      + " key AKIAIOSFODNN7EXAMPLE.";

  @Test
  void findsEveryBuiltInTypeSortedByStart() {
    assertThat(Found.in(MIXED)).containsExactly(
        "EMAIL:jane@example.com", "PHONE:+1 415-555-2671", "CREDIT_CARD:4111 1111 1111 1111",
        "IBAN:DE89 3704 0044 0532 0130 00", "US_SSN:536-90-4399", "IP_ADDRESS:10.1.2.3",
        "SECRET:AKIAIOSFODNN7EXAMPLE");
  }

  @Test
  void theLongerOfTwoOverlappingSpansWins() {
    PiiType shortType = PiiType.of("SHORT");
    PiiType longType = PiiType.of("LONG");
    PiiScanner scanner = PiiScanner.builder().types()
        .detector(text -> List.of(new PiiSpan(shortType, 2, 6), new PiiSpan(longType, 4, 12),
            new PiiSpan(shortType, 11, 14)))
        .build();

    assertThat(scanner.scan("0123456789abcdef")).containsExactly(new PiiSpan(longType, 4, 12));
  }

  @Test
  void equalLengthsAreRankedByTypePriority() {
    PiiScanner scanner = PiiScanner.builder().types()
        .detector(text -> List.of(new PiiSpan(PiiType.PHONE, 0, 11),
            new PiiSpan(PiiType.US_SSN, 0, 11), new PiiSpan(PiiType.of("CUSTOM"), 0, 11)))
        .build();

    assertThat(scanner.scan("536-90-4399")).containsExactly(new PiiSpan(PiiType.US_SSN, 0, 11));
  }

  @Test
  void anIpv4InsideAnIpv6AddressIsOneIpv6Span() {
    assertThat(Found.in("from ::ffff:192.0.2.128 today"))
        .containsExactly("IP_ADDRESS:::ffff:192.0.2.128");
  }

  @Test
  void allowListedValuesAndPatternsAreNotReported() {
    PiiScanner scanner = PiiScanner.builder()
        .allow("support@example.com")
        .allowPattern(Pattern.compile("10\\.\\d+\\.\\d+\\.\\d+"))
        .build();

    assertThat(Found.by(scanner, "support@example.com, jane@example.com, 10.1.2.3, 8.8.8.8"))
        .containsExactly("EMAIL:jane@example.com", "IP_ADDRESS:8.8.8.8");
  }

  @Test
  void typesChoosesTheBuiltInsThatRun() {
    PiiScanner scanner = PiiScanner.builder().types(PiiType.EMAIL, PiiType.IP_ADDRESS).build();

    assertThat(Found.by(scanner, MIXED)).containsExactly("EMAIL:jane@example.com",
        "IP_ADDRESS:10.1.2.3");
  }

  @Test
  void aTypeThatIsNotBuiltInIsRefusedForTypes() {
    assertThatThrownBy(() -> PiiScanner.builder().types(PiiType.of("EMPLOYEE_ID")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EMPLOYEE_ID is not a built-in PII type");
  }

  @Test
  void textLongerThanTheLimitIsRefusedWithoutQuotingIt() {
    PiiScanner scanner = PiiScanner.builder().maxTextLength(40).build();
    String text = "jane@example.com is my address, 536-90-4399 my SSN";

    assertThatThrownBy(() -> scanner.scan(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTextLength of 40")
        .hasMessageNotContaining("jane")
        .hasMessageNotContaining("536");
    assertThat(scanner.scan(text.substring(0, 40))).isNotEmpty();
  }

  @Test
  void theDefaultLimitIsAMillionChars() {
    assertThat(PiiScanner.defaults().maxTextLength()).isEqualTo(1_000_000);
    assertThatThrownBy(() -> PiiScanner.defaults().scan("a".repeat(1_000_001)))
        .hasMessageContaining("1000000");
  }

  @Test
  void aDetectorsSpanOutsideTheTextFailsTheScanWithoutQuotingIt() {
    PiiScanner scanner = PiiScanner.builder().types()
        .detector(text -> List.of(new PiiSpan(PiiType.EMAIL, 0, text.length() + 1)))
        .build();

    assertThatThrownBy(() -> scanner.scan("secret@example.com"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ending at 19")
        .hasMessageNotContaining("secret@");
  }

  @Test
  void toStringNamesCountsNotAllowedValues() {
    PiiScanner scanner = PiiScanner.builder().allow("ceo@example.com").build();

    assertThat(scanner.toString()).contains("allowedValues=1").doesNotContain("ceo@");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "A-", "1ABC", "ABC-D", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"})
  void typeNamesAreUpperCaseIdentifiersOfAtMost32Chars(String name) {
    assertThatThrownBy(() -> PiiType.of(name)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void typesAreValuesByName() {
    assertThat(PiiType.of("EMAIL")).isSameAs(PiiType.EMAIL);
    assertThat(PiiType.of("EMPLOYEE_ID")).isEqualTo(PiiType.of("EMPLOYEE_ID"))
        .hasToString("EMPLOYEE_ID");
    assertThat(PiiType.of("EMPLOYEE_ID").hashCode()).isEqualTo("EMPLOYEE_ID".hashCode());
  }

  @Test
  void spansAreCheckedAndCarryNoText() {
    assertThatThrownBy(() -> new PiiSpan(PiiType.EMAIL, -1, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PiiSpan(PiiType.EMAIL, 3, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new PiiSpan(PiiType.EMAIL, 1, 3)).hasToString("PiiSpan[type=EMAIL, start=1, end=3]");
  }

  @Test
  void builderMisuseIsRefused() {
    assertThatThrownBy(() -> PiiScanner.builder().maxTextLength(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PiiScanner.builder().allow(""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
