package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys are made up in each provider's documented shape; none is real. */
@Timeout(30)
class SecretDetectionTest {

  static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
      + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
      + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

  @ParameterizedTest
  @ValueSource(strings = {
      "sk-proj-Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5",
      "sk-ant-api03-Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Jh0Gf9Ed8Cb7Aa6-Qq_Ww",
      "sk-Xy12Ab34Cd56Ef78Gh90Ij12Kl34Mn56Op78Qr90St12",
      "AKIAIOSFODNN7EXAMPLE",
      "ASIA2E4G6J8L0N2Q4S6U",
      "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3aB5c",
      "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCD",
      "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx",
      "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
      "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
      "glpat-xY12zW34vU56tS78rQ90",
      JWT,
      "Zq8Xk2Lm9Pw4Rt7Yv1Nb6Hc3Jd5Fg0Ks",
      "IYJVMYJbidbfIQBqnSZMSgcpKXUTeFkBk",
  })
  void detectsKeysTokensAndRandomStrings(String secret) {
    assertThat(Found.only(PiiType.SECRET, "key=" + "\"" + secret + "\" then"))
        .containsExactly("SECRET:" + secret);
  }

  @Test
  void detectsAPrivateKeyBlockWhole() {
    String pem = "-----BEGIN RSA PRIVATE KEY-----\n"
        + "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
        + "KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==\n"
        + "-----END RSA PRIVATE KEY-----";

    assertThat(Found.only(PiiType.SECRET, "here:\n" + pem + "\nthanks"))
        .containsExactly("SECRET:" + pem);
    assertThat(Found.only(PiiType.SECRET, "cut: " + pem.substring(0, 100) + "|"))
        .containsExactly("SECRET:" + pem.substring(0, 100));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "550e8400-e29b-41d4-a716-446655440000",
      "550E8400-E29B-41D4-A716-446655440000",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
      "AbstractSingletonProxyFactoryBean2",
      "sk-learn-is-a-python-library-for-machine-learning",
      "the task-scheduler-2024-Q3-Release-Notes",
      "AKIAIOSFODNN7EXAMPLEX",
      "eyJub3QiOiJhIGhlYWRlciJ9.eyJzdWIiOiIxIn0.abc",
      "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
      "/usr/local/lib/python3.11/site-packages",
      "Order ORD-2024-00017-DE shipped",
  })
  void leavesIdsHashesIdentifiersAndPublicKeys(String text) {
    assertThat(Found.only(PiiType.SECRET, text)).isEmpty();
  }

  @Test
  void entropyThresholdGrowsWithLengthUpToItsCap() {
    assertThat(SecretDetector.threshold(20)).isBetween(3.79, 3.81);
    assertThat(SecretDetector.threshold(24)).isBetween(4.02, 4.04);
    assertThat(SecretDetector.threshold(64)).isEqualTo(4.3);
  }
}
