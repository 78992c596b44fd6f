package dev.llmgateway.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.spi.UsageSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Delivery through a real gateway: inline and queued sinks, retries, dead letters, close. */
@Timeout(60)
class UsageDeliveryTest {
  private static final ChatRequest HI = ChatRequest.of("m", "Hi");

  @TempDir
  Path dir;

  @Test
  void inMemorySinksAreInlineAndOtherSinksAreCalledOnTheirOwnDeliveryThread() throws Exception {
    InMemoryUsageSink memory = new InMemoryUsageSink();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch delivered = new CountDownLatch(1);
    try (Gateway gateway = Gateway.builder().provider(new StubProvider("stub"))
        .usageSink(memory)
        .usageSink(record -> {
          threads.add(Thread.currentThread().getName());
          delivered.countDown();
        })
        .build()) {
      String callId = gateway.chat(HI).callId();

      assertThat(memory.last().callId()).as("inline: there when chat returns").isEqualTo(callId);
      assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(threads).singleElement().asString()
          .startsWith("llm-gateway-usage-2-UsageDeliveryTest-lambda-sink-");
      assertThat(gateway.usageDelivery()).extracting(s -> s.delivery().isInline())
          .containsExactly(true, false);
    }
  }

  @Test
  void aThrowingSinkIsRetriedThenSpilledAndNoCallNoticesIt() throws Exception {
    Path deadLetter = dir.resolve("dead/billing.jsonl");
    UsageSink broken = record -> {
      throw new IllegalStateException("database down");
    };
    List<String> callIds = new ArrayList<>();
    Gateway gateway = Gateway.builder().provider(new StubProvider("stub"))
        .usageSink(broken, UsageDelivery.builder().blockWhenFull(Duration.ofMillis(50))
            .deadLetter(deadLetter).batchSize(8)
            .retries(2, Duration.ofMillis(1), Duration.ofMillis(2)).build())
        .build();
    for (int i = 0; i < 50; i++) {
      callIds.add(gateway.chat(HI).callId());
    }
    gateway.close();

    UsageDeliveryStats stats = gateway.usageDelivery().get(0);
    assertThat(stats.delivered()).isZero();
    assertThat(stats.spilled()).isEqualTo(50);
    assertThat(stats.dropped()).isZero();
    assertThat(stats.retried()).isGreaterThanOrEqualTo(2);
    assertThat(idsIn(deadLetter)).containsExactlyInAnyOrderElementsOf(callIds);
  }

  @Test
  void closeDrainsTheQueueSoEveryRecordIsDeliveredOrSpilled() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    InMemoryUsageSink taken = new InMemoryUsageSink();
    UsageSink slow = record -> {
      await(gate);
      taken.accept(record);
    };
    Gateway gateway = Gateway.builder().provider(new StubProvider("stub"))
        .usageSink(slow, UsageDelivery.builder().queueCapacity(1_000).batchSize(16).build())
        .build();
    for (int i = 0; i < 300; i++) {
      gateway.chat(HI);
    }
    assertThat(gateway.usageDelivery().get(0).queued()).as("held back by the gate").isPositive();
    gate.countDown();
    gateway.close();

    UsageDeliveryStats stats = gateway.usageDelivery().get(0);
    assertThat(stats.delivered() + stats.spilled()).isEqualTo(300);
    assertThat(stats.delivered()).isEqualTo(300);
    assertThat(stats.queued()).isZero();
    assertThat(taken.records()).extracting(UsageRecord::callId).doesNotHaveDuplicates();
  }

  @Test
  void closeOnAnInterruptedThreadStillDrainsAndKeepsTheInterrupt() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    UsageSink slow = record -> await(gate);
    // a drain timeout far above the default 5 s: this test is about the interrupt, and a helper's
    // run at load 13 once saw the default run out with 36 records still queued
    Gateway gateway = Gateway.builder().provider(new StubProvider("stub"))
        .usageSink(slow, UsageDelivery.builder().queueCapacity(1_000).batchSize(16)
            .drainTimeout(Duration.ofSeconds(60)).build())
        .build();
    for (int i = 0; i < 100; i++) {
      gateway.chat(HI);
    }
    Thread.currentThread().interrupt(); // e.g. an application shutting down its threads
    gate.countDown();
    gateway.close();

    assertThat(Thread.interrupted()).as("the closer's interrupt is kept").isTrue();
    UsageDeliveryStats stats = gateway.usageDelivery().get(0);
    assertThat(stats.delivered()).as("nothing dropped: this sink has no dead-letter file")
        .isEqualTo(100);
    assertThat(stats.dropped() + stats.spilled()).isZero();
  }

  @Test
  void closeGivesUpOnAStuckSinkAfterItsDrainTimeoutAndSpillsTheRest() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Path deadLetter = dir.resolve("stuck.jsonl");
    Gateway gateway = Gateway.builder().provider(new StubProvider("stub"))
        .usageSink(record -> await(never), UsageDelivery.builder()
            .blockWhenFull(Duration.ofMillis(10)).deadLetter(deadLetter)
            .drainTimeout(Duration.ofMillis(100)).build())
        .build();
    List<String> callIds = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      callIds.add(gateway.chat(HI).callId());
    }
    long start = System.nanoTime();
    gateway.close();
    long closeMillis = (System.nanoTime() - start) / 1_000_000;
    never.countDown();

    UsageDeliveryStats stats = gateway.usageDelivery().get(0);
    assertThat(closeMillis).as("the 100 ms drain, a second's grace for the delivery thread")
        .isLessThan(3_000);
    assertThat(stats.delivered() + stats.spilled()).isEqualTo(100);
    assertThat(idsIn(deadLetter)).containsExactlyInAnyOrderElementsOf(callIds);
  }

  @Test
  void aFullDroppingQueueDropsAndCountsWithoutHoldingTheCaller() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch first = new CountDownLatch(1);
    Gateway gateway = Gateway.builder().provider(new StubProvider("stub"))
        .usageSink(record -> {
          first.countDown();
          await(gate);
        }, UsageDelivery.builder().queueCapacity(4).batchSize(1).build())
        .build();
    gateway.chat(HI);
    assertThat(first.await(10, TimeUnit.SECONDS)).isTrue(); // the first record is in the sink
    for (int i = 0; i < 20; i++) {
      gateway.chat(HI);
    }
    UsageDeliveryStats full = gateway.usageDelivery().get(0);
    gate.countDown();
    gateway.close();

    assertThat(full.queued()).isEqualTo(4);
    assertThat(full.maxQueued()).isEqualTo(4);
    assertThat(full.dropped()).isEqualTo(16);
    UsageDeliveryStats end = gateway.usageDelivery().get(0);
    assertThat(end.delivered() + end.dropped()).isEqualTo(21);
  }

  @Test
  void aDeadLetterFileReplayedIntoARecoveredSinkDeliversEachCallIdOnce() throws Exception {
    Path deadLetter = dir.resolve("dead.jsonl");
    List<UsageRecord> records = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      records.add(Records.call("call-" + i));
    }
    byte[] lines = UsageRecordJson.toLines(records);
    Files.write(deadLetter, lines);
    Files.write(deadLetter, lines, StandardOpenOption.APPEND); // spilled twice (a retry)
    String torn = UsageRecordJson.toJson(Records.call("torn"));
    Files.writeString(deadLetter, torn.substring(0, 50), StandardOpenOption.APPEND);
    InMemoryUsageSink recovered = new InMemoryUsageSink();

    UsageDelivery.Replayed replayed = UsageDelivery.replay(deadLetter, recovered);

    assertThat(replayed).isEqualTo(new UsageDelivery.Replayed(100, 100, 1));
    assertThat(recovered.records()).extracting(UsageRecord::callId)
        .containsExactlyElementsOf(records.stream().map(UsageRecord::callId).toList());
  }

  @Test
  void blockingWithoutADeadLetterFileIsRefusedWithWhatToDo() {
    assertThatThrownBy(() -> UsageDelivery.builder().blockWhenFull(Duration.ofMillis(5)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("deadLetter(path)");
    assertThatThrownBy(() -> UsageDelivery.builder()
        .retries(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds maxBackoff");
  }

  static Set<String> idsIn(Path file) throws Exception {
    Set<String> ids = new HashSet<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      UsageRecord r = UsageRecordJson.read(line);
      assertThat(ids.add(r.callId())).as("spilled once: " + r.callId()).isTrue();
    }
    return ids;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
