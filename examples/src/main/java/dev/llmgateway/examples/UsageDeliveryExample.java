package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.usage.UsageDelivery;
import dev.llmgateway.core.usage.UsageDeliveryStats;
import dev.llmgateway.spi.UsageSink;
import dev.llmgateway.testing.FakeProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Usage delivery for billing: the warehouse that takes the usage records is down, so the gateway
 * retries each batch on its own delivery thread (the callers never wait), then writes it to a
 * dead-letter file; once the warehouse is back, the file is replayed into it. The warehouse keys
 * records by call id, so a record delivered twice is stored once.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.UsageDeliveryExample}
 */
public final class UsageDeliveryExample {
  private UsageDeliveryExample() {}

  /** A billing store that can be down; idempotent by call id. */
  static final class Warehouse implements UsageSink {
    final Map<String, UsageRecord> rows = new ConcurrentHashMap<>();
    volatile boolean down = true;

    @Override
    public void accept(UsageRecord record) {
      if (down) {
        throw new IllegalStateException("warehouse unavailable");
      }
      rows.put(record.callId(), record); // an upsert by call id
    }
  }

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("usage-example");
    Path deadLetter = dir.resolve("billing.dead.jsonl");
    Warehouse warehouse = new Warehouse();
    FakeProvider fake = FakeProvider.create();
    fake.onAnyModel().alwaysReply(r -> "Done.");
    try {
      Gateway gateway = Gateway.builder().provider(fake)
          .usageSink(warehouse, UsageDelivery.builder()
              .blockWhenFull(Duration.ofMillis(100))   // billing: never drop a record
              .deadLetter(deadLetter)                  // what the warehouse cannot take goes here
              .retries(2, Duration.ofMillis(10), Duration.ofMillis(50))
              .build())
          .build();
      for (int i = 0; i < 5; i++) {
        gateway.chat(ChatRequest.of("gpt-4.1-mini", "Invoice #" + i));
      }
      gateway.close(); // drains the queue: the batches fail their retries and spill
      UsageDeliveryStats stats = gateway.usageDelivery().get(0);
      System.out.println("calls answered: 5; delivered " + stats.delivered() + ", retried "
          + stats.retried() + " times, spilled " + stats.spilled() + " to the dead-letter file");
      System.out.println("dead-letter lines: " + Files.readAllLines(deadLetter).size());

      warehouse.down = false; // back up
      UsageDelivery.Replayed replayed = UsageDelivery.replay(deadLetter, warehouse);
      UsageDelivery.replay(deadLetter, warehouse); // by mistake, twice: rows stay one per call
      System.out.println("replayed " + replayed.delivered() + " records; warehouse rows: "
          + warehouse.rows.size());
    } finally {
      fake.close();
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.delete(p);
      }
      Files.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
