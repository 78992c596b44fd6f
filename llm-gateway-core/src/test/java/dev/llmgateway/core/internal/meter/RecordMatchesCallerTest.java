package dev.llmgateway.core.internal.meter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.spi.AttemptContext;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly one record, and it matches what the caller saw: a caller's cancel racing the stream's
 * terminal event, run thousands of times with a seed. Whoever ends the call writes the record; a
 * caller who received {@code Completed} (or {@code Failed}) finds a record with that outcome and
 * those very tokens and cost, and a caller whose cancel won receives no terminal event.
 */
@Timeout(120)
class RecordMatchesCallerTest {
  private static final int RUNS = 3_000;

  @Test
  void aCancelRacingTheTerminalEventLeavesOneRecordThatMatchesWhatTheCallerReceived()
      throws Exception {
    Random seeds = new Random(22);
    for (int run = 0; run < RUNS; run++) {
      boolean completes = seeds.nextBoolean();
      int spins = seeds.nextInt(2_000);
      ExecutorService wire = Executors.newSingleThreadExecutor();
      InMemoryUsageSink usage = new InMemoryUsageSink();
      Streaming provider = new Streaming(wire, completes);
      try (Gateway gateway = Gateway.builder().provider(provider).usageSink(usage).build()) {
        Caller caller = new Caller();
        CyclicBarrier together = new CyclicBarrier(2);
        provider.before = together;
        gateway.stream(ChatRequest.of("m", "Hi")).subscribe(caller);
        caller.subscribed.await();
        Thread canceller = new Thread(() -> {
          try {
            together.await();
            for (int i = 0; i < spins; i++) {
              Thread.onSpinWait();
            }
            caller.subscription.cancel();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        canceller.start();
        caller.subscription.request(Long.MAX_VALUE);
        canceller.join();
        wire.shutdown();
        assertThat(wire.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        String where = "run " + run + " (" + (completes ? "completes" : "fails")
            + ", cancel after " + spins + " spins)";
        List<UsageRecord> records = usage.records();
        assertThat(records).as(where).hasSize(1);
        UsageRecord record = records.get(0);
        ChatEvent terminal = caller.terminal();
        if (terminal instanceof ChatEvent.Completed c) {
          assertThat(record.outcome()).as(where).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
          assertThat(record.usage()).as(where).isEqualTo(c.response().usage());
          assertThat(record.cost()).as(where).isEqualTo(c.response().cost());
          assertThat(record.attempts()).as(where).isEqualTo(c.response().attempts());
        } else if (terminal instanceof ChatEvent.Failed f) {
          assertThat(record.outcome()).as(where).isEqualTo(f.committed()
              ? UsageRecord.Outcome.STREAM_FAILED : UsageRecord.Outcome.FAILED);
          assertThat(record.usage()).as(where).isEqualTo(f.usage());
          assertThat(record.attempts()).as(where).isEqualTo(f.attempts());
        } else {
          assertThat(record.outcome()).as(where).isEqualTo(UsageRecord.Outcome.CANCELLED);
        }
      } finally {
        wire.shutdownNow();
      }
    }
  }

  /** A subscriber that keeps what it received. */
  private static final class Caller implements Flow.Subscriber<ChatEvent> {
    final CountDownLatch subscribed = new CountDownLatch(1);
    final List<ChatEvent> received = new CopyOnWriteArrayList<>();
    volatile Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      subscribed.countDown();
    }

    @Override
    public void onNext(ChatEvent event) {
      received.add(event);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onComplete() {}

    ChatEvent terminal() {
      for (ChatEvent e : received) {
        if (e instanceof ChatEvent.Completed || e instanceof ChatEvent.Failed) {
          return e;
        }
      }
      return null;
    }
  }

  /** Streams a few deltas and a terminal event on its own thread, once both racers are ready. */
  private static final class Streaming extends StreamsOnlyProvider {
    private final ExecutorService wire;
    private final boolean completes;
    volatile CyclicBarrier before;

    Streaming(ExecutorService wire, boolean completes) {
      this.wire = wire;
      this.completes = completes;
    }

    @Override
    public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
      Usage usage = Usage.of(1_000, 500);
      ChatEvent last = completes
          ? new ChatEvent.Completed(ChatResponse.builder().text("Hello").usage(usage)
              .deployment(new Deployment("p", request.model())).build())
          : new ChatEvent.Failed(new ProviderUnavailableException("cut"), 1, 5, usage,
              List.of());
      List<ChatEvent> events = List.of(new ChatEvent.TextDelta("Hel"),
          new ChatEvent.TextDelta("lo"), last);
      ChatStream stream = ChatStream.of(PullPublisher.fromList(events, wire));
      return subscriber -> stream.subscribe(new Flow.Subscriber<>() {
        private boolean first = true;

        @Override
        public void onSubscribe(Flow.Subscription s) {
          subscriber.onSubscribe(s);
        }

        @Override
        public void onNext(ChatEvent e) {
          if (first) {
            first = false;
            try {
              before.await(); // the canceller starts as the first event goes out
            } catch (Exception ex) {
              throw new IllegalStateException(ex);
            }
          }
          subscriber.onNext(e);
        }

        @Override
        public void onError(Throwable t) {
          subscriber.onError(t);
        }

        @Override
        public void onComplete() {
          subscriber.onComplete();
        }
      });
    }
  }
}
