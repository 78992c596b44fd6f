package dev.llmgateway.it.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.usage.UsageDelivery;
import dev.llmgateway.core.usage.UsageDeliveryStats;
import dev.llmgateway.core.usage.UsageRecordJson;
import dev.llmgateway.spi.UsageSink;
import dev.llmgateway.testing.FakeProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26's delivery acceptance: 10,000 calls on 16 threads through a gateway over the fake
 * provider, into a billing sink ({@link UsageDelivery.Overflow#BLOCK}, a dead-letter file) that
 * is broken in two ways — blocked forever, or throwing on every batch. Every call succeeds, no
 * caller waits past the stated bound (the {@link #MAX_BLOCK} a full queue may hold it, plus one
 * append to the dead-letter file; {@link #SLACK} leaves room for a loaded two-core machine), the
 * queue never holds more than its capacity, and the call ids the sink took together with those in
 * the dead-letter file are every call's. The dead-letter file, replayed into the sink once it
 * works again, delivers each call id once.
 */
@Timeout(180)
class UsageDeliveryUnderLoadTest {
  private static final int CALLS = 10_000;
  private static final int THREADS = 16;
  private static final int CAPACITY = 256;
  private static final Duration MAX_BLOCK = Duration.ofMillis(20);
  private static final Duration SLACK = Duration.ofSeconds(1);

  @TempDir
  Path dir;

  private final CountDownLatch never = new CountDownLatch(1);
  private final ExecutorService callers = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void release() {
    never.countDown();
    callers.shutdownNow();
  }

  @Test
  void aSinkBlockedForeverHoldsNoCallerPastTheBoundAndLosesNoRecord() throws Exception {
    Path deadLetter = dir.resolve("blocked.jsonl");
    Set<String> taken = ConcurrentHashMap.newKeySet();
    UsageSink blocked = new UsageSink() {
      @Override
      public void accept(UsageRecord record) {
        acceptBatch(List.of(record));
      }

      @Override
      public void acceptBatch(List<UsageRecord> records) {
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
        records.forEach(r -> taken.add(r.callId()));
      }
    };

    Run run = run(blocked, billing(deadLetter).deliveryTimeout(Duration.ofMillis(100)).build());

    assertThat(run.stats.maxQueued()).as("queue depth").isLessThanOrEqualTo(CAPACITY);
    assertThat(run.stats.stuckThreads()).as("sink threads left stuck")
        .isLessThanOrEqualTo(UsageDelivery.MAX_SINK_THREADS);
    assertThat(run.maxWaitNanos).as("the longest call, in ns")
        .isLessThanOrEqualTo(MAX_BLOCK.plus(SLACK).toNanos());
    Set<String> union = new HashSet<>(taken);
    union.addAll(idsIn(deadLetter));
    assertThat(union).isEqualTo(run.callIds);
    assertThat(run.stats.dropped()).isZero();
  }

  @Test
  void aThrowingSinkLeavesEveryCallUnaffectedAndItsDeadLetterReplaysEachCallOnce()
      throws Exception {
    Path deadLetter = dir.resolve("throwing.jsonl");
    UsageSink throwing = record -> {
      throw new IllegalStateException("warehouse unavailable");
    };

    Run run = run(throwing, billing(deadLetter)
        .retries(2, Duration.ofMillis(1), Duration.ofMillis(4)).build());

    assertThat(run.stats.maxQueued()).isLessThanOrEqualTo(CAPACITY);
    assertThat(run.maxWaitNanos).isLessThanOrEqualTo(MAX_BLOCK.plus(SLACK).toNanos());
    assertThat(run.stats.retried()).isPositive();
    assertThat(run.stats.delivered()).isZero();
    assertThat(run.stats.spilled()).isEqualTo(CALLS);
    assertThat(idsIn(deadLetter)).isEqualTo(run.callIds);

    Map<String, Integer> recovered = new ConcurrentHashMap<>();
    Files.write(deadLetter, Files.readAllBytes(deadLetter),
        java.nio.file.StandardOpenOption.APPEND); // replayed after a partial replay, say
    UsageDelivery.Replayed replayed =
        UsageDelivery.replay(deadLetter, r -> recovered.merge(r.callId(), 1, Integer::sum));
    assertThat(replayed.delivered()).isEqualTo(CALLS);
    assertThat(replayed.duplicates()).isEqualTo(CALLS);
    assertThat(recovered.keySet()).isEqualTo(run.callIds);
    assertThat(recovered.values()).allMatch(n -> n == 1);
  }

  private static UsageDelivery.Builder billing(Path deadLetter) {
    return UsageDelivery.builder().queueCapacity(CAPACITY).batchSize(64)
        .blockWhenFull(MAX_BLOCK).deadLetter(deadLetter).drainTimeout(Duration.ofMillis(500));
  }

  /** 10,000 calls on 16 threads; the gateway is closed before the figures are taken. */
  private Run run(UsageSink sink, UsageDelivery delivery) throws Exception {
    FakeProvider fake = FakeProvider.builder().name("fake").recordCalls(false).build();
    fake.onAnyModel().alwaysReply(r -> "ok");
    Gateway gateway = Gateway.builder().provider(fake).usageSink(sink, delivery).build();
    AtomicLong maxWait = new AtomicLong();
    Set<String> ids = ConcurrentHashMap.newKeySet();
    List<Callable<Void>> work = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      work.add(() -> {
        for (int i = 0; i < CALLS / THREADS; i++) {
          long start = System.nanoTime();
          String id = gateway.chat(ChatRequest.of("m", "bill me")).callId();
          maxWait.accumulateAndGet(System.nanoTime() - start, Math::max);
          ids.add(id);
        }
        return null;
      });
    }
    for (Future<Void> f : callers.invokeAll(work)) {
      f.get(); // a call that threw fails the test here
    }
    gateway.close();
    assertThat(ids).hasSize(CALLS);
    return new Run(ids, maxWait.get(), gateway.usageDelivery().get(0));
  }

  private record Run(Set<String> callIds, long maxWaitNanos, UsageDeliveryStats stats) {}

  private static Set<String> idsIn(Path file) throws Exception {
    Set<String> ids = new HashSet<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      ids.add(UsageRecordJson.read(line).callId());
    }
    return ids;
  }
}
