package dev.llmgateway.core.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** End-user ids are sent as HMAC-SHA256 under the gateway's key, never as a plain hash. */
@Timeout(30)
class EndUsersTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(
      StandardCharsets.US_ASCII);
  private static final String ALICE = "alice@example.com";

  @Test
  void theHashIsTheHmacSha256OfTheIdUnderTheKeyInHex() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    String expected = HexFormat.of().formatHex(mac.doFinal(ALICE.getBytes(StandardCharsets.UTF_8)));

    assertThat(new EndUsers(KEY).hash(ALICE)).isEqualTo(expected).hasSize(64);
  }

  @Test
  void theSameIdHasTheSameHashWithinAGatewayAndAcrossGatewaysWithTheSameKey() {
    EndUsers one = new EndUsers(KEY);
    EndUsers other = new EndUsers(KEY.clone());

    assertThat(one.hash(ALICE)).isEqualTo(one.hash(ALICE)).isEqualTo(other.hash(ALICE));
    assertThat(one.hash(ALICE)).isNotEqualTo(one.hash("bob@example.com"));
  }

  @Test
  void differentKeysGiveDifferentHashes() {
    byte[] otherKey = KEY.clone();
    otherKey[0] ^= 1;

    assertThat(new EndUsers(KEY).hash(ALICE)).isNotEqualTo(new EndUsers(otherKey).hash(ALICE));
    assertThat(new EndUsers(EndUsers.randomKey()).hash(ALICE))
        .isNotEqualTo(new EndUsers(EndUsers.randomKey()).hash(ALICE));
  }

  @Test
  void theHashIsNotThePlainSha256OfTheIdThatAProviderCouldRecompute() throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    String plain = HexFormat.of().formatHex(sha256.digest(ALICE.getBytes(StandardCharsets.UTF_8)));
    String prefixed = HexFormat.of().formatHex(sha256.digest(
        ("llm-gateway:end-user:" + ALICE).getBytes(StandardCharsets.UTF_8)));

    String hash = new EndUsers(KEY).hash(ALICE);

    assertThat(hash).isNotEqualTo(plain).isNotEqualTo(prefixed).doesNotContain(ALICE);
  }

  @Test
  void theKeyIsCopiedNeverPrintedAndMustHaveAtLeast16Bytes() {
    byte[] key = KEY.clone();
    EndUsers users = new EndUsers(key);
    String before = users.hash(ALICE);
    key[0] ^= 1;

    assertThat(new EndUsers(KEY).hash("x")).isEqualTo(users.hash("x"));
    assertThat(users.hash(ALICE)).isEqualTo(before);
    assertThat(users.toString()).doesNotContain(new String(KEY, StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> new EndUsers(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes");
  }

  @Test
  void theMemoOfRecentUsersIsBounded() {
    EndUsers users = new EndUsers(KEY);
    for (int i = 0; i < 25_000; i++) {
      users.hash("user-" + i);
    }

    assertThat(users.remembered()).isLessThanOrEqualTo(10_000);
  }
}
