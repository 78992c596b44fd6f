package dev.llmgateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.Principal;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.usage.UsageDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Deployment limits count attempts and filter the plan: a deployment at its limit is skipped with
 * the limit named as the reason and the call fails over; when every candidate is at its limit the
 * call is refused with the soonest retry-after; retries count; tokens and slots are settled per
 * deployment when the call ends.
 */
@Timeout(60)
class DeploymentLimitTest {
  private static final Principal CALLER = Principal.builder().org("acme").team("t").build();

  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_700_000_000L));
  private final StubProvider stub = new StubProvider("stub");
  private final InMemoryLimitStore store = new InMemoryLimitStore();
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final List<Gateway> gateways = new ArrayList<>();

  @AfterEach
  void close() {
    gateways.forEach(Gateway::close);
  }

  private Gateway gateway(RetryPolicy retry, RateLimit... limits) {
    RateLimits.Builder b = RateLimits.builder().store(store).tokenCounter((r, m) -> 100);
    for (RateLimit l : limits) {
      b.limit(l);
    }
    Gateway g = Gateway.builder().provider(stub).clock(clock).retry(retry)
        .alias("a", Route.fallback("stub/m1", "stub/m2"))
        .usageSink(usage, UsageDelivery.inline()).rateLimits(b.build()).build();
    gateways.add(g);
    return g;
  }

  private Gateway gateway(RateLimit... limits) {
    return gateway(RetryPolicy.none(), limits);
  }

  private static LimitCounter at(String limit, String deployment) {
    return new LimitCounter(limit, Scope.DEPLOYMENT, "", deployment);
  }

  @Test
  void aDeploymentAtItsLimitIsSkippedWithTheLimitNamedAndTheCallFailsOver() {
    Gateway g = gateway(RateLimit.requestsPerMinute(1).forDeployment("stub/m1"));
    assertThat(g.chat(ChatRequest.of("a", "one"), CALLER).deployment())
        .isEqualTo(Deployment.parse("stub/m1"));

    ChatResponse second = g.chat(ChatRequest.of("a", "two"), CALLER);

    assertThat(second.deployment()).isEqualTo(Deployment.parse("stub/m2"));
    assertThat(second.routing().skipped()).singleElement().satisfies(s -> {
      assertThat(s.deployment()).isEqualTo(Deployment.parse("stub/m1"));
      assertThat(s.reason()).isEqualTo("rate limit 'deployment-stub/m1-rpm' (1 attempts per"
          + " minute at deployment stub/m1) reached: retry after 61 s");
    });
    assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
  }

  @Test
  void whenEveryCandidateIsAtItsLimitTheCallIsRefusedWithTheSoonestRetryAfter() {
    Gateway g = gateway(RateLimit.requestsPerMinute(1).perDeployment());
    g.chat(ChatRequest.of("a", "one"), CALLER);             // m1
    clock.advance(Duration.ofSeconds(20));
    g.chat(ChatRequest.of("a", "two"), CALLER);             // m1 skipped, m2
    clock.advance(Duration.ofSeconds(10));

    RateLimitedException e = null;
    try {
      g.chat(ChatRequest.of("a", "three"), CALLER);
    } catch (RateLimitedException refused) {
      e = refused;
    }

    assertThat(e).as("refused by the deployments' limits").isNotNull();
    assertThat(e.limit()).isEqualTo("deployment-rpm");
    assertThat(e.retryAfter()).as("m1's count leaves first").isEqualTo(Duration.ofSeconds(31));
    assertThat(e.getSuppressed()).singleElement().isInstanceOfSatisfying(
        RateLimitedException.class, r -> assertThat(r.retryAfter()).isEqualTo(
            Duration.ofSeconds(51)));
    assertThat(e.getMessage()).contains("for deployment 'stub/m1'");
    assertThat(stub.calls()).hasSize(2);
    UsageRecord record = usage.last();
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.REFUSED);
    assertThat(record.refusal()).isEqualTo(UsageRecord.Refusal.LIMIT);
    assertThat(record.routing().skipped()).extracting(RoutingDecision.Skip::reason)
        .allSatisfy(reason -> assertThat(reason).startsWith("rate limit 'deployment-rpm'"));
  }

  @Test
  void everyAttemptCountsARetryIncluded() {
    stub.on("m1").fail(new ProviderUnavailableException("a blip"));
    Gateway g = gateway(RetryPolicy.builder().maxAttempts(2)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(1)).build(),
        RateLimit.requestsPerMinute(2).forDeployment("stub/m1"));

    assertThat(g.chat(ChatRequest.of("a", "one"), CALLER).deployment())
        .isEqualTo(Deployment.parse("stub/m1"));
    assertThat(store.countOf(at("deployment-stub/m1-rpm", "stub/m1"), clock.millis()))
        .isEqualTo(2);

    assertThat(g.chat(ChatRequest.of("a", "two"), CALLER).deployment())
        .isEqualTo(Deployment.parse("stub/m2"));
  }

  @Test
  void tokensAreSettledToTheUsageOfTheAttemptsMadeAtEachDeployment() {
    stub.on("m1").fail(new ProviderUnavailableException("down"));
    Gateway g = gateway(RateLimit.tokensPerMinute(1_000).perDeployment());

    g.chat(ChatRequest.of("a", "hi"), CALLER); // m1 fails (no usage), m2 answers: 1 in, 3 out

    assertThat(store.countOf(at("deployment-tpm", "stub/m1"), clock.millis())).isZero();
    assertThat(store.countOf(at("deployment-tpm", "stub/m2"), clock.millis())).isEqualTo(4);
  }

  @Test
  void aDeploymentsSlotIsHeldUntilItsCallEnds() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    stub.on("m1").holdUntil(release, arrived).reply("slow");
    Gateway g = gateway(RateLimit.concurrent(1).forDeployment("stub/m1"));
    CompletableFuture<ChatResponse> first = g.chatAsync(ChatRequest.of("a", "one"), CALLER);
    assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();

    ChatResponse second = g.chat(ChatRequest.of("a", "two"), CALLER);
    assertThat(second.deployment()).isEqualTo(Deployment.parse("stub/m2"));
    assertThat(second.routing().skipped()).singleElement().satisfies(s -> assertThat(s.reason())
        .contains("'deployment-stub/m1-concurrent'", "1 calls at once at deployment stub/m1"));

    release.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS).deployment())
        .isEqualTo(Deployment.parse("stub/m1"));
    assertThat(g.chat(ChatRequest.of("a", "three"), CALLER).deployment())
        .isEqualTo(Deployment.parse("stub/m1"));
    assertThat(store.countOf(at("deployment-stub/m1-concurrent", "stub/m1"), clock.millis()))
        .isZero();
  }
}
