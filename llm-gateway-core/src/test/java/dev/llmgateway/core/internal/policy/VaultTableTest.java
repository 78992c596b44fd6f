package dev.llmgateway.core.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.core.policy.PiiAction;
import dev.llmgateway.core.policy.pii.PiiType;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The vault's own tables, the scratch buffer and the tally, against plain maps and strings. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VaultTableTest {

  @Test
  void manyValuesKeepTheirPlaceholdersAcrossTheTablesGrowth() {
    Vault v = new Vault(5_000, s -> false);
    Map<String, String> expected = new HashMap<>();
    Map<String, Integer> numbers = new HashMap<>();
    Random random = new Random(25);
    for (int i = 0; i < 20_000 && expected.size() < 3_000; i++) {
      PiiType type = random.nextBoolean() ? PiiType.EMAIL : PiiType.of("CUSTOMER_ID");
      String value = "v" + random.nextInt(4_000) + "@example.com";
      String key = type.name() + ' ' + value;
      String p = v.placeholder(type, value);
      String known = expected.get(key);
      if (known == null) {
        int n = numbers.merge(type.name(), 1, Integer::sum);
        assertThat(p).isEqualTo("<" + type.name() + "_" + n + ">");
        expected.put(key, p);
      } else {
        assertThat(p).isEqualTo(known);
      }
    }
    assertThat(v.size()).isEqualTo(expected.size());
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String value = e.getKey().substring(e.getKey().indexOf(' ') + 1);
      assertThat(v.value(e.getValue())).isEqualTo(value);
      String text = "to " + e.getValue() + " now";
      assertThat(v.value(text, 3, 3 + e.getValue().length())).isEqualTo(value);
    }
    assertThat(v.value("<EMAIL_0>")).isNull();
    assertThat(v.value("<EMAIL_999999>")).isNull();
  }

  @Test
  void aPlaceholderTheCallersTextHoldsIsNeverIssued() {
    // the shared placeholders of the built-in types and the made ones past them alike
    Vault v = new Vault(100, s -> s.equals("<EMAIL_1>") || s.equals("<EMAIL_33>"));
    for (int i = 0; i < 40; i++) {
      assertThat(v.placeholder(PiiType.EMAIL, "v" + i + "@example.com"))
          .isNotIn("<EMAIL_1>", "<EMAIL_33>");
    }
    assertThat(v.placeholder(PiiType.EMAIL, "v0@example.com")).isEqualTo("<EMAIL_2>");
    assertThat(v.placeholder(PiiType.EMAIL, "v31@example.com")).isEqualTo("<EMAIL_34>");
  }

  @Test
  void theSameValueAsAnotherTypeIsAnotherPlaceholder() {
    Vault v = new Vault(10, s -> false);
    assertThat(v.placeholder(PiiType.PHONE, "123456789")).isEqualTo("<PHONE_1>");
    assertThat(v.placeholder(PiiType.US_SSN, "123456789")).isEqualTo("<US_SSN_1>");
    assertThat(v.placeholder(PiiType.PHONE, "x123456789y", 1, 10)).isEqualTo("<PHONE_1>");
    assertThat(v.size()).isEqualTo(2);
  }

  @Test
  void anEmptyVaultFindsNothing() {
    Vault v = new Vault(10, s -> false);
    assertThat(v.isEmpty()).isTrue();
    assertThat(v.value("<EMAIL_1>")).isNull();
    assertThat(Restorer.restore("<EMAIL_1>", v, false)).isEqualTo("<EMAIL_1>");
  }

  @Test
  void textsLongerThanTheKeptBufferAreRestoredWhole() {
    Vault v = new Vault(10, s -> false);
    v.placeholder(PiiType.EMAIL, "someone.with.a.long.name@example.com");
    for (int length : new int[] {10, Scratch.KEEP - 40, Scratch.KEEP, 3 * Scratch.KEEP}) {
      StringBuilder text = new StringBuilder();
      StringBuilder expected = new StringBuilder();
      while (text.length() < length) {
        text.append("mail <EMAIL_1> ü, ");
        expected.append("mail someone.with.a.long.name@example.com ü, ");
      }
      assertThat(Restorer.restore(text.toString(), v, false)).isEqualTo(expected.toString());
      // and again: the thread's buffer, given back, holds nothing of the last text
      assertThat(Restorer.restore("<EMAIL_1>", v, false))
          .isEqualTo("someone.with.a.long.name@example.com");
    }
  }

  @Test
  void theScratchBufferComesBackEmptyAndZeroed() {
    StringBuilder sb = Scratch.take(100);
    sb.append("secret value");
    assertThat(Scratch.done(sb)).isEqualTo("secret value");
    StringBuilder again = Scratch.take(100);
    assertThat(again.length()).isZero();
    again.setLength(12);
    assertThat(again.toString()).isEqualTo("\0".repeat(12));
    again.setLength(0);
    Scratch.done(again);
  }

  @Test
  void aTallyListsKindsInTheOrderFirstFound() {
    Tally t = new Tally();
    assertThat(t.isEmpty()).isTrue();
    t.add(PiiType.EMAIL, PiiAction.PLACEHOLDER);
    t.add(PiiType.IBAN, PiiAction.BLOCK);
    t.add(PiiType.EMAIL, PiiAction.PLACEHOLDER);
    t.add(PiiType.of("CUSTOMER_ID"), PiiAction.FLAG);
    t.add(PiiType.EMAIL, PiiAction.MASK);
    t.add(PiiType.of("CUSTOMER_ID"), PiiAction.FLAG);
    t.add(PiiType.of("ORDER"), PiiAction.BLOCK);
    assertThat(t.detail()).isEqualTo("EMAIL x2 placeholder, IBAN x1 blocked, CUSTOMER_ID x2 flagged,"
        + " EMAIL x1 masked, ORDER x1 blocked");
    assertThat(t.blockedDetail()).isEqualTo("IBAN x1, ORDER x1");
    assertThat(t.blocks()).isTrue();
    assertThat(t.changes()).isTrue();
  }
}
