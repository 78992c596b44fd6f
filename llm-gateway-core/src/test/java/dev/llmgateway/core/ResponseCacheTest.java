package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.Principal;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RequestOptions;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponseCacheTest {
  private static final ChatRequest HI = ChatRequest.of("stub/m1", "hi");
  private static final Duration TTL = Duration.ofMinutes(5);

  private final StubProvider stub = new StubProvider("stub");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final AtomicLong nanos = new AtomicLong();
  private final List<Gateway> gateways = new ArrayList<>();

  @AfterEach
  void close() {
    gateways.forEach(Gateway::close);
  }

  private Gateway gateway(UnaryOperator<ResponseCache.Builder> settings) {
    return gateway(settings, b -> b);
  }

  private Gateway gateway(UnaryOperator<ResponseCache.Builder> settings,
      UnaryOperator<GatewayBuilder> more) {
    ResponseCache cache = settings.apply(ResponseCache.builder().ttl(TTL).ticker(nanos::get))
        .build();
    Gateway gateway = more.apply(Gateway.builder().provider(stub).usageSink(usage).cache(cache))
        .build();
    gateways.add(gateway);
    return gateway;
  }

  // ------------------------------------------------------------------ unary hits

  @Test
  void aRepeatedRequestIsAnsweredFromTheCacheWithNoTokensCostOrAttempts() {
    Gateway gateway = gateway(c -> c);

    ChatResponse first = gateway.chat(HI);
    ChatResponse second = gateway.chat(HI);

    assertThat(stub.requests).hasSize(1);
    assertThat(first.cacheHit()).isFalse();
    assertThat(first.usage()).isNotEqualTo(Usage.ZERO);
    assertThat(second.cacheHit()).isTrue();
    assertThat(second.text()).isEqualTo(first.text());
    assertThat(second.usage()).isEqualTo(Usage.ZERO);
    assertThat(BigDecimal.ZERO.compareTo(second.cost())).isZero();
    assertThat(second.attempts()).isEmpty();
    assertThat(second.deployment()).hasToString("stub/m1");
    assertThat(second.callId()).isNotEqualTo(first.callId());
    assertThat(second.routing().path()).last().isEqualTo("cache hit");
    assertThat(usage.records()).extracting(UsageRecord::cacheHit).containsExactly(false, true);
    UsageRecord hit = usage.last();
    assertThat(hit.outcome()).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
    assertThat(hit.usage()).isEqualTo(Usage.ZERO);
    assertThat(BigDecimal.ZERO.compareTo(hit.cost())).isZero();
    assertThat(hit.attempts()).isEmpty();
  }

  @Test
  void anEntryExpiresOnceItsTimeToLiveHasPassed() {
    Gateway gateway = gateway(c -> c);
    gateway.chat(HI);

    nanos.addAndGet(TTL.toNanos() - 1);
    assertThat(gateway.chat(HI).cacheHit()).isTrue();
    nanos.addAndGet(1);
    assertThat(gateway.chat(HI).cacheHit()).isFalse();

    assertThat(stub.requests).hasSize(2);
    assertThat(gateway.chat(HI).cacheHit()).isTrue();
  }

  @Test
  void theCacheKeepsNoMoreThanItsMaximumSize() {
    Gateway gateway = gateway(c -> c.maximumSize(2).maintenance(Runnable::run));
    List<ChatRequest> requests = List.of(ChatRequest.of("stub/m1", "one"),
        ChatRequest.of("stub/m1", "two"), ChatRequest.of("stub/m1", "three"));
    requests.forEach(gateway::chat);

    // probe with a failing provider: a hit still answers, a miss fails and stores nothing
    int hits = hitsOnceTheProviderFails(gateway, requests);

    assertThat(hits).isEqualTo(2);
    assertThat(stub.requests).hasSize(4);
  }

  /**
   * How many of {@code requests} the cache still answers once the provider fails every call: a
   * hit answers, a miss fails and stores nothing.
   */
  private int hitsOnceTheProviderFails(Gateway gateway, List<ChatRequest> requests) {
    stub.failure = new InvalidRequestException("down");
    int hits = 0;
    for (ChatRequest r : requests) {
      try {
        hits += gateway.chat(r).cacheHit() ? 1 : 0;
      } catch (InvalidRequestException evicted) {
        // not in the cache
      }
    }
    return hits;
  }

  /** A large cache is striped; its stripes together keep no more than the maximum size. */
  @Test
  void aStripedCacheKeepsNoMoreThanItsMaximumSizeInAll() {
    Gateway gateway = gateway(c -> c.maximumSize(1_024).maintenance(Runnable::run));
    List<ChatRequest> requests = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      requests.add(ChatRequest.of("stub/m1", "question " + i));
    }
    requests.forEach(gateway::chat);

    int hits = hitsOnceTheProviderFails(gateway, requests);
    assertThat(hits).isBetween(1_000, 1_024);
  }

  /** Eviction runs on the maintenance executor given, not on the thread of the call that missed. */
  @Test
  void evictionRunsOnTheMaintenanceExecutorNotTheCallersThread() {
    java.util.concurrent.ConcurrentLinkedQueue<Runnable> maintenance =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    Gateway gateway = gateway(c -> c.maximumSize(1).maintenance(maintenance::add));
    List<ChatRequest> requests = List.of(ChatRequest.of("stub/m1", "one"),
        ChatRequest.of("stub/m1", "two"), ChatRequest.of("stub/m1", "three"));
    requests.forEach(gateway::chat);

    assertThat(maintenance).as("maintenance handed to the executor").isNotEmpty();
    for (Runnable task; (task = maintenance.poll()) != null; ) {
      task.run();
    }
    int hits = hitsOnceTheProviderFails(gateway, requests);
    assertThat(hits).isEqualTo(1);
  }

  // ------------------------------------------------------------------ what shares an entry

  @Test
  void callerScopeSharesPerUserThenPerKeyAndCachesNothingWithoutIdentity() {
    Gateway gateway = gateway(c -> c.scope(ResponseCache.Scope.CALLER));
    Principal alice = Principal.of("team", "alice");
    Principal bob = Principal.of("team", "bob");
    Principal key = Principal.builder().keyId("key-1").build();

    assertThat(gateway.chat(HI, alice).cacheHit()).isFalse();
    assertThat(gateway.chat(HI, bob).cacheHit()).isFalse();
    assertThat(gateway.chat(HI, alice).cacheHit()).isTrue();
    assertThat(gateway.chat(HI, key).cacheHit()).isFalse();
    assertThat(gateway.chat(HI, key).cacheHit()).isTrue();
    assertThat(gateway.chat(HI, Principal.ANONYMOUS).cacheHit()).isFalse();
    assertThat(gateway.chat(HI, Principal.ANONYMOUS).cacheHit()).isFalse();

    assertThat(stub.requests).hasSize(5);
  }

  @Test
  void teamScopeSharesWithinATeamOnlyAndCachesNothingWithoutATeam() {
    Gateway gateway = gateway(c -> c.scope(ResponseCache.Scope.TEAM));
    Principal noTeam = Principal.builder().user("carol").build();

    assertThat(gateway.chat(HI, Principal.of("red", "alice")).cacheHit()).isFalse();
    assertThat(gateway.chat(HI, Principal.of("red", "bob")).cacheHit()).isTrue();
    assertThat(gateway.chat(HI, Principal.of("blue", "alice")).cacheHit()).isFalse();
    assertThat(gateway.chat(HI, noTeam).cacheHit()).isFalse();
    assertThat(gateway.chat(HI, noTeam).cacheHit()).isFalse();

    assertThat(stub.requests).hasSize(4);
  }

  static Stream<Arguments> requestsWithAnotherAnswer() {
    Function<UnaryOperator<ChatRequest.Builder>, ChatRequest> hi =
        change -> change.apply(ChatRequest.builder("stub/m1").user("hi")).build();
    return Stream.of(
        Arguments.of("other text", ChatRequest.of("stub/m1", "hello")),
        Arguments.of("other model", ChatRequest.of("stub/m2", "hi")),
        Arguments.of("temperature", hi.apply(b -> b.temperature(0.2))),
        Arguments.of("tools", hi.apply(b -> b.tool(ToolDefinition.of("lookup", "Looks up",
            "{\"type\":\"object\"}")))),
        Arguments.of("system prompt", hi.apply(b -> b.messages(List.of()).system("Be brief")
            .user("hi"))),
        Arguments.of("output limit", hi.apply(b -> b.maxOutputTokens(10))),
        Arguments.of("seed", hi.apply(b -> b.seed(7L))),
        Arguments.of("provider extras", hi.apply(b -> b.providerExtra("stub", "{\"x\":1}"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requestsWithAnotherAnswer")
  void requestsThatMayGetAnotherAnswerDoNotShare(String change, ChatRequest other) {
    Gateway gateway = gateway(c -> c);
    gateway.chat(HI);

    ChatResponse response = gateway.chat(other);

    assertThat(response.cacheHit()).isFalse();
    assertThat(stub.requests).hasSize(2);
    assertThat(gateway.chat(other).cacheHit()).isTrue();
  }

  @Test
  void optionsHeadersMetadataAndPromptCacheKeyDoNotBreakSharing() {
    Gateway gateway = gateway(c -> c);
    gateway.chat(HI);

    ChatRequest same = ChatRequest.builder("stub/m1").user("hi")
        .options(RequestOptions.DEFAULT.withDeadline(Duration.ofMinutes(1)).withTags("feature"))
        .extraHeader("X-Trace", "abc")
        .metadata("session", "s-1")
        .promptCacheKey("prefix-1")
        .build();

    assertThat(gateway.chat(same).cacheHit()).isTrue();
    assertThat(stub.requests).hasSize(1);
  }

  @Test
  void twoVariantsOfASplitNeverShareAnAnswer() {
    Gateway gateway = gateway(c -> c, b -> b.alias("ab", Route.split(StickyKey.user(),
        Variant.of("a", 50, "stub/m1"), Variant.of("b", 50, "stub/m2"))));
    ChatRequest request = ChatRequest.of("ab", "hi");
    ChatResponse first = gateway.chat(request, Principal.of("t", "user-0"));

    ChatResponse other = null;
    for (int i = 1; i < 100 && other == null; i++) {
      ChatResponse r = gateway.chat(request, Principal.of("t", "user-" + i));
      if (first.variant().equals(r.variant())) {
        assertThat(r.cacheHit()).as("same variant, shared scope").isTrue();
      } else {
        other = r;
      }
    }

    assertThat(other).as("a user in the other variant").isNotNull();
    assertThat(other.cacheHit()).isFalse();
    assertThat(stub.requests).extracting(ChatRequest::model)
        .containsExactlyInAnyOrder("m1", "m2");
    ChatResponse again = gateway.chat(request, Principal.of("t", "user-0"));
    assertThat(again.cacheHit()).isTrue();
    assertThat(again.variant()).isEqualTo(first.variant());
    assertThat(again.routing().path()).contains("variant " + first.variant());
  }

  // ------------------------------------------------------------------ identical calls in flight

  @Test
  void identicalConcurrentMissesMakeOneProviderCallWhileOtherKeysAreServed() throws Exception {
    Gateway gateway = gateway(c -> c);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    stub.deltas = r -> {
      if (r.lastUserText().equals("hi")) {
        entered.countDown();
        await(gate);
      }
      return List.of("answer to ", r.lastUserText());
    };
    int callers = 6;
    Callers<ChatResponse> run = Callers.start(callers, () -> gateway.chat(HI));

    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    run.awaitWaiting(callers - 1);
    ChatResponse other = gateway.chat(ChatRequest.of("stub/m1", "other"));
    assertThat(other.text()).isEqualTo("answer to other");
    assertThat(other.cacheHit()).isFalse();
    gate.countDown();
    run.join();

    assertThat(run.errors).isEmpty();
    assertThat(stub.requests).extracting(ChatRequest::lastUserText)
        .containsExactlyInAnyOrder("hi", "other");
    assertThat(run.results).hasSize(callers)
        .extracting(ChatResponse::text).containsOnly("answer to hi");
    assertThat(run.results).filteredOn(ChatResponse::cacheHit).hasSize(callers - 1)
        .allSatisfy(r -> {
          assertThat(r.attempts()).isEmpty();
          assertThat(r.usage()).isEqualTo(Usage.ZERO);
          assertThat(r.routing().path()).last().asString().startsWith("cache hit");
        });
    assertThat(usage.records()).filteredOn(UsageRecord::cacheHit).hasSize(callers - 1);
  }

  @Test
  void aFailureIsNotCachedAndItsWaitersGetTheSameTypedError() throws Exception {
    Gateway gateway = gateway(c -> c);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    stub.deltas = r -> {
      entered.countDown();
      await(gate);
      throw new InvalidRequestException("the stub refuses", ErrorDetails.NONE, null);
    };
    int callers = 4;
    Callers<ChatResponse> run = Callers.start(callers, () -> gateway.chat(HI));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    run.awaitWaiting(callers - 1);
    gate.countDown();
    run.join();

    assertThat(run.results).isEmpty();
    assertThat(run.errors).hasSize(callers).allSatisfy(e ->
        assertThat(e).isInstanceOf(InvalidRequestException.class));
    assertThat(stub.requests).hasSize(1);
    assertThat(usage.records()).hasSize(callers).allSatisfy(r -> {
      assertThat(r.outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
      assertThat(r.cacheHit()).isFalse();
    });

    stub.deltas = r -> List.of("fine");
    ChatResponse next = gateway.chat(HI);
    assertThat(next.cacheHit()).isFalse();
    assertThat(next.text()).isEqualTo("fine");
    assertThat(stub.requests).hasSize(2);
  }

  @Test
  void aWaiterGivesUpAtItsOwnDeadline() throws Exception {
    Gateway gateway = gateway(c -> c);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    stub.deltas = r -> {
      entered.countDown();
      await(gate);
      return List.of("late");
    };
    Callers<ChatResponse> leader = Callers.start(1, () -> gateway.chat(HI));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    ChatRequest hurried = HI.toBuilder()
        .options(RequestOptions.DEFAULT.withDeadline(Duration.ofMillis(20))).build();
    assertThatThrownBy(() -> gateway.chat(hurried))
        .isInstanceOfSatisfying(GatewayTimeoutException.class, e ->
            assertThat(e.kind()).isEqualTo(GatewayTimeoutException.Kind.TOTAL));
    gate.countDown();
    leader.join();

    assertThat(leader.results).extracting(ChatResponse::text).containsExactly("late");
    assertThat(stub.requests).hasSize(1);
    assertThat(gateway.chat(hurried).cacheHit()).isTrue();
  }

  // ------------------------------------------------------------------ streams

  @Test
  void identicalStreamsInFlightEachCallTheProviderThenAThirdReplaysTheAnswer() {
    Gateway gateway = gateway(c -> c);
    var one = gateway.stream(HI);
    var two = gateway.stream(HI);
    assertThat(text(ChainTest.events(one))).isEqualTo("Hello, world");
    assertThat(text(ChainTest.events(two))).isEqualTo("Hello, world");
    assertThat(stub.requests).hasSize(2);

    List<ChatEvent> replay = ChainTest.events(gateway.stream(HI));

    assertThat(stub.requests).hasSize(2);
    assertThat(text(replay)).isEqualTo("Hello, world");
    ChatEvent.Completed done = (ChatEvent.Completed) replay.get(replay.size() - 1);
    assertThat(done.response().cacheHit()).isTrue();
    assertThat(done.response().usage()).isEqualTo(Usage.ZERO);
    assertThat(replay).filteredOn(e -> e instanceof ChatEvent.UsageReport)
        .extracting(e -> ((ChatEvent.UsageReport) e).usage()).containsOnly(Usage.ZERO);
    assertThat(usage.last().cacheHit()).isTrue();
    assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
  }

  @Test
  void aStreamedAnswerAnswersAUnaryCallAndTheOtherWayRound() {
    Gateway gateway = gateway(c -> c);
    ChainTest.events(gateway.stream(HI));
    ChatResponse unary = gateway.chat(HI);
    assertThat(unary.cacheHit()).isTrue();
    assertThat(unary.text()).isEqualTo("Hello, world");

    ChatRequest other = ChatRequest.of("stub/m1", "other");
    gateway.chat(other);
    List<ChatEvent> replay = ChainTest.events(gateway.stream(other));
    assertThat(((ChatEvent.Completed) replay.get(replay.size() - 1)).response().cacheHit())
        .isTrue();
    assertThat(stub.requests).hasSize(2);
  }

  @Test
  void aStreamThatFailsMidwayIsNotCached() {
    Gateway gateway = gateway(c -> c);
    stub.failAfterDeltas = new ProviderUnavailableException("connection reset");
    List<ChatEvent> failed = ChainTest.events(gateway.stream(HI));
    assertThat(failed.get(failed.size() - 1)).isInstanceOf(ChatEvent.Failed.class);
    stub.failAfterDeltas = null;

    List<ChatEvent> next = ChainTest.events(gateway.stream(HI));

    assertThat(stub.requests).hasSize(2);
    assertThat(((ChatEvent.Completed) next.get(next.size() - 1)).response().cacheHit())
        .isFalse();
  }

  @Test
  void aStreamCancelledMidwayIsNotCached() {
    Gateway gateway = gateway(c -> c);
    CountDownLatch gate = new CountDownLatch(1);
    stub.gate = gate;
    stub.gateBeforeEvent = 1;
    try (StreamIterator<ChatEvent> events = gateway.stream(HI).iterator()) {
      assertThat(events.next()).isEqualTo(new ChatEvent.TextDelta("Hello"));
    }
    gate.countDown();
    stub.gate = null;

    assertThat(gateway.chat(HI).cacheHit()).isFalse();
    assertThat(stub.requests).hasSize(2);
    assertThat(stub.cancelled.get()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ bypass and embeddings

  @Test
  void bypassSkipsTheLookupButRefreshesTheEntry() {
    Gateway gateway = gateway(c -> c);
    stub.deltas = r -> List.of("old");
    gateway.chat(HI);
    stub.deltas = r -> List.of("new");

    ChatResponse fresh = gateway.chat(HI.toBuilder()
        .options(RequestOptions.DEFAULT.withCacheBypass(true)).build());
    ChatResponse after = gateway.chat(HI);

    assertThat(fresh.cacheHit()).isFalse();
    assertThat(fresh.text()).isEqualTo("new");
    assertThat(after.cacheHit()).isTrue();
    assertThat(after.text()).isEqualTo("new");
    assertThat(stub.requests).hasSize(2);
  }

  @Test
  void embeddingsAreCached() {
    Gateway gateway = gateway(c -> c);
    EmbeddingRequest request = EmbeddingRequest.of("stub/e1", "abc", "de");

    EmbeddingResponse first = gateway.embed(request);
    EmbeddingResponse second = gateway.embed(request);

    assertThat(stub.embeddings).hasSize(1);
    assertThat(first.cacheHit()).isFalse();
    assertThat(second.cacheHit()).isTrue();
    assertThat(second.usage()).isEqualTo(Usage.ZERO);
    assertThat(BigDecimal.ZERO.compareTo(second.cost())).isZero();
    assertThat(second.attempts()).isEmpty();
    assertThat(second.vector(0)).containsExactly(first.vector(0));
    assertThat(second.vector(1)).containsExactly(first.vector(1));
    assertThat(usage.last().cacheHit()).isTrue();
  }

  @Test
  void embeddingsPassThroughWhenTheirCachingIsOff() {
    Gateway gateway = gateway(c -> c.embeddings(false));
    EmbeddingRequest request = EmbeddingRequest.of("stub/e1", "abc");

    gateway.embed(request);
    assertThat(gateway.embed(request).cacheHit()).isFalse();

    assertThat(stub.embeddings).hasSize(2);
    gateway.chat(HI);
    assertThat(gateway.chat(HI).cacheHit()).isTrue();
  }

  // ------------------------------------------------------------------ helpers

  private static String text(List<ChatEvent> events) {
    return events.stream().filter(e -> e instanceof ChatEvent.TextDelta)
        .map(e -> ((ChatEvent.TextDelta) e).text()).collect(Collectors.joining());
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Callers on their own threads, released together, whose results and errors are kept. */
  private static final class Callers<T> {
    final List<Thread> threads = new ArrayList<>();
    final ConcurrentLinkedQueue<T> results = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

    static <T> Callers<T> start(int n, java.util.function.Supplier<T> call) {
      Callers<T> callers = new Callers<>();
      CountDownLatch go = new CountDownLatch(1);
      for (int i = 0; i < n; i++) {
        Thread t = new Thread(() -> {
          ResponseCacheTest.await(go);
          try {
            callers.results.add(call.get());
          } catch (Throwable e) {
            callers.errors.add(e);
          }
        }, "caller-" + i);
        t.setDaemon(true);
        callers.threads.add(t);
        t.start();
      }
      go.countDown();
      return callers;
    }

    /** Returns once {@code n} callers are parked waiting for an identical call in flight. */
    void awaitWaiting(int n) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (waiting() < n) {
        if (System.nanoTime() > end) {
          fail("only " + waiting() + " of " + n + " callers waited in the cache step");
        }
        Thread.yield();
      }
    }

    private long waiting() {
      return threads.stream().filter(Callers::waitsForAnIdenticalCall).count();
    }

    private static boolean waitsForAnIdenticalCall(Thread t) {
      Thread.State state = t.getState();
      return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
          && Arrays.stream(t.getStackTrace()).anyMatch(f ->
              f.getClassName().endsWith(".CacheInterceptor") && f.getMethodName().equals("await"));
    }

    void join() throws InterruptedException {
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
      }
    }
  }
}
