package dev.llmgateway.it.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.RequestOptions;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.testing.wire.MockFault;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Timeouts over real sockets, with real waits of at most 200 ms and assertion margins of 250 ms
 * or more: the attempt timeout of a unary call, a stream's first-token and idle timeouts, the
 * call's total deadline; each cancels the HTTP call (the mock sees the client hang up), and a
 * long healthy stream outlives the attempt timeout.
 */
class TimeoutsOverTheWireTest {
  private static final Duration LIMIT = Duration.ofMillis(150);
  private static final Duration MARGIN = Duration.ofMillis(250);

  @RegisterExtension
  final TwoMockProviders wire = new TwoMockProviders();
  private final OpenAiMockServer a = wire.a;
  private final OpenAiMockServer b = wire.b;
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final CancelledCalls cancelled = new CancelledCalls();
  private Gateway gateway;

  @BeforeAll
  static void warmUp() {
    Warmup.once();
  }

  private GatewayBuilder builder() {
    return wire.builder(cancelled.client()).usageSink(usage);
  }

  @Test
  void aUnaryCallStalledPastTheAttemptTimeoutFailsOverAndHangsUp() throws Exception {
    gateway = wire.build(builder().attemptTimeout(LIMIT));
    a.fault(MockFault.STALL_BEFORE_HEADERS, List.of());
    b.replyText("from b", Usage.of(5, 2));
    long start = System.nanoTime();

    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "Hi"));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LIMIT.plus(MARGIN));
    assertThat(answer.text()).isEqualTo("from b");
    Attempt first = answer.attempts().get(0);
    assertThat(first.errorType()).isEqualTo("GatewayTimeoutException");
    assertThat(first.reason()).containsPattern("attempt timeout of 1[45][0-9] ms");
    assertThat(cancelled.awaitOne()).as("the stalled call was cancelled").isTrue();
  }

  @Test
  void aStreamWithoutHeadersBeforeItsFirstTokenTimeoutFailsOver() throws Exception {
    gateway = wire.build(builder().firstTokenTimeout(LIMIT));
    a.fault(MockFault.STALL_BEFORE_HEADERS, List.of());
    b.streamText(List.of("from ", "b"), Usage.of(5, 2));

    ChatResponse answer = gateway.stream(ChatRequest.of("smart", "Hi")).collect();

    assertThat(answer.text()).isEqualTo("from b");
    assertThat(answer.attempts().get(0).reason()).containsPattern("first token timeout of 1[45]");
    assertThat(cancelled.awaitOne()).isTrue();
  }

  @Test
  void aStreamWhoseHeadersCameButNoTokenFailsOverAfterTheFirstTokenTimeout() {
    gateway = wire.build(builder().firstTokenTimeout(LIMIT));
    a.fault(MockFault.STALL_MID_STREAM, List.of());
    b.streamText(List.of("from ", "b"), Usage.of(5, 2));
    long start = System.nanoTime();

    ChatResponse answer = gateway.stream(ChatRequest.of("smart", "Hi")).collect();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LIMIT.plus(MARGIN));
    assertThat(answer.text()).isEqualTo("from b");
    assertThat(answer.attempts()).extracting(Attempt::errorType)
        .containsExactly("GatewayTimeoutException", null);
    assertThat(a.awaitClientDisconnect()).isTrue();
  }

  @Test
  void aLongHealthyStreamOutlivesTheAttemptTimeout() {
    gateway = wire.build(builder().attemptTimeout(LIMIT));
    // a chunk every 30 ms: the first token after about 60 ms, the whole answer after about 360
    a.pace(Duration.ofMillis(30)).streamText(Collections.nCopies(8, "x"), Usage.of(5, 8));
    long start = System.nanoTime();

    ChatResponse answer = gateway.stream(ChatRequest.of("smart", "Hi")).collect();

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("longer than the attempt timeout").isGreaterThan(LIMIT);
    assertThat(answer.text()).isEqualTo("xxxxxxxx");
    assertThat(answer.attempts()).hasSize(1);
  }

  @Test
  void anIdleTimeoutEndsAStreamStalledAfterItsCommitPointAndHangsUp() {
    gateway = wire.build(builder().idleTimeout(LIMIT));
    a.fault(MockFault.STALL_MID_STREAM, List.of("Hel", "lo"));
    List<ChatEvent> events = new ArrayList<>();
    long start = System.nanoTime();

    try (StreamIterator<ChatEvent> it = gateway.stream(ChatRequest.of("smart", "Hi")).iterator()) {
      it.forEachRemaining(events::add);
    }

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LIMIT.plus(MARGIN));
    assertThat(events).hasSize(3);
    ChatEvent.Failed failed = (ChatEvent.Failed) events.get(2);
    assertThat(failed.error()).isInstanceOfSatisfying(GatewayTimeoutException.class,
        e -> assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.IDLE));
    assertThat(failed.deliveredEvents()).isEqualTo(2);
    assertThat(failed.deliveredTextChars()).isEqualTo(5);
    assertThat(failed.usage().outputTokens()).as("what was generated is billed").isPositive();
    assertThat(failed.usage().estimated()).isTrue();
    assertThat(b.requestCount()).as("no failover after the commit point").isZero();
    assertThat(a.awaitClientDisconnect()).isTrue();
    UsageRecord record = usage.last();
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.STREAM_FAILED);
    assertThat(record.usage()).isEqualTo(failed.usage());
  }

  @Test
  void theCallersDeadlineEndsAUnaryCallAndStartsNothingAfterIt() throws Exception {
    gateway = wire.build(builder().attemptTimeout(Duration.ofSeconds(5)));
    a.fault(MockFault.STALL_BEFORE_HEADERS, List.of());
    ChatRequest request = ChatRequest.builder("smart").user("Hi")
        .options(RequestOptions.DEFAULT.withDeadline(LIMIT)).build();
    long start = System.nanoTime();

    Throwable thrown = catchThrowable(() -> gateway.chat(request));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LIMIT.plus(MARGIN));
    assertThat(thrown).isInstanceOfSatisfying(GatewayTimeoutException.class,
        e -> assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.TOTAL));
    assertThat(b.requestCount()).as("no failover past the deadline").isZero();
    assertThat(cancelled.awaitOne()).isTrue();
  }

  @Test
  void theTotalTimeoutEndsAStreamStalledAfterItsCommitPoint() {
    gateway = wire.build(builder().totalTimeout(LIMIT));
    a.fault(MockFault.STALL_MID_STREAM, List.of("Hel"));
    List<ChatEvent> events = new ArrayList<>();
    long start = System.nanoTime();

    try (StreamIterator<ChatEvent> it = gateway.stream(ChatRequest.of("smart", "Hi")).iterator()) {
      it.forEachRemaining(events::add);
    }

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LIMIT.plus(MARGIN));
    assertThat(events.get(0)).isEqualTo(new ChatEvent.TextDelta("Hel"));
    ChatEvent.Failed failed = (ChatEvent.Failed) events.get(events.size() - 1);
    assertThat(failed.error()).isInstanceOfSatisfying(GatewayTimeoutException.class,
        e -> assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.TOTAL));
    assertThat(a.awaitClientDisconnect()).isTrue();
  }
}
