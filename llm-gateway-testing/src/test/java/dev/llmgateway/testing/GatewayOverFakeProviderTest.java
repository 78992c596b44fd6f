package dev.llmgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallKind;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The foundation's acceptance lines, end to end: the real gateway over the shipped FakeProvider,
 * as seen by the fake (its emitted events, its cancellations, its exact usage under load). Core's
 * {@code StreamingTest} and {@code ConcurrencyTest} check the same lines over core's own stub.
 */
@Timeout(30)
class GatewayOverFakeProviderTest {
  private final FakeProvider fake = FakeProvider.create();
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final Gateway gateway = Gateway.builder().provider(fake).usageSink(usage).build();

  @AfterEach
  void close() {
    gateway.close();
    fake.close();
  }

  @Test
  void theFirstEventReachesTheCallerBeforeTheProviderEmitsItsLast() {
    CountDownLatch gate = new CountDownLatch(1);
    fake.on("m").pauseBeforeEvent(1, gate).stream("first", " second", " third");

    try (StreamIterator<ChatEvent> events = gateway.stream(ChatRequest.of("m", "hi")).iterator()) {
      assertThat(events.next()).isEqualTo(new ChatEvent.TextDelta("first"));
      assertThat(fake.emittedEvents()).isEqualTo(1);
      gate.countDown();
      List<ChatEvent> rest = new ArrayList<>();
      events.forEachRemaining(rest::add);
      assertThat(rest).last().isInstanceOf(ChatEvent.Completed.class);
    }
  }

  @Test
  void afterRequestOneAndNoFurtherDemandTheProducerHasEmittedAtMostSixteen() throws Exception {
    fake.on("m").stream(Collections.nCopies(200, "x").toArray(new String[0]));
    LinkedBlockingQueue<ChatEvent> received = new LinkedBlockingQueue<>();
    Flow.Subscription[] subscription = new Flow.Subscription[1];
    gateway.stream(ChatRequest.of("m", "hi")).subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription[0] = s;
        s.request(1);
      }

      @Override
      public void onNext(ChatEvent item) {
        received.add(item);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onComplete() {}
    });

    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new ChatEvent.TextDelta("x"));
    assertThat(fake.emittedEvents()).isLessThanOrEqualTo(16);
    subscription[0].cancel();
    assertThat(fake.cancellations()).isEqualTo(1);
  }

  @Test
  void closingAStreamMidwayCancelsTheProviderAndProducesOneEstimatedRecord() {
    CountDownLatch gate = new CountDownLatch(1);
    fake.on("m").pauseBeforeEvent(2, gate).stream("one", " two", " three", " four");

    StreamIterator<ChatEvent> events =
        gateway.stream(ChatRequest.of("m", "tell me a story")).iterator();
    events.next();
    events.next();
    events.close();

    assertThat(fake.cancellations()).isEqualTo(1);
    assertThat(fake.lastCall().cancelled()).isTrue();
    assertThat(usage.records()).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(UsageRecord.Outcome.CANCELLED);
      assertThat(r.usage().estimated()).isTrue();
      assertThat(r.usage().outputTokens()).isPositive();
    });
  }

  @Test
  void sixteenThreadsMakingTenThousandMixedCallsEachGetOneRecordWithTheirOwnCallerAndTokens()
      throws Exception {
    FakeProvider quiet = FakeProvider.builder().name("load").recordCalls(false).build();
    quiet.onAnyModel().alwaysReply(r -> "answer to " + r.lastUserText());
    InMemoryUsageSink records = new InMemoryUsageSink();
    Map<String, ChatResponse> responses = new ConcurrentHashMap<>();
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try (Gateway shared = Gateway.builder().provider(quiet).usageSink(records).build()) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int thread = t;
        done.add(callers.submit(() -> {
          for (int i = thread; i < 10_000; i += 16) {
            Principal caller = Principal.of("team-" + (i % 5), "user-" + i);
            ChatRequest request = ChatRequest.of("m", "question " + i);
            ChatResponse response = switch (i % 3) {
              case 0 -> shared.chat(request, caller);
              case 1 -> shared.chatAsync(request, caller).join();
              default -> shared.stream(request, caller).collect();
            };
            responses.put("user-" + i, response);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      callers.shutdownNow();
      quiet.close();
    }

    assertThat(records.records()).hasSize(10_000)
        .extracting(UsageRecord::callId).doesNotHaveDuplicates();
    for (UsageRecord record : records.records()) {
      String user = record.principal().userId();
      int i = Integer.parseInt(user.substring("user-".length()));
      ChatResponse response = responses.get(user);
      assertThat(record.callId()).isEqualTo(response.callId());
      assertThat(record.kind()).isEqualTo(i % 3 == 2 ? CallKind.STREAM : CallKind.CHAT);
      assertThat(record.principal().teamId()).isEqualTo("team-" + (i % 5));
      assertThat(response.text()).isEqualTo("answer to question " + i);
      assertThat(record.usage()).isEqualTo(response.usage());
      assertThat(record.usage().outputTokens())
          .isEqualTo((("answer to question " + i).length() + 3) / 4);
    }
  }
}
