package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class IpDetectionTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "192.168.1.20", "10.0.0.1", "255.255.255.255", "0.0.0.0",
      "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8::8a2e:370:7334", "::1", "fe80::1",
      "::ffff:192.0.2.128", "2001:db8::",
  })
  void detectsAddresses(String address) {
    assertThat(Found.only(PiiType.IP_ADDRESS, "host " + address + ", port 22"))
        .containsExactly("IP_ADDRESS:" + address);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "version 1.2.3.4.5", "256.1.1.1", "10.0.0", "01.02.03.04", "v1.2.3.4",
      "at 12:30:45 today", "mac 00:1A:2B:3C:4D:5E", "1:2:3:4:5:6:7:8:9", "2001:db8::1::2",
      "std::vector", "a:b", "12345:678::abcde",
  })
  void leavesVersionsTimesMacsAndMalformedAddresses(String text) {
    assertThat(Found.only(PiiType.IP_ADDRESS, text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1::", "::", ":1:2", "1:2:3:4:5:6:7", "g::1", "1:2:3:4:5:6:7:8:9"})
  void theIpv6ParserRefusesMalformedForms(String text) {
    assertThat(IpDetector.validIpv6(text)).isEqualTo(text.equals("1::"));
  }
}
