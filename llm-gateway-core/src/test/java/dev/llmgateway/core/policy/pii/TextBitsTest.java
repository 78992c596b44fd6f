package dev.llmgateway.core.policy.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TextBits} against the char tests it is made from, on random texts that cross word
 * boundaries and mix every class, ASCII and not.
 */
@Timeout(60)
class TextBitsTest {

  /** Every class, its near misses, and chars outside ASCII that some classes take. */
  private static final String ALPHABET = "0123456789 -.()/+=_:@aAsSgGxXhHdkKzZ\n\t~"
      + "é٣３\u00A0\u2010カ\uFF08";

  private static final int[] CLASSES = {TextBits.DIGIT, TextBits.ANY_DIGIT, TextBits.PHONE,
      TextBits.ENTROPY, TextBits.TOKEN, TextBits.KEY_FIRST, TextBits.LONG_ENTROPY};

  @Test
  void everyQueryAnswersAsTheCharTestsDo() {
    Random random = new Random(42);
    for (int round = 0; round < 600; round++) {
      check(randomText(random, random.nextInt(300)), random);
    }
  }

  @Test
  void aTextLongerThanTheKeptArrayGetsItsOwn() {
    Random random = new Random(7);
    check(randomText(random, TextBits.KEEP_CHARS * 2 + 5), random);
  }

  @Test
  void aScanWithinAScanGetsBitsOfItsOwn() {
    TextBits outer = TextBits.acquire("call +44 20 7946 0018");
    try {
      TextBits inner = TextBits.acquire("no digits here");
      try {
        assertThat(inner).isNotSameAs(outer);
        assertThat(inner.nextDigit(0)).isEqualTo(-1);
      } finally {
        inner.release();
      }
      assertThat(outer.nextDigit(0)).isEqualTo(6);
      assertThat(outer.count(TextBits.DIGIT, 0, outer.text().length())).isEqualTo(12);
    } finally {
      outer.release();
    }
  }

  @Test
  void releaseZeroesTheBitsAndForgetsTheText() {
    TextBits bits = TextBits.acquire("4111 1111 1111 1111 sk-proj-" + "a1B2".repeat(10));
    bits.release();
    assertThat(bits.zeroed()).isTrue();
    assertThat(bits.text()).isEmpty();
    TextBits again = TextBits.acquire("x");
    try {
      assertThat(again).isSameAs(bits);
    } finally {
      again.release();
    }
  }

  @Test
  void aScanLeavesNothingOfItsTextInTheThreadsArrays() {
    String text = "card 4111 1111 1111 1111, iban GB82 WEST 1234 5698 7654 32,"
        + " phone +44 20 7946 0018, key sk-proj-" + "a1B2".repeat(10) + ", date 2024-01-02 1234567";
    List<PiiSpan> spans = PiiScanner.defaults().scan(text);
    assertThat(spans).extracting(PiiSpan::type)
        .contains(PiiType.CREDIT_CARD, PiiType.IBAN, PiiType.PHONE, PiiType.SECRET);
    assertThat(TextBits.threadsOwn().zeroed()).isTrue();
    assertThat(TextBits.threadsOwn().text()).isEmpty();
  }

  /** Acquires the bits of {@code text}, checks every query on them, and releases them. */
  private static void check(String text, Random random) {
    TextBits bits = TextBits.acquire(text);
    try {
      check(text, bits, random);
    } finally {
      bits.release();
    }
  }

  private static void check(String text, TextBits bits, Random random) {
    int n = text.length();
    for (int cls : CLASSES) {
      for (int from = 0; from <= n + 1; from++) {
        assertThat(bits.next(cls, from)).as("next %s from %s in %s", cls, from, text)
            .isEqualTo(next(text, cls, from, true));
        assertThat(bits.nextOther(cls, from)).as("nextOther %s from %s", cls, from)
            .isEqualTo(Math.min(n, Math.max(from, nextOrEnd(text, cls, from))));
        if (from <= n) {
          assertThat(bits.previousOther(cls, from)).as("previousOther %s before %s", cls, from)
              .isEqualTo(previousOther(text, cls, from));
        }
        if (from < n) {
          assertThat(bits.has(cls, from)).isEqualTo(is(text, from, cls));
        }
      }
      for (int k = 0; k < 20 && n > 0; k++) {
        int a = random.nextInt(n + 1);
        int b = random.nextInt(n + 1);
        int from = Math.min(a, b);
        int to = Math.max(a, b);
        int expected = 0;
        for (int p = from; p < to; p++) {
          expected += is(text, p, cls) ? 1 : 0;
        }
        assertThat(bits.count(cls, from, to)).as("count %s in [%s, %s)", cls, from, to)
            .isEqualTo(expected);
      }
    }
    for (int from = 0; from <= n; from++) {
      assertThat(bits.nextDigitRun(from)).as("nextDigitRun from %s in %s", from, text)
          .isEqualTo(nextDigitRun(text, from));
      assertThat(bits.nextKeyStart(from)).as("nextKeyStart from %s in %s", from, text)
          .isEqualTo(nextKeyStart(text, from));
      if (from < n && Chars.digit(text.charAt(from))) {
        assertThat(bits.digitsEnd(from)).isEqualTo(Chars.digitsEnd(text, from));
      }
    }
  }

  private static boolean is(String text, int at, int cls) {
    if (cls == TextBits.LONG_ENTROPY) {
      for (int p = at; p < at + TextBits.LONG_RUN; p++) {
        if (p >= text.length() || !SecretDetector.entropyChar(text.charAt(p))) {
          return false;
        }
      }
      return true;
    }
    char c = text.charAt(at);
    return switch (cls) {
      case TextBits.DIGIT -> Chars.digit(c);
      case TextBits.ANY_DIGIT -> Character.isDigit(c);
      case TextBits.PHONE -> PhoneDetector.phoneChar(c);
      case TextBits.ENTROPY -> SecretDetector.entropyChar(c);
      case TextBits.TOKEN -> SecretDetector.tokenChar(c);
      default -> SecretDetector.startsAKeyPrefix(c);
    };
  }

  private static int next(String text, int cls, int from, boolean wanted) {
    for (int p = from; p < text.length(); p++) {
      if (is(text, p, cls) == wanted) {
        return p;
      }
    }
    return -1;
  }

  private static int nextOrEnd(String text, int cls, int from) {
    int p = next(text, cls, from, false);
    return p < 0 ? text.length() : p;
  }

  private static int previousOther(String text, int cls, int before) {
    for (int p = before - 1; p >= 0; p--) {
      if (!is(text, p, cls)) {
        return p;
      }
    }
    return -1;
  }

  private static int nextDigitRun(String text, int from) {
    for (int p = from; p < text.length(); p++) {
      if (Chars.digit(text.charAt(p)) && (p == 0 || !Chars.digit(text.charAt(p - 1)))) {
        return p;
      }
    }
    return -1;
  }

  private static int nextKeyStart(String text, int from) {
    for (int p = from; p < text.length(); p++) {
      if (SecretDetector.startsAKeyPrefix(text.charAt(p))
          && (p == 0 || !SecretDetector.tokenChar(text.charAt(p - 1)))) {
        return p;
      }
    }
    return -1;
  }

  private static String randomText(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    while (s.length() < length) {
      // runs of one char now and then, so long runs of a class cross word boundaries
      char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
      int repeat = random.nextInt(10) == 0 ? 1 + random.nextInt(90) : 1;
      for (int k = 0; k < repeat && s.length() < length; k++) {
        s.append(c);
      }
    }
    return s.toString();
  }
}
