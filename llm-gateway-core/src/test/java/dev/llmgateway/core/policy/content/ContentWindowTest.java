package dev.llmgateway.core.policy.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ContentFilter.Window}: the first hit of a stream, however its text was cut into chunks,
 * is the first hit {@link ContentFilter#check} finds in the whole text (seeded random texts and
 * thousands of random chunkings, cut inside phrases, surrogate pairs, combining sequences and
 * whitespace runs); it reports as soon as the text decides it; and it keeps a bounded tail.
 */
@Timeout(120)
class ContentWindowTest {
  private static final ContentFilter FILTER = ContentFilter.builder()
      .category("weather", List.of("hail storm", "sleet", "fog bank", "fog"))
      .category("spoilers", List.of("the butler did it", "café noir", "😀 grin"))
      .category("symbols", List.of("-x-", "a-b"))
      .pattern("ticket", "tkt-\\d{3,6}\\b", 12)
      .pattern("greedy", "z+y?", 5)
      .pattern("lookaround", "(?<=\\s)q\\d(?=\\s)", 4)
      .build();

  private static final String[] PIECES = {
      "hail", "storm", "hail storm", "HAIL  STORM", "sleet", "sleets", "fog", "foggy", "bank",
      "the", "butler", "did", "it", "itself", "café", "cafe\u0301", "noir", "😀", "grin", "-x-",
      "a-b", "a", "b", "x", "-", "tkt-", "123", "12", "4567", "TKT-", "zz", "zzzzzzz", "y", "q1",
      "q", "1", " ", "  ", "\t", "\n", "\u200B", "\u00A0", "ｆｏｇ", "é", "\u0301", ".", ",", "!",
      "_", "9",
  };

  @Test
  void findsTheFirstHitOfCheckWhateverTheChunking() {
    Random random = new Random(20261207L);
    int compared = 0;
    int withHit = 0;
    for (int t = 0; t < 600; t++) {
      String text = randomText(random);
      List<ContentHit> all = FILTER.check(text);
      ContentHit expected = all.isEmpty() ? null : all.get(0);
      if (expected != null) {
        withHit++;
      }
      for (int c = 0; c < 8; c++) {
        List<String> chunks = randomChunks(text, random);
        assertThat(streamed(chunks))
            .as("text #%d cut into %s", t, chunks.size())
            .isEqualTo(expected);
        compared++;
      }
    }
    assertThat(compared).isEqualTo(4_800);
    assertThat(withHit).isGreaterThan(300);
  }

  @Test
  void findsAPhraseCutIntoOneCharacterChunks() {
    String text = "nothing, nothing, then the butler did it.";
    List<String> chunks = new ArrayList<>();
    for (char c : text.toCharArray()) {
      chunks.add(String.valueOf(c));
    }
    assertThat(streamed(chunks)).isEqualTo(new ContentHit("spoilers", 23, 40));
  }

  @Test
  void reportsAPhraseAsSoonAsTheNextCharacterClosesIt() {
    ContentFilter phrasesOnly = ContentFilter.builder()
        .category("weather", List.of("sleet")).build();
    ContentFilter.Window w = phrasesOnly.window();
    assertThat(w.append("heavy sle")).isNull();
    assertThat(w.append("et")).isNull();
    assertThat(w.append(" later")).isEqualTo(new ContentHit("weather", 6, 11));
    assertThat(w.append("sleet again")).isNull();
    assertThat(w.finish()).isNull();
    assertThat(w.hit()).isEqualTo(new ContentHit("weather", 6, 11));
    assertThatThrownBy(() -> w.append("more")).isInstanceOf(IllegalStateException.class);

    ContentFilter.Window atEnd = phrasesOnly.window();
    assertThat(atEnd.append("it ends in sleet")).isNull();
    assertThat(atEnd.finish()).isEqualTo(new ContentHit("weather", 11, 16));
  }

  @Test
  void keepsABoundedTailWhateverTheStreamsLength() {
    ContentFilter.Window w = FILTER.window();
    String chunk = "a calm day, with sun and light wind; nothing to see here. ".repeat(40);
    for (int i = 0; i < 5_000; i++) { // about 11 million characters
      assertThat(w.append(chunk)).isNull();
    }
    assertThat(w.bufferCapacity()).isLessThan(200);
    assertThat(w.append("then fog")).isNull();
    assertThat(w.finish()).isEqualTo(
        new ContentHit("weather", 5_000 * chunk.length() + 5, 5_000 * chunk.length() + 8));
  }

  private static @Nullable ContentHit streamed(List<String> chunks) {
    ContentFilter.Window w = FILTER.window();
    for (String chunk : chunks) {
      ContentHit hit = w.append(chunk);
      if (hit != null) {
        return hit;
      }
    }
    return w.finish();
  }

  private static String randomText(Random random) {
    StringBuilder sb = new StringBuilder();
    int pieces = 1 + random.nextInt(40);
    for (int i = 0; i < pieces; i++) {
      sb.append(PIECES[random.nextInt(PIECES.length)]);
      if (random.nextInt(3) > 0) {
        sb.append(' ');
      }
    }
    return sb.toString();
  }

  private static List<String> randomChunks(String text, Random random) {
    List<String> chunks = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int size = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 3 : 12);
      int end = Math.min(text.length(), at + size);
      chunks.add(text.substring(at, end));
      at = end;
    }
    return chunks;
  }
}
