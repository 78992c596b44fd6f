package dev.llmgateway.core.internal.meter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.ManualScheduler;
import dev.llmgateway.spi.AttemptContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stream the caller makes and never subscribes to is metered once, as not started — when its
 * gateway closes, or when it expires on the gateway's timers — and a late subscriber gets a
 * failure, never a provider call that no record would count.
 */
@Timeout(30)
class UnsubscribedStreamTest {

  @Test
  void aStreamNeverSubscribedIsMeteredAsNotStartedWhenTheGatewayCloses() {
    Counting provider = new Counting();
    InMemoryUsageSink usage = new InMemoryUsageSink();
    ChatStream forgotten;
    try (Gateway gateway = Gateway.builder().provider(provider).usageSink(usage).build()) {
      forgotten = gateway.stream(ChatRequest.of("m", "Hi"));
      assertThat(usage.records()).isEmpty();
    }

    assertThat(usage.records()).singleElement()
        .satisfies(r -> {
          assertThat(r.outcome()).isEqualTo(UsageRecord.Outcome.NOT_STARTED);
          assertThat(r.attempts()).isEmpty();
          assertThat(r.cost()).isZero();
        });
    assertLateSubscriberIsRefused(forgotten);
    assertThat(provider.streams.get()).isZero();
  }

  @Test
  void aStreamNeverSubscribedExpiresOnTheGatewaysTimers() {
    Counting provider = new Counting();
    InMemoryUsageSink usage = new InMemoryUsageSink();
    ManualScheduler timers = new ManualScheduler();
    try (Gateway gateway = Gateway.builder().provider(provider).usageSink(usage)
        .scheduler(timers).executor(Runnable::run).build()) {
      ChatStream forgotten = gateway.stream(ChatRequest.of("m", "Hi"));
      assertThat(timers.delays()).contains(MeterInterceptor.UNSUBSCRIBED_EXPIRY);

      timers.fire(MeterInterceptor.UNSUBSCRIBED_EXPIRY);

      assertThat(usage.records()).singleElement().extracting(UsageRecord::outcome)
          .isEqualTo(UsageRecord.Outcome.NOT_STARTED);
      assertLateSubscriberIsRefused(forgotten);
      assertThat(provider.streams.get()).isZero();
      assertThat(usage.records()).hasSize(1);
    }
  }

  @Test
  void aSubscribedStreamIsMeteredOnceAndItsExpiryNeverFires() {
    Counting provider = new Counting();
    InMemoryUsageSink usage = new InMemoryUsageSink();
    ManualScheduler timers = new ManualScheduler();
    try (Gateway gateway = Gateway.builder().provider(provider).usageSink(usage)
        .scheduler(timers).executor(Runnable::run).build()) {
      ChatResponse answer = gateway.stream(ChatRequest.of("m", "Hi")).collect();

      timers.fire(MeterInterceptor.UNSUBSCRIBED_EXPIRY);

      assertThat(answer.text()).isEqualTo("Hello");
      assertThat(usage.records()).singleElement().extracting(UsageRecord::outcome)
          .isEqualTo(UsageRecord.Outcome.SUCCEEDED);
    }
    assertThat(usage.records()).hasSize(1);
  }

  private static void assertLateSubscriberIsRefused(ChatStream stream) {
    List<ChatEvent> events = new ArrayList<>();
    try (StreamIterator<ChatEvent> it = stream.iterator()) {
      it.forEachRemaining(events::add);
    }
    assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class,
        f -> assertThat(f.error()).isInstanceOf(InvalidRequestException.class)
            .hasMessageContaining("call Gateway.stream again"));
  }

  /** Answers streams with one delta and counts how many it was asked for. */
  private static final class Counting extends StreamsOnlyProvider {
    final AtomicInteger streams = new AtomicInteger();

    @Override
    public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
      streams.incrementAndGet();
      return ChatStream.fromResponse(ChatResponse.builder().text("Hello")
          .usage(dev.llmgateway.Usage.of(2, 1)).deployment(attempt.deployment()).build(),
          Runnable::run);
    }
  }
}
