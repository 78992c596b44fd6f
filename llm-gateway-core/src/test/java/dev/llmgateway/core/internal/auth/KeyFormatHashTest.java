package dev.llmgateway.core.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A key's hash is SHA-256 of its bytes, whether hashed from the thread's scratch array (keys up to
 * 128 characters) or copied (longer ones), in any order of lengths.
 */
@Timeout(30)
class KeyFormatHashTest {
  @Test
  void hashesEveryKeyAsSha256OfItsBytes() throws Exception {
    MessageDigest reference = MessageDigest.getInstance("SHA-256");
    SplittableRandom random = new SplittableRandom(119);
    for (int i = 0; i < 20_000; i++) {
      int length = random.nextInt(300);
      char[] key = new char[length];
      for (int j = 0; j < length; j++) {
        key[j] = (char) random.nextInt(0x21, 0x7f);
      }
      String text = new String(key);
      assertThat(KeyFormat.sha256(text)).as("length %d", length)
          .isEqualTo(reference.digest(text.getBytes(StandardCharsets.ISO_8859_1)));
    }
  }
}
