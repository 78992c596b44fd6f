package dev.llmgateway.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An attempt's extra headers, kept as name/value pairs in one array: in insertion order, a
 * repeated name replaced where it stands, a read-only view that shows later additions, names but
 * never values in {@code toString()} — as the map they were kept in before; on seeded random
 * sequences of additions the view equals a {@link LinkedHashMap} given the same puts.
 */
@Timeout(30)
class AttemptContextHeadersTest {
  private static AttemptContext attempt() {
    return new AttemptContext("call-1", new Deployment("p", "m"), 1, AttemptContext.NO_DEADLINE);
  }

  @Test
  void headersKeepInsertionOrderAndAReplacedNameKeepsItsPlace() {
    AttemptContext attempt = attempt();
    assertThat(attempt.headers()).isEmpty();
    Map<String, String> view = attempt.header("traceparent", "00-a").header("x-b", "2")
        .header("traceparent", "00-c").headers();

    assertThat(view).containsExactly(Map.entry("traceparent", "00-c"), Map.entry("x-b", "2"));
    attempt.header("x-c", "3");
    assertThat(view).as("a view shows later headers").containsKey("x-c").hasSize(3);
    assertThat(view.get("x-b")).isEqualTo("2");
    assertThat(view.get("absent")).isNull();
    assertThatThrownBy(() -> view.put("x-d", "4")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(attempt.toString()).contains("headers=[traceparent, x-b, x-c]")
        .doesNotContain("00-c");
  }

  @Test
  void theViewEqualsALinkedHashMapGivenTheSamePuts() {
    Random random = new Random(2026);
    for (int run = 0; run < 2_000; run++) {
      AttemptContext attempt = attempt();
      Map<String, String> expected = new LinkedHashMap<>();
      int puts = random.nextInt(12);
      for (int i = 0; i < puts; i++) {
        String name = "h" + random.nextInt(6);
        String value = "v" + random.nextInt(100);
        attempt.header(name, value);
        expected.put(name, value);
      }
      Map<String, String> view = attempt.headers();
      assertThat(view).isEqualTo(expected);
      assertThat(view.keySet()).containsExactlyElementsOf(expected.keySet());
      Map<String, String> iterated = new LinkedHashMap<>();
      view.forEach(iterated::put);
      assertThat(iterated).isEqualTo(expected);
      assertThat(view.hashCode()).isEqualTo(expected.hashCode());
    }
  }
}
