package dev.llmgateway.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A metric attribute keeps few values, however many callers send. */
@Timeout(30)
class CardinalityTest {

  @Test
  void anAllowListKeepsOnlyItsValues() {
    Cardinality c = new Cardinality(Set.of("search", "ads"), 100);
    assertThat(c.bound("search")).isEqualTo("search");
    assertThat(c.bound("billing")).isEqualTo("other");
    assertThat(c.bound(null)).isNull();
  }

  @Test
  void withoutAListTheFirstValuesAreKeptAndTheRestAreOther() {
    Cardinality c = new Cardinality(null, 2);
    assertThat(List.of(c.bound("a"), c.bound("b"), c.bound("c"), c.bound("a")))
        .containsExactly("a", "b", "other", "a");
  }

  @Test
  void aValueLongerThanTheLimitIsOther() {
    assertThat(new Cardinality(null, 10).bound("x".repeat(Cardinality.MAX_LENGTH + 1)))
        .isEqualTo("other");
  }

  @Test
  void manyThreadsNeverKeepMoreThanTheLimit() throws Exception {
    Cardinality c = new Cardinality(null, 50);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Set<String>>> seen = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        seen.add(pool.submit(() -> {
          Set<String> kept = new HashSet<>();
          for (int i = 0; i < 10_000; i++) {
            kept.add(c.bound("v" + ((i * 7 + thread) % 500)));
          }
          return kept;
        }));
      }
      Set<String> all = new HashSet<>();
      for (Future<Set<String>> f : seen) {
        all.addAll(f.get());
      }
      all.remove("other");
      assertThat(all).hasSizeLessThanOrEqualTo(50);
    } finally {
      pool.shutdownNow();
    }
  }
}
