package dev.llmgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every runnable example runs offline and prints what the README says it prints. */
class ExamplesRunTest {

  private static String run(Runnable main) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void resilienceExampleShowsRetryFailoverTimeoutAndAnOpenCircuit() {
    String out = run(() -> ResilienceExample.main(new String[0]));

    assertThat(out)
        .contains("RETRY FAILED HTTP 500", "retries exhausted; failing over")
        // the gateway's first-token timer (1000 ms) and the transport's first-byte watchdog (the
        // time the attempt had left when the request went out, a few ms less) race to report it
        .containsPattern("first token timeout of (9[5-9]\\d|1000) ms ran out; failing over")
        .contains("SKIPPED: circuit open until")
        .contains("Served by the secondary after two 500s.");
  }

  @Test
  void openTelemetryExamplePrintsTheTraceTreeOfAFailoverUnderTheAppsSpan() {
    String out = run(() -> OpenTelemetryExample.main(new String[0]));
    assertThat(out).contains("answer: Paris.", "traceparent sent to OpenAI: true",
        "traceparent sent to Azure:  true");
    assertThat(out).containsSubsequence("GET /ask  internal",
        "└─ llm_gateway smart  internal",
        "├─ chat gpt-4.1  client  gen_ai.provider.name=openai  llm_gateway.attempt.kind=first"
            + "  llm_gateway.outcome=failed  error.type=RateLimitedException",
        "status=ERROR",
        "└─ chat gpt-4.1  client  gen_ai.provider.name=azure.ai.openai"
            + "  gen_ai.response.model=gpt-4.1-2025-04-14  llm_gateway.attempt.kind=failover"
            + "  llm_gateway.outcome=succeeded  gen_ai.usage.input_tokens=14"
            + "  gen_ai.usage.output_tokens=2");
    assertThat(out).contains("llm_gateway.team=search-team",
        "llm_gateway.deployment=azure/gpt-4.1", "llm_gateway.cost_usd=0.000044",
        "metrics: gen_ai.client.operation.duration (2 points), gen_ai.client.token.usage"
            + " (2 points), llm_gateway.client.cost (1 points)");
  }

  @Test
  void quickstartAndStreamingExamplesRun() {
    assertThat(run(() -> QuickstartDemo.main(new String[0]))).contains(
        "served by anthropic/claude-sonnet-4-5 (model claude-sonnet-4-5-20250929) in ",
        "attempt 1: anthropic/claude-sonnet-4-5 SUCCEEDED HTTP 200 in ",
        "attempt 4: openai/gpt-4.1 (failover) SUCCEEDED HTTP 200 in ", "tokens:    ",
        "cost:      $0.", "UsageRecord[call ").doesNotContain("E-");
    assertThat(run(() -> StreamingExample.main(new String[0])))
        .contains("provider saw cancellation: true");
    assertThat(run(() -> InterceptorsExample.main(new String[0]))).isNotBlank();
  }

  @Test
  void structuredOutputExampleParsesTheRecordAndTypesTheRefusal() {
    String out = run(() -> StructuredOutputExample.main(new String[0]));

    assertThat(out)
        .contains("parsed:  Invoice[customer=ACME Corp, date=2026-05-04, items=[Item[product=bolt")
        .contains("OpenAI received it as response_format json_schema, strict: true")
        .contains("error:   NOT_JSON: the answer is not complete JSON")
        .contains("rawText: Sorry, I can't read that scan.");
  }

  @Test
  void contentRoutingExamplePrintsTheDeploymentAndTheRulePerRequest() {
    String out = run(() -> ContentRoutingExample.main(new String[0]));

    assertThat(out)
        .contains("-> anthropic/claude-sonnet-4-5", "rule 'reasoning'")
        .contains("rule 'code'", "-> openai/gpt-4.1 ")
        .contains("rule 'classification'", "-> openai/gpt-4.1-nano")
        .contains("rule 'classifier says code'", "rule 'classifier says reasoning'")
        .contains("otherwise (no rule matched)")
        .contains("classifier calls metered: 3");
  }

  @Test
  void abTestExampleKeepsUsersOnTheirVariantAndReportsPerVariantFigures() {
    String out = run(() -> AbTestExample.main(new String[0]));

    assertThat(out).containsPattern("user-1 -> variant (\\w+) .*again: \\1");
    assertThat(out).containsPattern("control +calls=\\d+ errors=0 p50=\\d+ µs");
    assertThat(out).containsPattern("claude +calls=\\d+ errors=0 p50=\\d+ µs");
  }

  @Test
  void usageDeliveryExampleRetriesSpillsAndReplaysEachCallOnce() {
    String out = run(() -> {
      try {
        UsageDeliveryExample.main(new String[0]);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(out).contains("delivered 0, retried", "spilled 5 to the dead-letter file",
        "dead-letter lines: 5", "replayed 5 records; warehouse rows: 5");
  }

  @Test
  void costAndCacheExampleShowsExactCostsAndAFreeCacheHit() {
    String out = run(() -> CostAndCacheExample.main(new String[0]));

    // gpt-4.1-mini: $0.40 / $0.10 cached / $1.60 per million tokens
    assertThat(out)
        .contains("cost $0.0004848") // 1,200 x 0.40 + 3 x 1.60, per million
        .contains("cost $0 (cache hit)")
        .contains("cost $0.00384") // 4,000 x 0.40 + 16,000 cached x 0.10 + 400 x 1.60
        .contains("cost $0.00112") // own price: 1,000 x 0.80 + 100 x 3.20
        .contains("strategy cheapest")
        .contains("billed: 4 calls, $0.0054448");
  }

  @Test
  void budgetsExampleShowsATeamDowngradedAtItsSoftBudgetThenRefusedAtItsLimit() {
    String out = run(() -> BudgetsExample.main(new String[0]));

    assertThat(out)
        .contains("call 1   -> openai/gpt-4.1      $0.1504  spent  15%")
        .contains(">> alert: budget 'support-monthly' of team support reached 50%")
        .contains(">> alert: budget 'support-monthly' of team support reached 80%")
        .contains("call 6   -> openai/gpt-4.1      $0.1504  spent  90%")
        .contains("call 7   -> openai/gpt-4.1-mini $0.03008 spent  93%  downgraded (team budget"
            + " 'support-monthly' at 90%)")
        .contains("critical -> openai/gpt-4.1      $0.0124  spent  94%")
        .contains("reached 100% (a call was refused)")
        .contains("call 10  -> refused: team budget 'support-monthly' has no room for this call:"
            + " $0.97496 of $1 spent (97%) this month")
        .contains("status: spent $0.97496 (97%), reserved $0, remaining $0.02504 of $1 until"
            + " 2027-01-01T00:00:00Z")
        .contains("January  -> openai/gpt-4.1      $0.1504  spent  15%");
  }

  @Test
  void apiKeysExampleShowsTwoTeamsKeysRotatedRevokedAndNoSecret() {
    String out = run(() -> ApiKeysExample.main(new String[0]));

    assertThat(out)
        .contains("search key -> team search: hello from gpt-4.1-mini")
        .contains("support key -> team support: hello from gpt-4.1-mini")
        .contains("old support key, in grace -> team support")
        .contains("old support key, grace over -> refused: API key refused (ROTATED_OUT)")
        .contains("new support key -> team support")
        .contains("revoked search key -> refused: API key refused (REVOKED)")
        .contains("host's own principal -> team ops")
        .contains("audit KEY_ROTATED", "audit KEY_REVOKED", "actor=security@acme")
        .contains("audit AUTHENTICATION_FAILED")
        .contains("secret=<redacted>")
        .containsPattern("team=support IN_GRACE|team=support ROTATED_OUT");
    assertThat(out).doesNotContainPattern("gw_[a-z2-7]{16}_[A-Za-z0-9_-]{43}");
  }

  @Test
  void redisBudgetExampleSharesOneBudgetBetweenTwoInstances() {
    String out = run(() -> RedisBudgetExample.main(new String[0]));

    if (out.contains("redis-server is not installed")) {
      // LLMGATEWAY_REQUIRE_SERVERS=1 (CI, which installs Redis) makes a missing server a failure
      assertThat(System.getenv("LLMGATEWAY_REQUIRE_SERVERS")).as(out).isNotEqualTo("1");
      assertThat(out).contains("apt-get install redis-server");
      return;
    }
    // $0.004024 a call, $0.02 a day; a call reserves up to $0.0040 + its input before it runs
    assertThat(out)
        .contains("call 1 on A: ok", "A sees $0.004024 of $0.02 spent, B sees $0.004024")
        .contains("call 2 on B: ok", "A sees $0.008048 of $0.02 spent, B sees $0.008048")
        .contains("call 4 on B: ok", "A sees $0.016096 of $0.02 spent, B sees $0.016096")
        .contains("call 5 on A: refused: team budget 'team-daily' has no room for this call")
        .contains("call 6 on B: refused: ")
        .contains("health of A: RedisHealth[NORMAL, connected");
  }

  @Test
  void policiesExampleRedactsOnTheWireRestoresForTheCallerAndRefusesWhatPolicyBlocks() {
    String out = run(() -> PoliciesExample.main(new String[0]));

    assertThat(out)
        .contains("provider received: Please write to <EMAIL_1> or call <PHONE_1> about the"
            + " refund to <IBAN_1>.")
        .contains("caller got:        I will write to jane.doe@example.com and call"
            + " +44 20 7946 0958 about DE89 3704 0044 0532 0130 00 today.")
        .contains("caller's deltas:   [Sent to ][jane.doe@example.com.]")
        .contains("requests the provider got for these: 0")
        .contains("refused: the request contains PII the policy set 'standard' blocks"
            + " (CREDIT_CARD x1)")
        .contains("refused: the request was blocked as a likely prompt injection")
        .contains("refused: the answer was blocked by policy 'content-filter-output'")
        .contains("verdicts:          [PolicyVerdict[policy=pii, verdict=would-redact");
    assertThat(out).doesNotContain("4111 1111");
  }

  @Test
  void accessExampleShowsWhatEachTeamMayCallAndRefusalsNamingTheRule() {
    String out = run(() -> AccessExample.main(new String[0]));

    assertThat(out)
        .contains("support -> cheap: Answer from gpt-4.1-mini")
        .contains("support -> smart: refused by 'support-cheap-only'")
        .contains("refused by 'support-cheap-only'", "allows at most 1000")
        .contains("research -> smart: Answer from gpt-4.1",
            "skipped anthropic/claude-sonnet-4-5: denied by access rule 'research-no-anthropic'")
        .contains("research -> anthropic/claude-opus-4-1: refused by 'research-no-anthropic'")
        .contains("service -> smart: Answer from claude-sonnet-4-5")
        .contains("service -> openai/o1-pro: refused by 'no-o1-pro'")
        .contains("analyst (JWT) -> smart: Answer from gpt-4.1",
            "analyst (JWT) -> anthropic/claude-sonnet-4-5: refused by 'research-no-anthropic'");
    assertThat(out).doesNotContainPattern("gw_[a-z2-7]{16}_[A-Za-z0-9_-]{43}")
        .doesNotContainPattern("eyJ[A-Za-z0-9_-]+\\.");
  }

  @Test
  void rateLimitsExampleShowsATeamAtItsLimitADeploymentFailingOverAndAPlanOfItsOwn() {
    String out = run(() -> RateLimitsExample.main(new String[0]));

    assertThat(out)
        .contains("acme support #1 -> Answer from gpt-4.1")
        .contains("acme support #3 -> Answer from claude-sonnet-4-5",
            "skipped openai/gpt-4.1: rate limit 'deployment-openai/gpt-4.1-rpm' (2 attempts per"
                + " minute at deployment openai/gpt-4.1) reached")
        .contains("acme support #4 -> refused by 'team-rpm'",
            "rate limit 'team-rpm' (3 requests per minute per team) reached for team 'support':"
                + " retry after ")
        .contains("globex support #4 -> Answer from claude-sonnet-4-5")
        .contains("team-rpm raised to 5 per minute", "acme support #5 -> Answer from");
  }
}
