package dev.llmgateway.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The transports' bounded memo per model name (URLs per Azure deployment or Gemini model). */
@Timeout(60)
class ModelMemoTest {
  private final AtomicInteger computed = new AtomicInteger();

  private String[] urls(String model) {
    computed.incrementAndGet();
    return new String[] {"https://host/models/" + model};
  }

  @Test
  void aModelInUseIsComputedOnceAndThenServedFromItsSlot() {
    ModelMemo<String[]> memo = new ModelMemo<>(this::urls);

    String[] first = memo.get("gpt-4o");

    assertThat(memo.get("gpt-4o")).isSameAs(first).containsExactly("https://host/models/gpt-4o");
    assertThat(memo.get(new String("gpt-4o"))).isSameAs(first);
    assertThat(computed).hasValue(1);
  }

  @Test
  void aHundredThousandDistinctModelsHoldNoMoreThanTheSlots() {
    ModelMemo<String[]> memo = new ModelMemo<>(this::urls);

    for (int i = 0; i < 100_000; i++) {
      assertThat(memo.get("made-up-" + i)).containsExactly("https://host/models/made-up-" + i);
    }

    assertThat(memo.slots()).isEqualTo(ModelMemo.DEFAULT_SLOTS);
    assertThat(memo.size()).isEqualTo(ModelMemo.DEFAULT_SLOTS);
    assertThat(computed).hasValue(100_000);
  }

  @Test
  void aModelThatLostItsSlotIsComputedAgainAndRight() {
    ModelMemo<String[]> memo = new ModelMemo<>(1, this::urls);

    memo.get("a");
    memo.get("b");

    assertThat(memo.get("a")).containsExactly("https://host/models/a");
    assertThat(computed).hasValue(3);
    assertThat(memo.size()).isEqualTo(1);
  }

  @Test
  void racingCallersAlwaysGetTheirOwnModelsValue() throws Exception {
    ModelMemo<String[]> memo = new ModelMemo<>(4, this::urls);
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < 50_000; i++) {
            String model = "m" + ((i * 7 + seed) % 12);
            assertThat(memo.get(model)[0]).isEqualTo("https://host/models/" + model);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertThat(memo.size()).isLessThanOrEqualTo(4);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void slotsMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new ModelMemo<>(3, this::urls))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slots must be a positive power of two, was 3");
    assertThatThrownBy(() -> new ModelMemo<>(0, this::urls))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
