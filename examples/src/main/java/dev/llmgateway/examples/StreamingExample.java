package dev.llmgateway.examples;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.testing.FakeProvider;

/**
 * Streaming: read events in a loop, stop early by closing the iterator (which cancels the provider
 * call), and see that the call is still metered once, with estimated tokens.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.StreamingExample}
 */
public final class StreamingExample {
  private StreamingExample() {}

  public static void main(String[] args) {
    FakeProvider fake = FakeProvider.create();
    fake.on("storyteller")
        .stream("Once ", "upon ", "a ", "time ", "there ", "was ", "a ", "gateway.");
    InMemoryUsageSink usage = new InMemoryUsageSink();

    try (Gateway gateway = Gateway.builder().provider(fake).usageSink(usage).build()) {
      try (StreamIterator<ChatEvent> events =
          gateway.stream(ChatRequest.of("storyteller", "Tell me a story")).iterator()) {
        int words = 0;
        while (events.hasNext() && words < 3) {
          if (events.next() instanceof ChatEvent.TextDelta delta) {
            System.out.print(delta.text());
            words++;
          }
        }
        System.out.println("... (stopped reading)");
      } // closing cancels the provider's stream

      UsageRecord record = usage.last();
      System.out.println("provider saw cancellation: " + (fake.cancellations() == 1));
      System.out.println("usage record: " + record.outcome() + ", " + record.usage().inputTokens()
          + " in / " + record.usage().outputTokens() + " out tokens"
          + (record.usage().estimated() ? " (estimated)" : ""));
    } finally {
      fake.close();
    }
  }
}
