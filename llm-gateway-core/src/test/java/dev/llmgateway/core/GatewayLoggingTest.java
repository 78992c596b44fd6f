package dev.llmgateway.core;

import static dev.llmgateway.core.LogCapture.naming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.Principal;
import dev.llmgateway.ProviderOverloadedException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.HedgePolicy;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.Interceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;

/**
 * The gateway's log (issue 26, item 5): a retry, a failover and a refusal each as one line naming
 * the call and the reason; nothing of the prompt, a credential, a raw user id or a provider's
 * error text at INFO and above; the summary line off at INFO unless asked for; the MDC keys set
 * while the gateway works on a call and restored after, on success and on failure.
 */
@Timeout(60)
class GatewayLoggingTest {
  private static final String PROMPT = "PROMPT-7731 what is the refund policy";
  private static final String API_KEY = "sk-LOGSECRET-9f2b";
  private static final String USER_ID = "user-4412-private";
  private static final String PROVIDER_TEXT = "PROVIDER-FREE-TEXT-0x51";
  private static final Principal SUPPORT = Principal.builder().team("support").user(USER_ID)
      .keyId("k-1").build();

  @AfterEach
  void clearMdc() {
    MDC.clear();
  }

  @Test
  void aRetryAFailoverAndARefusalAreEachOneLineWithTheCallIdAndWhyAndNoPromptAtInfo() {
    StubProvider a = new StubProvider("a");
    StubProvider b = new StubProvider("b");
    a.on("m")
        .fail(new ProviderOverloadedException("overloaded " + PROVIDER_TEXT,
            new ErrorDetails("a", "m", 529, "overloaded_error", "req-1"), null))
        .reply("first answer")
        .fail(new QuotaExhaustedException("quota " + PROVIDER_TEXT,
            new ErrorDetails("a", "m", 429, "insufficient_quota", "req-2"), null));
    InMemoryUsageSink usage = new InMemoryUsageSink();
    ChatRequest request = ChatRequest.of("smart", PROMPT);
    try (LogCapture log = new LogCapture();
        Gateway gateway = Gateway.builder().provider(a).provider(b)
            .alias("smart", Route.fallback("a/m", "b/m"))
            .price("a/m", Price.perMillion("1", "2"))
            .price("b/m", Price.perMillion("1", "2"))
            .retry(RetryPolicy.builder().maxAttempts(2)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(1)).build())
            .authenticator(credential -> {
              throw new AuthenticationException("unknown key");
            })
            .usageSink(usage)
            .build()) {
      ChatResponse retried = gateway.chat(request, SUPPORT);
      ChatResponse failedOver = gateway.chat(request, SUPPORT);
      assertThatThrownBy(() -> gateway.chat(request, Caller.apiKey(API_KEY)))
          .isInstanceOf(AuthenticationException.class);
      String refused = usage.records().get(2).callId();
      assertThat(usage.records().get(2).outcome()).isEqualTo(UsageRecord.Outcome.REFUSED);
      assertThat(failedOver.deployment()).hasToString("b/m");

      ILoggingEvent retry = onlyLineAtInfoOrAbove(log, retried.callId());
      assertThat(retry.getLevel()).isEqualTo(Level.INFO);
      assertThat(retry.getLoggerName()).isEqualTo("dev.llmgateway.core.execute");
      assertThat(retry.getFormattedMessage()).contains("call " + retried.callId(), "a/m",
          "ProviderOverloadedException", "HTTP 529", "retrying in");

      ILoggingEvent failover = onlyLineAtInfoOrAbove(log, failedOver.callId());
      assertThat(failover.getLevel()).isEqualTo(Level.WARN);
      assertThat(failover.getLoggerName()).isEqualTo("dev.llmgateway.core.execute");
      assertThat(failover.getFormattedMessage()).contains("call " + failedOver.callId(),
          "from a/m to b/m", "QuotaExhaustedException", "HTTP 429", "failing over");

      ILoggingEvent refusal = onlyLineAtInfoOrAbove(log, refused);
      assertThat(refusal.getLevel()).isEqualTo(Level.INFO);
      assertThat(refusal.getLoggerName()).isEqualTo("dev.llmgateway.core.call");
      assertThat(refusal.getFormattedMessage()).contains("call " + refused,
          "refused by the authentication step", "AuthenticationException");

      assertThat(log.lines(line -> LogCapture.infoOrAbove(line)
          && line.getLoggerName().startsWith("dev.llmgateway.core."))).hasSize(3);
      // the audit trail is its own logger: one line for the refused credential
      assertThat(log.lines(line -> line.getLoggerName().equals("dev.llmgateway.audit")))
          .singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getFormattedMessage()).contains("AUTHENTICATION_FAILED",
                "call " + refused, "unknown key");
          });
      for (ILoggingEvent line : log.lines()) {
        String text = line.getFormattedMessage() + " " + line.getMDCPropertyMap();
        assertThat(text).as(line.getLoggerName())
            .doesNotContain(API_KEY, USER_ID, PROVIDER_TEXT);
        if (line.getLevel().isGreaterOrEqual(Level.INFO)
            || !line.getLoggerName().equals("dev.llmgateway.content")) {
          assertThat(text).as(line.getLoggerName()).doesNotContain(PROMPT);
        }
      }
      assertThat(log.lines(naming(PROMPT))).as("the prompt, at DEBUG on the content logger only")
          .isNotEmpty()
          .allSatisfy(line -> assertThat(line.getLevel()).isEqualTo(Level.DEBUG));
    }
  }

  @Test
  void theDebugLinesTellTheCallsStoryAndEveryLineNamesItsCall() {
    StubProvider stub = new StubProvider("stub");
    try (LogCapture log = new LogCapture();
        Gateway gateway = Gateway.builder().provider(stub).alias("fast", Route.to("stub/m"))
            .build()) {
      ChatResponse answer = gateway.chat(ChatRequest.of("fast", PROMPT), SUPPORT);
      String id = answer.callId();

      assertThat(log.lines(naming("call " + id + " received")))
          .singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
              .contains("CHAT", "model=fast", "team=support"));
      assertThat(log.lines(naming("call " + id + " routed")))
          .singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
              .contains("alias fast", "plan [stub/m]"));
      assertThat(log.lines(naming("call " + id + ": attempt 1 (FIRST) at stub/m SUCCEEDED")))
          .hasSize(1);
      assertThat(log.lines(naming("answer"))).singleElement().satisfies(line -> {
        assertThat(line.getLoggerName()).isEqualTo("dev.llmgateway.content");
        assertThat(line.getFormattedMessage()).contains("Hello, world");
      });
      assertThat(log.lines()).allSatisfy(line ->
          assertThat(line.getFormattedMessage()).contains("call " + id));
    }
  }

  @Test
  void theSummaryLineIsAtDebugByDefaultAndOneInfoLinePerCallWithLogCalls() {
    StubProvider stub = new StubProvider("stub");
    try (LogCapture log = new LogCapture();
        Gateway quiet = Gateway.builder().provider(stub).build();
        Gateway loud = quiet.newBuilder().logCalls(true).build()) {
      String byDefault = quiet.chat(ChatRequest.of("m", PROMPT), SUPPORT).callId();
      String asked = loud.chat(ChatRequest.of("m", PROMPT), SUPPORT).callId();

      assertThat(log.lines(naming("call " + byDefault)).stream()
          .filter(LogCapture::infoOrAbove)).isEmpty();
      assertThat(log.lines(line -> line.getLoggerName().equals("dev.llmgateway.core.summary")
          && line.getFormattedMessage().contains("call " + byDefault)))
          .singleElement().satisfies(line -> assertThat(line.getLevel()).isEqualTo(Level.DEBUG));

      ILoggingEvent summary = onlyLineAtInfoOrAbove(log, asked);
      assertThat(summary.getLoggerName()).isEqualTo("dev.llmgateway.core.summary");
      assertThat(summary.getFormattedMessage()).contains("call " + asked, "CHAT",
          "team=support", "m → stub/m", "SUCCEEDED", "tokens=", "cost=", "latency=",
          "attempts=1");
      assertThat(summary.getFormattedMessage()).doesNotContain(PROMPT, USER_ID, "Hello");
    }
  }

  @Test
  void aHedgeIsOneInfoLineNamingTheCallAndBothDeployments() throws Exception {
    StubProvider a = new StubProvider("a");
    StubProvider b = new StubProvider("b");
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    a.on("m").holdUntil(gate, arrived).reply("slow");
    try (LogCapture log = new LogCapture();
        Gateway gateway = Gateway.builder().provider(a).provider(b)
            .alias("hedged", Route.fallback("a/m", "b/m")
                .hedge(HedgePolicy.after(Duration.ofMillis(5))))
            .price("a/m", Price.perMillion("1", "2"))
            .price("b/m", Price.perMillion("1", "2"))
            .build()) {
      CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(
          () -> gateway.chat(ChatRequest.of("hedged", PROMPT), SUPPORT));
      assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();
      while (log.lines(naming("hedging")).isEmpty()) {
        Thread.onSpinWait(); // the hedge timer has not fired yet
      }
      gate.countDown();
      ChatResponse answer = call.get(30, TimeUnit.SECONDS);

      ILoggingEvent hedge = onlyLineAtInfoOrAbove(log, answer.callId());
      assertThat(hedge.getLevel()).isEqualTo(Level.INFO);
      assertThat(hedge.getLoggerName()).isEqualTo("dev.llmgateway.core.execute");
      assertThat(hedge.getFormattedMessage()).contains("call " + answer.callId(),
          "hedging: b/m started beside the slow first attempt at a/m");
      assertThat(hedge.getMDCPropertyMap()).containsEntry("llm.call_id", answer.callId())
          .containsEntry("llm.team", "support");
    }
  }

  @Test
  void aCircuitOpeningIsOneWarnLineNamingTheCall() {
    StubProvider stub = new StubProvider("stub");
    stub.on("m").fail(new ProviderOverloadedException("overloaded"));
    try (LogCapture log = new LogCapture();
        Gateway gateway = Gateway.builder().provider(stub).retry(RetryPolicy.none())
            .circuitBreaker(CircuitBreakerPolicy.builder().consecutiveFailures(1).build())
            .build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("stub/m", PROMPT), SUPPORT))
          .isInstanceOf(ProviderOverloadedException.class);

      assertThat(log.lines(line -> line.getLoggerName().equals("dev.llmgateway.core.health")))
          .singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getFormattedMessage()).containsPattern("call \\S+: circuit of stub/m"
                + " opened");
          });
    }
  }

  @Test
  void theMdcNamesTheCallAndTeamWhileTheGatewayWorksAndIsRestoredAfterSuccessAndFailure() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Interceptor spy = chain -> {
      seen.add(MDC.get("llm.call_id") + "/" + MDC.get("llm.team"));
      return chain.proceed(chain.request());
    };
    StubProvider stub = new StubProvider("stub");
    stub.on("bad").fail(new InvalidRequestException("no such parameter"));
    try (Gateway gateway = Gateway.builder().provider(stub)
        .interceptor(InterceptorPosition.BEFORE_ROUTING, spy)
        .interceptor(InterceptorPosition.AROUND_ATTEMPT, spy)
        .authenticator(credential -> Principal.builder().team("billing").build())
        .build()) {
      MDC.put("llm.call_id", "outer-call");
      String ok = gateway.chat(ChatRequest.of("stub/m", PROMPT), SUPPORT).callId();
      assertThat(seen).containsExactly(ok + "/support", ok + "/support");
      assertThat(MDC.get("llm.call_id")).isEqualTo("outer-call");
      assertThat(MDC.get("llm.team")).isNull();

      seen.clear();
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("stub/bad", PROMPT),
          Caller.apiKey(API_KEY))).isInstanceOf(InvalidRequestException.class);
      assertThat(seen).hasSize(2).allSatisfy(s -> assertThat(s).endsWith("/billing")
          .doesNotStartWith("outer-call"));
      assertThat(MDC.get("llm.call_id")).isEqualTo("outer-call");
      assertThat(MDC.get("llm.team")).isNull();
    }
  }

  @Test
  void aPooledThreadKeepsNoMdcAfterItsCallsAndChatAsyncSetsItOnTheExecutor() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    StubProvider stub = new StubProvider("stub");
    stub.on("bad").fail(new InvalidRequestException("no such parameter"));
    try (Gateway gateway = Gateway.builder().provider(stub).executor(pool)
        .interceptor(InterceptorPosition.AROUND_ATTEMPT, chain -> {
          seen.add(MDC.get("llm.call_id") + "/" + MDC.get("llm.team"));
          return chain.proceed(chain.request());
        })
        .build()) {
      String async = gateway.chatAsync(ChatRequest.of("stub/m", PROMPT), SUPPORT)
          .get(30, TimeUnit.SECONDS).callId();
      assertThat(gateway.chatAsync(ChatRequest.of("stub/bad", PROMPT), SUPPORT))
          .failsWithin(Duration.ofSeconds(30));
      Map<String, String> left = pool.submit(MDC::getCopyOfContextMap).get(30, TimeUnit.SECONDS);

      assertThat(seen.get(0)).isEqualTo(async + "/support");
      assertThat(seen.get(1)).endsWith("/support").doesNotStartWith(async);
      assertThat(left == null ? Map.of() : left).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void withMdcOffTheGatewaySetsNoMdc() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (Gateway gateway = Gateway.builder().provider(new StubProvider("stub")).mdc(false)
        .interceptor(InterceptorPosition.AROUND_ATTEMPT, chain -> {
          seen.add(MDC.get("llm.call_id") + "/" + MDC.get("llm.team"));
          return chain.proceed(chain.request());
        })
        .build()) {
      gateway.chat(ChatRequest.of("stub/m", PROMPT), SUPPORT);
    }
    assertThat(seen).containsExactly("null/null");
  }

  /** The one line at INFO or above that names {@code callId}. */
  private static ILoggingEvent onlyLineAtInfoOrAbove(LogCapture log, String callId) {
    List<ILoggingEvent> lines = log.lines(line -> LogCapture.infoOrAbove(line)
        && line.getLoggerName().startsWith("dev.llmgateway.core.")
        && (line.getFormattedMessage().contains("call " + callId + " ")
            || line.getFormattedMessage().contains("call " + callId + ":")));
    assertThat(lines).as("lines at INFO or above naming call %s", callId).hasSize(1);
    return lines.get(0);
  }
}
