package dev.llmgateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatStream;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.GatewayInternalException;
import dev.llmgateway.Principal;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.MutableClock;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.usage.UsageDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rate limits in the gateway's chain on an injected clock: refusals naming the limit with their
 * retry-after and metered as refused by the limit, every kind of call counted, limits per tenant
 * from a {@link LimitSource}, limits changed at run time, tokens settled to the actual usage, a
 * cache hit, and no user id in any message.
 */
@Timeout(60)
class RateLimitsTest {
  private static final Instant T0 = Instant.ofEpochSecond(1_700_000_000L);

  private final MutableClock clock = new MutableClock(T0);
  private final StubProvider stub = new StubProvider("stub");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final List<Gateway> gateways = new ArrayList<>();

  @AfterEach
  void close() {
    gateways.forEach(Gateway::close);
  }

  private Gateway gateway(RateLimits limits) {
    return build(builder(limits));
  }

  private GatewayBuilder builder(RateLimits limits) {
    return Gateway.builder().provider(stub).clock(clock).retry(RetryPolicy.none())
        .alias("a", Route.to("stub/m")).usageSink(usage, UsageDelivery.inline())
        .rateLimits(limits);
  }

  private Gateway build(GatewayBuilder builder) {
    Gateway g = builder.build();
    gateways.add(g);
    return g;
  }

  private static Principal member(String org, String team, String user) {
    return Principal.builder().org(org).team(team).user(user).keyId("k-" + team).build();
  }

  private static final Principal SUPPORT = member("acme", "support", "alice@example.com");
  private static final Principal SALES = member("acme", "sales", "bob@example.com");

  private static RateLimitedException limited(Runnable call) {
    try {
      call.run();
    } catch (RateLimitedException e) {
      return e;
    }
    throw new AssertionError("the call was not refused by a rate limit");
  }

  @Test
  void aTeamOverItsLimitIsRefusedNamingTheLimitWithRetryAfterAndMeteredAsRefused() {
    Gateway g = gateway(RateLimits.of(RateLimit.requestsPerMinute(2).perTeam()));
    g.chat(ChatRequest.of("a", "one"), SUPPORT);
    clock.advance(Duration.ofMillis(30_500));
    g.chat(ChatRequest.of("a", "two"), SUPPORT);

    RateLimitedException e = limited(() -> g.chat(ChatRequest.of("a", "three"), SUPPORT));

    assertThat(e.limit()).isEqualTo("team-rpm");
    // the first call's bucket (T0's second) counts until the 61st second after it begins
    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(61_000 - 30_500));
    assertThat(e.getMessage()).isEqualTo("rate limit 'team-rpm' (2 requests per minute per team)"
        + " reached for team 'support': retry after 31 s");
    assertThat(e.isRetriable()).isTrue();
    assertThat(stub.calls()).hasSize(2);
    UsageRecord record = usage.last();
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.REFUSED);
    assertThat(record.refusal()).isEqualTo(UsageRecord.Refusal.LIMIT);
    assertThat(record.errorType()).isEqualTo("RateLimitedException");

    assertThat(g.chat(ChatRequest.of("a", "other team"), SALES).text()).isNotEmpty();
    clock.advance(e.retryAfter());
    assertThat(g.chat(ChatRequest.of("a", "later"), SUPPORT).text()).isNotEmpty();
  }

  /**
   * The admission reuses the last request it made for a limit when the next caller has the same
   * counter: callers that take turns must still each count on their own, by team and by tenant
   * (the same team id in another org), for requests, tokens and slots alike.
   */
  @Test
  void callersTakingTurnsEachCountOnTheirOwnCounter() {
    // the sales team's own limit applies to its calls only: the others' skip it
    Gateway g = gateway(RateLimits.of(RateLimit.requestsPerMinute(3).perTeam(),
        RateLimit.requestsPerMinute(4).forTeam("sales").named("sales-rpm"),
        RateLimit.tokensPerMinute(1_000_000).perTeam(), RateLimit.concurrent(1).perTeam()));
    Principal otherOrg = member("globex", "support", "carol@example.com");
    Principal[] turns = {SUPPORT, SALES, otherOrg, SUPPORT, SUPPORT, otherOrg, SALES, otherOrg, SALES};

    for (Principal p : turns) {
      g.chat(ChatRequest.of("a", "turn"), p);
    }

    for (Principal p : new Principal[] {SUPPORT, SALES, otherOrg}) {
      RateLimitedException e = limited(() -> g.chat(ChatRequest.of("a", "fourth"), p));
      assertThat(e.limit()).isEqualTo("team-rpm");
    }
    assertThat(stub.calls()).hasSize(turns.length);
  }

  @Test
  void unaryStreamedAndEmbeddingCallsAreAllCounted() {
    Gateway g = gateway(RateLimits.of(RateLimit.requestsPerMinute(3).perKey()));
    g.chat(ChatRequest.of("a", "one"), SUPPORT);
    g.stream(ChatRequest.of("a", "two"), SUPPORT).collect();
    g.embed(EmbeddingRequest.of("stub/e", "three"), SUPPORT);

    ChatStream refused = g.stream(ChatRequest.of("a", "four"), SUPPORT);
    ChatEvent last = null;
    try (StreamIterator<ChatEvent> events = refused.iterator()) {
      while (events.hasNext()) {
        last = events.next();
      }
    }

    assertThat(last).isInstanceOfSatisfying(ChatEvent.Failed.class, f -> assertThat(f.error())
        .isInstanceOfSatisfying(RateLimitedException.class,
            r -> assertThat(r.limit()).isEqualTo("key-rpm")));
    assertThat(limited(() -> g.embed(EmbeddingRequest.of("stub/e", "five"), SUPPORT))
        .getMessage()).contains("for key 'k-support'");
  }

  @Test
  void aLimitPerUserNeverNamesTheUser() {
    Gateway g = gateway(RateLimits.of(RateLimit.requestsPerMinute(1).perUser()));
    g.chat(ChatRequest.of("a", "one"), SUPPORT);

    RateLimitedException e = limited(() -> g.chat(ChatRequest.of("a", "two"), SUPPORT));

    assertThat(e.getMessage()).contains("'user-rpm'", "for this user").doesNotContain("alice");
    assertThat(usage.last().toString()).doesNotContain("alice");
    assertThat(g.chat(ChatRequest.of("a", "another user"),
        member("acme", "support", "carol@example.com")).text()).isNotEmpty();
  }

  @Test
  void aLimitAppliesOnlyToCallsWithAnIdForItsScopeAndAFixedIdOnlyToThatId() {
    Gateway g = gateway(RateLimits.of(RateLimit.requestsPerMinute(1).perTeam(),
        RateLimit.requestsPerMinute(1).forOrg("globex")));
    Principal noTeam = Principal.builder().org("acme").build();

    for (int i = 0; i < 3; i++) {
      g.chat(ChatRequest.of("a", "no team " + i), noTeam);
    }
    g.chat(ChatRequest.of("a", "globex"), member("globex", "x", "u"));

    RateLimitedException e = limited(() -> g.chat(ChatRequest.of("a", "globex again"),
        member("globex", "y", "u")));
    assertThat(e.limit()).isEqualTo("org-globex-rpm");
    assertThat(e.getMessage()).contains("(1 requests per minute for org globex)");
  }

  @Test
  void aTeamIdIsCountedPerOrg() {
    Gateway g = gateway(RateLimits.of(RateLimit.requestsPerMinute(1).perTeam()));

    g.chat(ChatRequest.of("a", "acme support"), member("acme", "support", "u"));
    g.chat(ChatRequest.of("a", "globex support"), member("globex", "support", "u"));

    assertThat(stub.calls()).hasSize(2);
  }

  @Test
  void perTenantLimitsComeFromTheSourceAndReplaceAConfiguredLimitOfTheirName() {
    Map<String, RateLimit> plans = Map.of(
        "small", RateLimit.requestsPerMinute(1).perOrg(),
        "big", RateLimit.requestsPerMinute(3).perOrg());
    RateLimits limits = RateLimits.builder()
        .limit(RateLimit.requestsPerMinute(2).perOrg())
        .source(p -> p.orgId() != null && plans.containsKey(p.orgId())
            ? List.of(plans.get(p.orgId())) : List.of())
        .build();
    Gateway g = gateway(limits);

    assertThat(admitted(g, member("small", "t", "u"), 5)).isEqualTo(1);
    assertThat(admitted(g, member("big", "t", "u"), 5)).isEqualTo(3);
    assertThat(admitted(g, member("other", "t", "u"), 5)).isEqualTo(2);
  }

  private static int admitted(Gateway g, Principal p, int calls) {
    int admitted = 0;
    for (int i = 0; i < calls; i++) {
      try {
        g.chat(ChatRequest.of("a", "call " + i), p);
        admitted++;
      } catch (RateLimitedException e) {
        assertThat(e.limit()).isNotNull();
      }
    }
    return admitted;
  }

  @Test
  void aSourceThatThrowsFailsTheCallNamingItsExceptionType() {
    Gateway g = gateway(RateLimits.builder().source(p -> {
      throw new IllegalStateException("the tenant table is down: secret detail");
    }).build());

    assertThatThrownBy(() -> g.chat(ChatRequest.of("a", "hi"), SUPPORT))
        .isInstanceOf(GatewayInternalException.class)
        .hasMessageContaining("java.lang.IllegalStateException")
        .hasMessageNotContaining("secret detail");
    assertThat(stub.calls()).isEmpty();
  }

  @Test
  void limitsChangedAtRunTimeApplyToTheNextCall() {
    RateLimits limits = RateLimits.of(RateLimit.requestsPerMinute(5).perTeam());
    Gateway g = gateway(limits);
    assertThat(admitted(g, SUPPORT, 2)).isEqualTo(2);

    limits.set(RateLimit.requestsPerMinute(2).perTeam()); // same name: replaces, counts stay
    assertThat(admitted(g, SUPPORT, 1)).isZero();

    limits.set(RateLimit.requestsPerMinute(4).perTeam());
    assertThat(admitted(g, SUPPORT, 5)).isEqualTo(2);

    limits.set(RateLimit.concurrent(1).perTeam());
    assertThat(limits.remove("team-rpm")).isTrue();
    assertThat(limits.limits()).extracting(RateLimit::name).containsExactly("team-concurrent");
    assertThat(admitted(g, SUPPORT, 5)).isEqualTo(5);

    assertThat(limits.remove("team-concurrent")).isTrue();
    assertThat(limits.remove("team-concurrent")).isFalse();
  }

  @Test
  void tokensAreCountedAsEstimatedAndSettledToTheActualUsage() {
    TokenCounter hundred = (request, model) -> 100;
    InMemoryLimitStore store = new InMemoryLimitStore();
    Gateway g = gateway(RateLimits.builder().store(store).tokenCounter(hundred)
        .limit(RateLimit.tokensPerMinute(150).perTeam()).build());
    LimitCounter counter = new LimitCounter("team-tpm", Scope.TEAM, "acme", "support");

    g.chat(ChatRequest.of("a", "hi"), SUPPORT); // the stub: 1 token in, 3 out ("Hello, world")
    assertThat(store.countOf(counter, clock.millis())).isEqualTo(4);

    // without the settlement the window would hold 100 and refuse a second estimate of 100
    g.chat(ChatRequest.of("a", "hi"), SUPPORT);
    assertThat(store.countOf(counter, clock.millis())).isEqualTo(8);

    stub.onAnyModel().reply("a long answer", Usage.of(120, 80));
    g.chat(ChatRequest.of("a", "hi"), SUPPORT);
    assertThat(store.countOf(counter, clock.millis())).isEqualTo(208);

    RateLimitedException e = limited(() -> g.chat(ChatRequest.of("a", "hi"), SUPPORT));
    assertThat(e.limit()).isEqualTo("team-tpm");
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(61));
  }

  @Test
  void aRequestWhoseEstimateExceedsTheLimitAloneIsRefusedWithoutARetryAfter() {
    Gateway g = gateway(RateLimits.builder().tokenCounter((r, m) -> 5_000)
        .limit(RateLimit.tokensPerMinute(1_000).perOrg()).build());

    RateLimitedException e = limited(() -> g.chat(ChatRequest.of("a", "hi"), SUPPORT));

    assertThat(e.retryAfter()).isNull();
    assertThat(e.getMessage()).contains("estimated 5000 input tokens exceed rate limit 'org-tpm'",
        "shorten the request or raise the limit");
  }

  @Test
  void theTokenCounterSeesTheRequestedModelWithoutItsProvider() {
    List<String> models = new ArrayList<>();
    Gateway g = gateway(RateLimits.builder().tokenCounter((r, m) -> {
      models.add(m);
      return 1;
    }).limit(RateLimit.tokensPerMinute(1_000).perOrg()).build());

    g.chat(ChatRequest.of("stub/gpt-4o", "hi"), SUPPORT);
    g.chat(ChatRequest.of("a", "hi"), SUPPORT);

    assertThat(models).containsExactly("gpt-4o", "a");
  }

  @Test
  void aCacheHitCountsAsARequestAndItsTokensSettleToZero() {
    InMemoryLimitStore store = new InMemoryLimitStore();
    Gateway g = build(builder(RateLimits.builder().store(store).tokenCounter((r, m) -> 50)
        .limit(RateLimit.requestsPerMinute(10).perTeam())
        .limit(RateLimit.tokensPerMinute(1_000).perTeam()).build())
        .cache(ResponseCache.builder().maximumSize(10).ttl(Duration.ofMinutes(5)).build()));
    LimitCounter requests = new LimitCounter("team-rpm", Scope.TEAM, "acme", "support");
    LimitCounter tokens = new LimitCounter("team-tpm", Scope.TEAM, "acme", "support");

    g.chat(ChatRequest.of("a", "same"), SUPPORT);
    assertThat(g.chat(ChatRequest.of("a", "same"), SUPPORT).cacheHit()).isTrue();

    assertThat(store.countOf(requests, clock.millis())).isEqualTo(2);
    assertThat(store.countOf(tokens, clock.millis())).isEqualTo(1 + 3); // the miss's usage only
  }

  @Test
  void aDeploymentLimitMustNameAConfiguredProvider() {
    assertThatThrownBy(() -> gateway(RateLimits.of(
        RateLimit.requestsPerMinute(5).forDeployment("openai/gpt-4o"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rate limit 'deployment-openai/gpt-4o-rpm'")
        .hasMessageContaining("no provider is named 'openai'");
  }

  @Test
  void aDerivedGatewayCountsWithTheOneItCameFrom() {
    Gateway g = gateway(RateLimits.of(RateLimit.requestsPerMinute(1).perTeam()));
    Gateway derived = build(g.newBuilder());
    g.chat(ChatRequest.of("a", "one"), SUPPORT);

    assertThat(limited(() -> derived.chat(ChatRequest.of("a", "two"), SUPPORT)).limit())
        .isEqualTo("team-rpm");
  }
}
