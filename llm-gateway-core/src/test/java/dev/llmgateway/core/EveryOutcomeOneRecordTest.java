package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.FeedbackRecord;
import dev.llmgateway.FinishReason;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.Principal;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RequestOptions;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.UsageRecord.Outcome;
import dev.llmgateway.UsageRecord.Refusal;
import dev.llmgateway.core.access.AccessPolicy;
import dev.llmgateway.core.access.AccessRule;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.UsageSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly one usage record per call, whatever its outcome, counted by call id: 16 threads released
 * together each make a seeded random mix of calls, unary and streamed, that succeed, fail at the
 * provider, are refused by authentication or by an access rule, fail after their stream's commit point, are cancelled
 * by their caller, hit the cache, or are never subscribed (metered when the gateway closes). Every
 * call id the callers saw has exactly one record, with the outcome the caller's view implies.
 */
@Timeout(120)
class EveryOutcomeOneRecordTest {
  private static final int THREADS = 16;
  private static final int CALLS_PER_THREAD = 300;
  private static final String GOOD_KEY = "gw-good";

  private enum Kind { OK, OK_STREAM, FAIL, FAIL_STREAM, REFUSED, DENIED, DENIED_STREAM, MIDWAY,
    CANCEL, CACHE_HIT, NOT_STARTED }

  @Test
  void sixteenThreadsGetOneRecordPerCallAcrossEveryOutcome() throws Exception {
    Recorder records = new Recorder();
    Map<String, Outcome> expected = new ConcurrentHashMap<>();
    Map<String, Boolean> expectedHit = new ConcurrentHashMap<>();
    List<ChatStream> neverSubscribed = new CopyOnWriteArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    Gateway gateway = Gateway.builder().provider(new ScriptedProvider()).usageSink(records)
        .authenticator(c -> c instanceof Caller.ApiKey k && k.secret().equals(GOOD_KEY)
            ? Principal.of("team-a", "user-1") : null)
        .cache(ResponseCache.builder().maximumSize(100_000).build())
        .circuitBreaker(CircuitBreakerPolicy.disabled()) // the scripted failures must not trip it
        .access(AccessPolicy.builder().team("team-a", AccessRule.builder("no-secret-models")
            .denyModels("secret*").build()).build())
        .build();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(callers.submit(() -> {
          start.await();
          SplittableRandom random = new SplittableRandom(1_000 + thread);
          Kind[] kinds = Kind.values();
          for (int i = 0; i < CALLS_PER_THREAD; i++) {
            Kind kind = kinds[random.nextInt(kinds.length)];
            call(gateway, kind, "c" + thread + "-" + i, expected, expectedHit, neverSubscribed);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(100, TimeUnit.SECONDS);
      }
    } finally {
      callers.shutdownNow();
      gateway.close(); // meters the streams never subscribed
    }

    Map<String, List<UsageRecord>> byCallId = new HashMap<>();
    Map<String, List<UsageRecord>> byTag = new HashMap<>();
    for (UsageRecord r : records.records) {
      byCallId.computeIfAbsent(r.callId(), k -> new ArrayList<>()).add(r);
      assertThat(r.tags()).hasSize(1);
      byTag.computeIfAbsent(r.tags().iterator().next(), k -> new ArrayList<>()).add(r);
    }
    for (List<UsageRecord> list : byCallId.values()) {
      assertThat(list).as("records of call %s", list.get(0).callId()).hasSize(1);
    }
    assertThat(byTag).hasSize(expected.size());
    assertThat(byCallId).hasSize(expected.size());
    for (Map.Entry<String, Outcome> e : expected.entrySet()) {
      List<UsageRecord> list = byTag.get(e.getKey());
      assertThat(list).as("records of %s", e.getKey()).hasSize(1);
      UsageRecord r = list.get(0);
      assertThat(r.outcome()).as("call %s", e.getKey()).isEqualTo(e.getValue());
      assertThat(r.cacheHit()).as("call %s", e.getKey())
          .isEqualTo(expectedHit.getOrDefault(e.getKey(), false));
      if (r.outcome() == Outcome.REFUSED && r.refusal() == Refusal.ACCESS) {
        assertThat(r.principal()).isNotNull();
        assertThat(r.errorType()).isEqualTo("AccessDeniedException");
        assertThat(r.attempts()).isEmpty();
      } else if (r.outcome() == Outcome.REFUSED) {
        assertThat(r.refusal()).isEqualTo(Refusal.AUTHENTICATION);
        assertThat(r.principal()).isNull();
        assertThat(r.errorType()).isEqualTo("AuthenticationException");
      } else {
        assertThat(r.refusal()).isNull();
        assertThat(r.principal()).isNotNull();
      }
      if (r.outcome() == Outcome.STREAM_FAILED) {
        assertThat(r.errorType()).isEqualTo("ProviderUnavailableException");
        assertThat(r.timeToFirstToken()).isNotNull();
      }
    }
    assertThat(expected.values()).contains(Outcome.values());
    assertThat(records.records).extracting(UsageRecord::refusal)
        .contains(Refusal.AUTHENTICATION, Refusal.ACCESS);
    assertThat(expectedHit).containsValue(true);
  }

  @Test
  void feedbackForACallOfThisGatewayReachesTheSinksAsItsOwnRecord() {
    Recorder records = new Recorder();
    try (Gateway gateway = Gateway.builder().provider(new ScriptedProvider())
        .usageSink(records).build()) {
      ChatResponse answer = gateway.chat(ChatRequest.of("m", "ok"));
      gateway.feedback(answer.callId(), 1.0);
      gateway.feedback(answer.callId() + "0", 1.0); // never issued
      gateway.feedback("elsewhere-1", 1.0);
      assertThatThrownBy(() -> gateway.feedback(answer.callId(), Double.NaN))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(records.feedback).singleElement().satisfies(f -> {
      assertThat(f.callId()).isEqualTo(records.records.get(0).callId());
      assertThat(f.score()).isEqualTo(1.0);
    });
  }

  private static ChatRequest request(String prompt, String id) {
    return ChatRequest.builder("m").user(prompt).options(RequestOptions.DEFAULT.withTags(id))
        .build();
  }

  private static void call(Gateway gateway, Kind kind, String id, Map<String, Outcome> expected,
      Map<String, Boolean> expectedHit, List<ChatStream> neverSubscribed) {
    Caller good = Caller.apiKey(GOOD_KEY);
    switch (kind) {
      case OK -> {
        gateway.chat(request("ok " + id, id), good);
        expected.put(id, Outcome.SUCCEEDED);
      }
      case OK_STREAM -> {
        gateway.stream(request("ok " + id, id), good).collect();
        expected.put(id, Outcome.SUCCEEDED);
      }
      case FAIL -> {
        assertThatThrownBy(() -> gateway.chat(request("fail " + id, id), good))
            .isInstanceOf(InvalidRequestException.class);
        expected.put(id, Outcome.FAILED);
      }
      case FAIL_STREAM -> {
        assertThat(terminalFailure(gateway.stream(request("fail " + id, id), good)).committed())
            .isFalse();
        expected.put(id, Outcome.FAILED);
      }
      case REFUSED -> {
        assertThatThrownBy(() -> gateway.chat(request("ok " + id, id), Caller.apiKey("gw-bad")))
            .isInstanceOf(AuthenticationException.class);
        expected.put(id, Outcome.REFUSED);
      }
      case DENIED -> {
        assertThatThrownBy(() -> gateway.chat(request("secret " + id, id).withModel("secret-m"),
            good)).isInstanceOf(AccessDeniedException.class);
        expected.put(id, Outcome.REFUSED);
      }
      case DENIED_STREAM -> {
        assertThat(terminalFailure(gateway.stream(request("secret " + id, id)
            .withModel("secret-m"), good)).error()).isInstanceOf(AccessDeniedException.class);
        expected.put(id, Outcome.REFUSED);
      }
      case MIDWAY -> {
        assertThat(terminalFailure(gateway.stream(request("midway " + id, id), good)).committed())
            .isTrue();
        expected.put(id, Outcome.STREAM_FAILED);
      }
      case CANCEL -> {
        try (StreamIterator<ChatEvent> it = gateway.stream(request("hang " + id, id), good).iterator()) {
          assertThat(it.next()).isInstanceOf(ChatEvent.TextDelta.class);
        }
        expected.put(id, Outcome.CANCELLED);
      }
      case CACHE_HIT -> {
        String prompt = "ok cached " + id;
        gateway.chat(request(prompt, id + "-miss"), good);
        expected.put(id + "-miss", Outcome.SUCCEEDED);
        assertThat(gateway.chat(request(prompt, id), good).cacheHit()).isTrue();
        expected.put(id, Outcome.SUCCEEDED);
        expectedHit.put(id, true);
      }
      case NOT_STARTED -> {
        neverSubscribed.add(gateway.stream(request("ok " + id, id), good));
        expected.put(id, Outcome.NOT_STARTED);
      }
    }
  }

  private static ChatEvent.Failed terminalFailure(ChatStream stream) {
    ChatEvent last = null;
    try (StreamIterator<ChatEvent> it = stream.iterator()) {
      while (it.hasNext()) {
        last = it.next();
      }
    }
    assertThat(last).isInstanceOf(ChatEvent.Failed.class);
    return (ChatEvent.Failed) last;
  }

  /** Keeps every record and every feedback record. */
  private static final class Recorder implements UsageSink {
    final List<UsageRecord> records = new CopyOnWriteArrayList<>();
    final List<FeedbackRecord> feedback = new CopyOnWriteArrayList<>();

    @Override
    public void accept(UsageRecord record) {
      records.add(record);
    }

    @Override
    public void acceptFeedback(FeedbackRecord f) {
      feedback.add(f);
    }
  }

  /**
   * Answers by the prompt's first word: {@code ok} answers, {@code fail} is refused by the
   * provider as invalid, {@code midway} streams a delta then fails, {@code hang} streams a delta
   * then waits for its caller to cancel.
   */
  private static final class ScriptedProvider implements Provider {
    @Override
    public String name() {
      return "p";
    }

    @Override
    public ModelCapabilities capabilities(String model) {
      return ModelCapabilities.ALL;
    }

    @Override
    public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
      String prompt = request.lastUserText();
      if (prompt.startsWith("fail")) {
        throw new InvalidRequestException("scripted refusal");
      }
      return answer(attempt.deployment());
    }

    @Override
    public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
      String prompt = request.lastUserText();
      return subscriber -> {
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicBoolean started = new AtomicBoolean();
        subscriber.onSubscribe(new Flow.Subscription() {
          @Override
          public void request(long n) {
            if (!started.compareAndSet(false, true) || cancelled.get()) {
              return; // everything is sent on the first request
            }
            if (prompt.startsWith("fail")) {
              subscriber.onNext(new ChatEvent.Failed(new InvalidRequestException("scripted"),
                  0, 0, Usage.ZERO, List.of()));
              subscriber.onComplete();
              return;
            }
            subscriber.onNext(new ChatEvent.TextDelta("Hello"));
            if (prompt.startsWith("midway")) {
              subscriber.onNext(new ChatEvent.Failed(
                  new ProviderUnavailableException("connection reset"), 1, 5, Usage.ZERO,
                  List.of()));
              subscriber.onComplete();
            } else if (!prompt.startsWith("hang")) {
              subscriber.onNext(new ChatEvent.Completed(answer(attempt.deployment())));
              subscriber.onComplete();
            }
          }

          @Override
          public void cancel() {
            cancelled.set(true);
          }
        });
      };
    }

    private static ChatResponse answer(Deployment deployment) {
      return ChatResponse.builder().text("Hello").finishReason(FinishReason.STOP)
          .usage(Usage.of(3, 1)).deployment(deployment).build();
    }
  }
}
