package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The end-user id a transport may send is the HMAC-SHA256 of the principal's user id under the
 * gateway's key: random per gateway by default, shared by gateways given the same key.
 */
@Timeout(30)
class EndUserIdKeyTest {
  private static final byte[] KEY = new byte[32];
  private static final Principal ALICE = Principal.of("support", "alice@example.com");

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (i * 7 + 3);
    }
  }

  @Test
  void gatewaysWithTheSameKeySendTheSameHashAndItIsTheHmacOfTheUserId() throws Exception {
    List<@Nullable String> one = new ArrayList<>();
    List<@Nullable String> other = new ArrayList<>();
    try (Gateway a = gateway(one).endUserIdKey(KEY).build();
        Gateway b = gateway(other).endUserIdKey(KEY.clone()).build()) {
      a.chat(ChatRequest.of("m", "hi"), ALICE);
      a.chat(ChatRequest.of("m", "hi"), ALICE);
      b.chat(ChatRequest.of("m", "hi"), ALICE);
    }

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    String hmac = HexFormat.of().formatHex(
        mac.doFinal("alice@example.com".getBytes(StandardCharsets.UTF_8)));
    assertThat(one).containsExactly(hmac, hmac);
    assertThat(other).containsExactly(hmac);
  }

  @Test
  void byDefaultEachGatewayHasItsOwnRandomKeyWhichADerivedGatewayInherits() {
    List<@Nullable String> seen = new ArrayList<>();
    try (Gateway a = gateway(seen).build(); Gateway b = gateway(seen).build();
        Gateway derived = a.newBuilder().build()) {
      a.chat(ChatRequest.of("m", "hi"), ALICE);
      b.chat(ChatRequest.of("m", "hi"), ALICE);
      derived.chat(ChatRequest.of("m", "hi"), ALICE);
      a.chat(ChatRequest.of("m", "hi"), Principal.of("support", "bob@example.com"));
      a.chat(ChatRequest.of("m", "hi"), Principal.ANONYMOUS);
    }

    assertThat(seen.get(0)).hasSize(64).isNotEqualTo(seen.get(1));
    assertThat(seen.get(2)).isEqualTo(seen.get(0));
    assertThat(seen.get(3)).isNotEqualTo(seen.get(0));
    assertThat(seen.get(4)).isNull();
  }

  @Test
  void aShortKeyIsRefusedAndTheKeyIsNeverPrinted() {
    assertThatThrownBy(() -> Gateway.builder().endUserIdKey(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes");
    byte[] printable = "a-secret-end-user-key-0123456789".getBytes(StandardCharsets.US_ASCII);
    try (Gateway g = gateway(new ArrayList<>()).endUserIdKey(printable).build()) {
      assertThat(g.toString()).doesNotContain("a-secret-end-user-key");
    }
  }

  private static GatewayBuilder gateway(List<@Nullable String> seen) {
    return Gateway.builder()
        .provider(new StubProvider("stub"))
        .interceptor(InterceptorPosition.AROUND_ATTEMPT, chain -> {
          seen.add(chain.attempt().endUserHash());
          return chain.proceed(chain.request());
        });
  }
}
