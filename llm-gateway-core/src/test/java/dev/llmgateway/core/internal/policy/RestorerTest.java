package dev.llmgateway.core.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.PolicyViolationException;
import dev.llmgateway.core.policy.pii.PiiType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestorerTest {

  private static Vault vault(String... values) {
    Vault v = new Vault(100, s -> false);
    for (String value : values) {
      v.placeholder(value.contains("@") ? PiiType.EMAIL : PiiType.PHONE, value);
    }
    return v;
  }

  @Test
  void theSameValueIsAlwaysTheSamePlaceholderWithinACall() {
    Vault v = new Vault(100, s -> false);
    assertThat(v.placeholder(PiiType.EMAIL, "a@example.com")).isEqualTo("<EMAIL_1>");
    assertThat(v.placeholder(PiiType.EMAIL, "b@example.com")).isEqualTo("<EMAIL_2>");
    assertThat(v.placeholder(PiiType.EMAIL, "a@example.com")).isEqualTo("<EMAIL_1>");
    assertThat(v.placeholder(PiiType.PHONE, "+1 202 555 0101")).isEqualTo("<PHONE_1>");
    assertThat(v.toString()).doesNotContain("example.com").contains("3 placeholders");
  }

  @Test
  void aPlaceholderTheCallersOwnTextHoldsIsNeverIssued() {
    Vault v = new Vault(100, s -> s.equals("<EMAIL_1>"));
    assertThat(v.placeholder(PiiType.EMAIL, "a@example.com")).isEqualTo("<EMAIL_2>");
    // the caller's literal <EMAIL_1> is not restored to anything
    assertThat(Restorer.restore("<EMAIL_1> and <EMAIL_2>", v, false))
        .isEqualTo("<EMAIL_1> and a@example.com");
  }

  @Test
  void moreDistinctValuesThanAllowedRefuseWithoutQuotingThem() {
    Vault v = new Vault(2, s -> false);
    v.placeholder(PiiType.EMAIL, "a@example.com");
    v.placeholder(PiiType.EMAIL, "b@example.com");
    assertThatThrownBy(() -> v.placeholder(PiiType.EMAIL, "c@example.com"))
        .isInstanceOf(PolicyViolationException.class)
        .hasMessageContaining("more than 2")
        .hasMessageNotContaining("example.com");
  }

  @Test
  void restoresWholeTextsAndLeavesUnknownOrMalformedPlaceholders() {
    Vault v = vault("a@example.com");
    assertThat(Restorer.restore("Mail <EMAIL_1>, not <EMAIL_9>, <EMAIL_>, <email_1>, <EMAIL_1",
        v, false)).isEqualTo("Mail a@example.com, not <EMAIL_9>, <EMAIL_>, <email_1>, <EMAIL_1");
  }

  @Test
  void restoresInsideJsonAsTheInsideOfAString() {
    Vault v = new Vault(10, s -> false);
    v.placeholder(PiiType.SECRET, "a\"b\\c\nd");
    assertThat(Restorer.restore("{\"k\":\"<SECRET_1>\"}", v, true))
        .isEqualTo("{\"k\":\"a\\\"b\\\\c\\nd\"}");
  }

  @Test
  void aPlaceholderSplitAcrossThreeChunksIsRestored() {
    Restorer.Streamed r = new Restorer.Streamed(vault("a@example.com"), false);
    StringBuilder out = new StringBuilder();
    out.append(r.push("Write to <EM"));
    assertThat(r.heldLength()).isEqualTo(3);
    out.append(r.push("AIL_"));
    out.append(r.push("1> today"));
    out.append(r.flush());
    assertThat(out).hasToString("Write to a@example.com today");
  }

  @Test
  void aTailThatCannotBecomeAPlaceholderGoesOutAtOnce() {
    Restorer.Streamed r = new Restorer.Streamed(vault("a@example.com"), false);
    assertThat(r.push("x < y")).isEqualTo("x < y");
    assertThat(r.push("if a<b")).isEqualTo("if a<b");
    assertThat(r.push("<html>")).isEqualTo("<html>");
    assertThat(r.holding()).isFalse();
  }

  /**
   * Thousands of seeded texts of placeholders, look-alikes and noise, each cut into random chunks:
   * what goes out, put together, is the whole text restored; and no more than a placeholder's
   * length minus one is ever held back.
   */
  @Test
  void anyChunkingGivesTheWholeTextRestoredAndHoldsBackLessThanAPlaceholder() {
    Random random = new Random(42);
    Vault v = vault("a@example.com", "b@example.org", "+1 202 555 0101");
    String[] pieces = {"<EMAIL_1>", "<EMAIL_2>", "<PHONE_1>", "<EMAIL_3>", "<", ">", "<E",
        "<EMAIL", "_", "1", " ", "text", "<<", "EMAIL_1>", "é", "😀", "<PHONE_", "\n"};
    for (int round = 0; round < 5_000; round++) {
      StringBuilder text = new StringBuilder();
      int n = 1 + random.nextInt(30);
      for (int i = 0; i < n; i++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      String whole = text.toString();
      List<String> chunks = new ArrayList<>();
      int at = 0;
      while (at < whole.length()) {
        int len = 1 + random.nextInt(Math.min(12, whole.length() - at));
        chunks.add(whole.substring(at, at + len));
        at += len;
      }
      Restorer.Streamed r = new Restorer.Streamed(v, false);
      StringBuilder out = new StringBuilder();
      for (String chunk : chunks) {
        out.append(r.push(chunk));
        assertThat(r.heldLength()).as("round %d", round).isLessThan(v.longest());
      }
      out.append(r.flush());
      assertThat(out).as("round %d: %s in %s", round, whole, chunks)
          .hasToString(Restorer.restore(whole, v, false));
    }
  }
}
