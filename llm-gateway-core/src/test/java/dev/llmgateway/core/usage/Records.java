package dev.llmgateway.core.usage;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallKind;
import dev.llmgateway.Deployment;
import dev.llmgateway.Principal;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Usage records for the usage tests: a plain one per call id, and one with every part set. */
final class Records {
  static final Instant AT = Instant.parse("2026-12-07T10:00:00.123Z");

  private Records() {}

  /** A succeeded chat call of team search, 96 tokens in and 9 out, $0.000264. */
  static UsageRecord call(String callId) {
    return new UsageRecord(callId, AT, CallKind.CHAT, Principal.of("search", "u-17"), "smart",
        Deployment.parse("openai/gpt-4.1-mini"), null, List.of(), Usage.of(96, 9),
        new BigDecimal("0.000264"), Duration.ofMillis(12), null, UsageRecord.Outcome.SUCCEEDED,
        null, Set.of(), false, null);
  }

  /** The schema's own example: a failover after a 529, a variant, tags, a full principal. */
  static UsageRecord full() {
    Principal principal = Principal.builder().org("acme").team("search").project("web")
        .user("u-17").keyId("key-1").build();
    Usage zero = Usage.ZERO;
    Attempt failed = new Attempt(1, Deployment.parse("openai/gpt-4.1"), Attempt.Outcome.FAILED,
        529, Duration.ofNanos(20_100_000), "ProviderOverloadedException", "529 overloaded_error",
        zero, Attempt.Kind.FIRST);
    Attempt served = new Attempt(2, Deployment.parse("openai/gpt-4.1-mini"),
        Attempt.Outcome.SUCCEEDED, 200, Duration.ofNanos(1_495_000_000), null, null,
        Usage.of(96, 9), Attempt.Kind.FAILOVER);
    RoutingDecision decision = new RoutingDecision(List.of("alias smart", "variant cheapest"),
        "cheapest", List.of(Deployment.parse("openai/gpt-4.1")), List.of(), false);
    return new UsageRecord("cd4q-2", AT, CallKind.CHAT, principal, "smart",
        Deployment.parse("openai/gpt-4.1-mini"), "gpt-4.1-mini-2025-04-14",
        List.of(failed, served), Usage.of(96, 9), new BigDecimal("0.000264"),
        Duration.ofNanos(1_515_980_000), null, UsageRecord.Outcome.SUCCEEDED, null,
        Set.of("checkout", "beta"), false, decision);
  }
}
