package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.AllCandidatesFailedException;
import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingTest {
  private final StubProvider primary = new StubProvider("primary");
  private final StubProvider secondary = new StubProvider("secondary");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final Gateway gateway = Gateway.builder().retry(RetryPolicy.none())
      .provider(primary)
      .provider(secondary)
      .alias("chain", Route.fallback("primary/a", "secondary/b"))
      .usageSink(usage)
      .build();

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void firstEventReachesTheCallerBeforeTheProviderEmitsItsLast() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    primary.gate = gate;
    primary.gateBeforeEvent = 2; // holds back the rest after two deltas

    try (StreamIterator<ChatEvent> events =
        gateway.stream(ChatRequest.of("primary/a", "hi")).iterator()) {
      assertThat(events.next()).isEqualTo(new ChatEvent.TextDelta("Hello"));
      assertThat(primary.emitted.get()).isLessThan(5); // 3 deltas + usage + completed
      gate.countDown();
      List<ChatEvent> rest = new ArrayList<>();
      events.forEachRemaining(rest::add);
      assertThat(rest).last().isInstanceOf(ChatEvent.Completed.class);
    }
  }

  @Test
  void requestOneWithoutFurtherDemandLetsTheProducerEmitAtMostSixteen() throws Exception {
    primary.deltas = r -> Collections.nCopies(100, "x");
    ManualSubscriber subscriber = new ManualSubscriber();
    gateway.stream(ChatRequest.of("primary/a", "hi")).subscribe(subscriber);

    subscriber.subscription.request(1);
    ChatEvent first = subscriber.events.poll(5, TimeUnit.SECONDS);

    assertThat(first).isEqualTo(new ChatEvent.TextDelta("x"));
    assertThat(subscriber.events.poll(50, TimeUnit.MILLISECONDS)).isNull();
    assertThat(primary.emitted.get()).isLessThanOrEqualTo(16).isEqualTo(1);
    subscriber.subscription.cancel();
  }

  @Test
  void closingMidwayCancelsTheProviderAndMetersOnceWithEstimatedTokens() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    primary.gate = gate;
    primary.gateBeforeEvent = 1;

    StreamIterator<ChatEvent> events =
        gateway.stream(ChatRequest.of("primary/a", "hello there")).iterator();
    assertThat(events.next()).isEqualTo(new ChatEvent.TextDelta("Hello"));
    events.close();
    gate.countDown();

    assertThat(primary.cancelled.get()).isEqualTo(1);
    assertThat(usage.records()).hasSize(1);
    UsageRecord record = usage.last();
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.CANCELLED);
    assertThat(record.usage().estimated()).isTrue();
    assertThat(record.usage().inputTokens()).isPositive();
    assertThat(record.usage().outputTokens()).isPositive();
    assertThat(record.attempts()).singleElement()
        .extracting(Attempt::outcome).isEqualTo(Attempt.Outcome.CANCELLED);
    assertThat(record.timeToFirstToken()).isNotNull();
  }

  @Test
  void aFailureBeforeTheCommitPointFailsOverInvisibly() {
    primary.failure = new RateLimitedException("slow down", Duration.ofSeconds(1));

    List<ChatEvent> events = ChainTest.events(gateway.stream(ChatRequest.of("chain", "hi")));

    assertThat(events).filteredOn(ChatEvent::isContent).extracting(Object::toString)
        .containsExactly("TextDelta[text=Hello]", "TextDelta[text=, ]", "TextDelta[text=world]");
    ChatEvent.Completed done = (ChatEvent.Completed) events.get(events.size() - 1);
    assertThat(done.response().deployment()).hasToString("secondary/b");
    assertThat(done.response().attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
    assertThat(done.response().timeToFirstToken()).isNotNull();
    assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
  }

  @Test
  void aFailureAfterTheCommitPointEndsTheStreamSayingWhatWasDelivered() {
    primary.failAfterDeltas = new ProviderUnavailableException("connection reset",
        ErrorDetails.NONE, null);

    List<ChatEvent> events = ChainTest.events(gateway.stream(ChatRequest.of("chain", "hi")));

    ChatEvent.Failed failed = (ChatEvent.Failed) events.get(events.size() - 1);
    assertThat(failed.committed()).isTrue();
    assertThat(failed.deliveredEvents()).isEqualTo(3);
    assertThat(failed.deliveredTextChars()).isEqualTo("Hello, world".length());
    assertThat(failed.error()).isInstanceOf(ProviderUnavailableException.class);
    assertThat(secondary.requests).isEmpty();
    assertThat(usage.records()).singleElement()
        .extracting(UsageRecord::outcome).isEqualTo(UsageRecord.Outcome.STREAM_FAILED);
  }

  @Test
  void aStreamFailingMidwayWithoutReportedUsageIsStillBilledAnEstimate() {
    primary.failAfterDeltas = new ProviderUnavailableException("connection reset");

    List<ChatEvent> events = ChainTest.events(gateway.stream(ChatRequest.of("primary/a", "hi")));

    ChatEvent.Failed failed = (ChatEvent.Failed) events.get(events.size() - 1);
    assertThat(failed.usage().estimated()).isTrue();
    assertThat(failed.usage().outputTokens()).isEqualTo(3); // "Hello, world" ~ 12 chars / 4
    assertThat(usage.last().usage()).isEqualTo(failed.usage());
    assertThat(usage.last().attempts()).singleElement()
        .satisfies(a -> assertThat(a.usage().estimated()).isTrue());
  }

  @Test
  void whenEveryCandidateFailsTheStreamEndsWithEachAttempt() {
    primary.failure = new RateLimitedException("slow down", null);
    secondary.failure = new ProviderUnavailableException("down");

    List<ChatEvent> events = ChainTest.events(gateway.stream(ChatRequest.of("chain", "hi")));

    assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class, f -> {
      assertThat(f.committed()).isFalse();
      assertThat(f.error()).isInstanceOf(AllCandidatesFailedException.class);
      assertThat(f.attempts()).hasSize(2);
    });
  }

  @Test
  void aNonRetriableFailureDoesNotFailOver() {
    primary.failure = new InvalidRequestException("bad");
    List<ChatEvent> events = ChainTest.events(gateway.stream(ChatRequest.of("chain", "hi")));
    assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class,
        f -> assertThat(f.error()).isInstanceOf(InvalidRequestException.class));
    assertThat(secondary.requests).isEmpty();
  }

  @Test
  void requestStepFailuresArriveAsATerminalEventNotAnException() {
    ChatStream stream = gateway.stream(ChatRequest.of("no-such-alias", "hi"));
    assertThat(usage.records()).singleElement()
        .extracting(UsageRecord::outcome).isEqualTo(UsageRecord.Outcome.FAILED);
    assertThat(ChainTest.events(stream)).singleElement()
        .isInstanceOfSatisfying(ChatEvent.Failed.class,
            f -> assertThat(f.error()).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("no-such-alias"));
    assertThat(usage.records()).hasSize(1);
  }

  @Test
  void aStreamCanBeSubscribedOnlyOnce() throws Exception {
    ChatStream stream = gateway.stream(ChatRequest.of("primary/a", "hi"));
    stream.collect();
    ManualSubscriber second = new ManualSubscriber();
    stream.subscribe(second);
    assertThat(second.error.poll(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void manyStreamsInParallelEachCompleteWithTheirOwnText() {
    primary.deltas = r -> List.of(r.lastUserText(), "!");
    List<String> texts = IntStream.range(0, 50).parallel()
        .mapToObj(i -> gateway.stream(ChatRequest.of("primary/a", "n" + i)).collect().text())
        .toList();
    assertThat(texts).containsExactlyInAnyOrderElementsOf(
        IntStream.range(0, 50).mapToObj(i -> "n" + i + "!").toList());
    assertThat(usage.size()).isEqualTo(50);
  }

  @Test
  void reasoningAndTextPartsComeBackFromAnAnsweredStream() {
    try (Gateway g = Gateway.builder().retry(RetryPolicy.none()).provider(primary)
        .interceptor(InterceptorPosition.FIRST, chain -> dev.llmgateway.ChatResponse.builder()
            .message(dev.llmgateway.Message.assistant(List.of(
                new ContentPart.Reasoning("think", "sig", null), ContentPart.text("answer")),
                List.of()))
            .build())
        .build()) {
      List<ChatEvent> events = ChainTest.events(g.stream(ChatRequest.of("m", "q")));
      assertThat(events.get(0)).isEqualTo(new ChatEvent.ReasoningDelta("think", "sig", null));
      assertThat(events.get(1)).isEqualTo(new ChatEvent.TextDelta("answer"));
    }
  }

  /** A subscriber the test drives by hand. */
  static final class ManualSubscriber implements Flow.Subscriber<ChatEvent> {
    final BlockingQueue<ChatEvent> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> error = new LinkedBlockingQueue<>();
    volatile Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
    }

    @Override
    public void onNext(ChatEvent item) {
      events.add(item);
    }

    @Override
    public void onError(Throwable t) {
      error.add(t);
    }

    @Override
    public void onComplete() {}
  }
}
