package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.spi.AttemptContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How responses, attempts, usage and usage records print: one readable line each, costs in plain
 * notation, the multi-line story of a call, the served model kept only when it is a plain name, and
 * never the content, a key or an end-user id.
 */
@Timeout(10)
class StoryTest {
  private static final Deployment CLAUDE = new Deployment("anthropic", "claude-sonnet-4-5");
  private static final Deployment GPT = new Deployment("openai", "gpt-4.1");
  private static final String ANSWER = "The secret plan is in the drawer.";
  private static final String USER = "alice.sentinel@example.com";
  private static final BigDecimal TINY = new BigDecimal("8E-8");
  private static final RoutingDecision ROUTE = new RoutingDecision(
      List.of("alias smart", "strategy ordered"), null, List.of(CLAUDE, GPT), List.of(), false);
  private static final Attempt OVERLOADED = new Attempt(1, CLAUDE, Attempt.Outcome.FAILED, 529,
      Duration.ofMillis(52).plusNanos(780_000), "ProviderOverloadedException",
      "Overloaded; retrying in 488 ms", Usage.ZERO, Attempt.Kind.FIRST);
  private static final Attempt RETRIED = new Attempt(2, CLAUDE, Attempt.Outcome.FAILED, 529,
      Duration.ofMillis(9).plusNanos(560_000), "ProviderOverloadedException",
      "Overloaded; retries exhausted; failing over", Usage.ZERO, Attempt.Kind.RETRY);
  private static final Attempt ANSWERED = new Attempt(3, GPT, Attempt.Outcome.SUCCEEDED, 200,
      Duration.ofMillis(41).plusNanos(520_000), null, null, Usage.of(96, 9),
      Attempt.Kind.FAILOVER);

  // ---- one line each

  @Test
  void usagePrintsOnlyTheCountsThatAreNotZero() {
    assertThat(Usage.of(96, 9)).hasToString("Usage[96 in, 9 out]");
    assertThat(Usage.ZERO).hasToString("Usage[0 in, 0 out]");
    assertThat(new Usage(1412, 11, 1024, 256, 200, 3, true)).hasToString(
        "Usage[1412 in (1024 cached, 256 cache writes, 200 of them 1h), 11 out (3 reasoning),"
            + " estimated]");
    assertThat(new Usage(100, 5, 0, 40, 0, false)).hasToString("Usage[100 in (40 cache writes),"
        + " 5 out]");
  }

  @Test
  void anAttemptPrintsOneLineWithItsStatusLatencyTokensAndReason() {
    assertThat(OVERLOADED).hasToString("Attempt[#1 anthropic/claude-sonnet-4-5 FAILED HTTP 529 in"
        + " 52.78 ms: ProviderOverloadedException: Overloaded; retrying in 488 ms]");
    assertThat(RETRIED).hasToString("Attempt[#2 anthropic/claude-sonnet-4-5 (retry) FAILED HTTP"
        + " 529 in 9.56 ms: ProviderOverloadedException: Overloaded; retries exhausted; failing"
        + " over]");
    assertThat(ANSWERED).hasToString(
        "Attempt[#3 openai/gpt-4.1 (failover) SUCCEEDED HTTP 200 in 41.52 ms, 96 in, 9 out]");
    assertThat(new Attempt(0, GPT, Attempt.Outcome.SKIPPED, null, Duration.ZERO, null,
        "circuit open", Usage.ZERO, Attempt.Kind.FAILOVER))
        .hasToString("Attempt[openai/gpt-4.1 (failover) SKIPPED: circuit open]");
    assertThat(new Attempt(2, GPT, Attempt.Outcome.CANCELLED, 200, Duration.ofMillis(3), null,
        "lost the hedge to anthropic/claude-sonnet-4-5", Usage.estimate(12, 4), Attempt.Kind.HEDGE))
        .hasToString("Attempt[#2 openai/gpt-4.1 (hedge) CANCELLED HTTP 200 in 3.00 ms, 12 in, 4"
            + " out, estimated: lost the hedge to anthropic/claude-sonnet-4-5]");
  }

  @Test
  void aChatResponsePrintsOneLineWithAPlainCostAndNeverItsText() {
    ChatResponse response = answered().cost(TINY).build();

    assertThat(response).hasToString("ChatResponse[callId=cd4q-2, deployment=openai/gpt-4.1,"
        + " servedModel=gpt-4.1-2025-04-14, finishReason=STOP, usage=Usage[96 in, 9 out],"
        + " attempts=3, latency=1515.98 ms, cost=$0.00000008, text=33 chars, toolCalls=0]");
    assertThat(response.toString()).doesNotContain(ANSWER).doesNotContain("E-8");
  }

  @ParameterizedTest
  @ValueSource(strings = {"8E-8", "0.0000000800", "8.000E-8"})
  void costsPrintInPlainNotationWithoutTrailingZeros(String cost) {
    BigDecimal value = new BigDecimal(cost);
    ChatResponse response = answered().cost(value).build();
    EmbeddingResponse vectors = EmbeddingResponse.of(List.of(new float[] {1f}), Usage.of(3, 0),
        GPT).withStory("e-1", List.of(), Duration.ofMillis(2), Usage.of(3, 0), value, false, null);
    UsageRecord record = record(value);

    for (String printed : List.of(response.toString(), response.story(), vectors.toString(),
        vectors.story(), record.toString(), record.story())) {
      assertThat(printed).contains("$0.00000008").doesNotContain("E-").doesNotContain("800");
    }
  }

  @Test
  void aZeroCostIsZeroDollars() {
    assertThat(answered().cost(new BigDecimal("0.000000")).build().story()).endsWith("cost:"
        + "      $0");
  }

  @Test
  void aUsageRecordPrintsOneLineWithItsPrincipalRedacted() {
    UsageRecord record = record(new BigDecimal("0.000264"));

    assertThat(record).hasToString("UsageRecord[call cd4q-2 CHAT SUCCEEDED smart → openai/gpt-4.1"
        + " (model gpt-4.1-2025-04-14), 3 attempts, 96 in, 9 out, $0.000264, 1515.98 ms,"
        + " at 2025-01-01T10:00:00Z, Principal[team=support, user=<redacted>], tags [a, b]]");
    assertThat(record.toString()).doesNotContain(USER);
  }

  @Test
  void aRecordNamesADeploymentAskedForByNameOnceAndItsTimeToTheMillisecond() {
    UsageRecord record = new UsageRecord("c-7", Instant.parse("2025-01-01T10:00:00.123456789Z"),
        CallKind.STREAM, null, "openai/gpt-4.1", GPT, "gpt-4.1", List.of(ANSWERED),
        Usage.of(96, 9), null, Duration.ofMillis(50), Duration.ofMillis(20),
        UsageRecord.Outcome.SUCCEEDED, null, Set.of(), false, null);

    assertThat(record).hasToString("UsageRecord[call c-7 STREAM SUCCEEDED openai/gpt-4.1,"
        + " 1 attempt, 96 in, 9 out, cost unknown, 50.00 ms (first token 20.00 ms),"
        + " at 2025-01-01T10:00:00.123Z]");
    assertThat(record.story()).startsWith("call c-7 STREAM SUCCEEDED: openai/gpt-4.1 in 50.00 ms,"
        + " first token after 20.00 ms\n");
  }

  // ---- the story

  @Test
  void aChatResponseTellsItsStoryOnAFewLines() {
    ChatResponse response = answered().cost(new BigDecimal("0.000264000")).build();

    assertThat(response.story()).isEqualTo(String.join("\n",
        "call cd4q-2 served by openai/gpt-4.1 (model gpt-4.1-2025-04-14) in 1515.98 ms",
        "  route:     alias smart → strategy ordered; plan [anthropic/claude-sonnet-4-5,"
            + " openai/gpt-4.1]",
        "  attempt 1: anthropic/claude-sonnet-4-5 FAILED HTTP 529 in 52.78 ms:"
            + " ProviderOverloadedException: Overloaded; retrying in 488 ms",
        "  attempt 2: anthropic/claude-sonnet-4-5 (retry) FAILED HTTP 529 in 9.56 ms:"
            + " ProviderOverloadedException: Overloaded; retries exhausted; failing over",
        "  attempt 3: openai/gpt-4.1 (failover) SUCCEEDED HTTP 200 in 41.52 ms",
        "  tokens:    96 in, 9 out",
        "  cost:      $0.000264"));
    assertThat(response.story()).doesNotContain(ANSWER);
  }

  @Test
  void aStreamsStoryTellsTheTimeToFirstTokenAndOmitsAServedModelEqualToTheDeployments() {
    ChatResponse response = ChatResponse.builder().callId("cd4q-3").text(ANSWER)
        .deployment(new Deployment("gemini", "gemini-2.5-flash")).servedModel("gemini-2.5-flash")
        .attempts(List.of(new Attempt(1, new Deployment("gemini", "gemini-2.5-flash"),
            Attempt.Outcome.SUCCEEDED, 200, Duration.ofMillis(30), null, null, Usage.of(9, 6))))
        .usage(Usage.of(9, 6)).latency(Duration.ofMillis(31).plusNanos(130_000))
        .timeToFirstToken(Duration.ofMillis(29).plusNanos(10_000)).build();

    assertThat(response.story()).isEqualTo(String.join("\n",
        "call cd4q-3 served by gemini/gemini-2.5-flash in 31.13 ms, first token after 29.01 ms",
        "  attempt 1: gemini/gemini-2.5-flash SUCCEEDED HTTP 200 in 30.00 ms",
        "  tokens:    9 in, 6 out",
        "  cost:      unknown (no price for a deployment it used)"));
  }

  @Test
  void aStoryTellsACacheHitAndAnInterceptorsAnswer() {
    ChatResponse hit = ChatResponse.builder().callId("c-9").text(ANSWER).deployment(GPT)
        .cacheHit(true).cost(BigDecimal.ZERO).routing(RoutingDecision.CACHE_HIT)
        .latency(Duration.ofNanos(120_000)).build();
    ChatResponse own = ChatResponse.builder().callId("c-10").text(ANSWER)
        .latency(Duration.ofSeconds(12).plusMillis(346)).build();

    assertThat(hit.story()).isEqualTo(String.join("\n",
        "call c-9 served by openai/gpt-4.1 from the cache in 0.12 ms",
        "  route:     cache hit; plan []",
        "  tokens:    0 in, 0 out",
        "  cost:      $0"));
    assertThat(own.story()).startsWith("call c-10 answered by an interceptor in 12.35 s\n");
  }

  @Test
  void skippedCandidatesAreTheRoutesToTellWhenThereIsOne() {
    Attempt skipped = new Attempt(0, CLAUDE, Attempt.Outcome.SKIPPED, null, Duration.ZERO, null,
        "circuit open", Usage.ZERO, Attempt.Kind.FIRST);
    ChatResponse.Builder b = answered().attempts(List.of(skipped, ANSWERED));

    assertThat(b.build().story()).doesNotContain("skipped:");
    assertThat(b.routing(null).build().story())
        .contains("\n  skipped:   anthropic/claude-sonnet-4-5: circuit open\n");
  }

  @Test
  void embeddingsTellTheirStoryWithTheNumberOfVectors() {
    EmbeddingResponse vectors = EmbeddingResponse.of(
            List.of(new float[] {0.1f, 0.2f}, new float[] {0.3f, 0.4f}), Usage.of(17, 0),
            new Deployment("openai", "text-embedding-3-small"), "text-embedding-3-small")
        .withStory("e-4", List.of(new Attempt(1, new Deployment("openai",
                "text-embedding-3-small"), Attempt.Outcome.SUCCEEDED, 200, Duration.ofMillis(7),
                null, null, Usage.of(17, 0))), Duration.ofMillis(8), Usage.of(17, 0),
            new BigDecimal("3.4E-7"), false, null);

    assertThat(vectors.servedModel()).isEqualTo("text-embedding-3-small");
    assertThat(vectors.story()).isEqualTo(String.join("\n",
        "call e-4 served by openai/text-embedding-3-small in 8.00 ms: 2 vectors",
        "  attempt 1: openai/text-embedding-3-small SUCCEEDED HTTP 200 in 7.00 ms",
        "  tokens:    17 in, 0 out",
        "  cost:      $0.00000034"));
    assertThat(vectors.toString()).doesNotContain("0.1").contains("vectors=2");
  }

  @Test
  void aFailedCallsRecordTellsItsStoryWithTheCallerRedacted() {
    Principal alice = Principal.builder().team("support").user(USER).build();
    UsageRecord record = new UsageRecord("cd4q-5", Instant.parse("2025-01-01T10:00:00Z"),
        CallKind.STREAM, alice, "smart", CLAUDE, null, List.of(OVERLOADED, RETRIED), Usage.ZERO,
        BigDecimal.ZERO, Duration.ofMillis(600), null, UsageRecord.Outcome.FAILED,
        "AllCandidatesFailedException", Set.of("beta"), false, ROUTE);

    assertThat(record.story()).isEqualTo(String.join("\n",
        "call cd4q-5 STREAM FAILED (AllCandidatesFailedException): smart →"
            + " anthropic/claude-sonnet-4-5 in 600.00 ms",
        "  caller:    Principal[team=support, user=<redacted>]",
        "  tags:      beta",
        "  route:     alias smart → strategy ordered; plan [anthropic/claude-sonnet-4-5,"
            + " openai/gpt-4.1]",
        "  attempt 1: anthropic/claude-sonnet-4-5 FAILED HTTP 529 in 52.78 ms:"
            + " ProviderOverloadedException: Overloaded; retrying in 488 ms",
        "  attempt 2: anthropic/claude-sonnet-4-5 (retry) FAILED HTTP 529 in 9.56 ms:"
            + " ProviderOverloadedException: Overloaded; retries exhausted; failing over",
        "  tokens:    0 in, 0 out",
        "  cost:      $0"));
    assertThat(record.story()).doesNotContain(USER);
  }

  // ---- the served model

  @Test
  void theServedModelTravelsWithTheResponseAndItsBuilder() {
    ChatResponse response = answered().build();

    assertThat(response.servedModel()).isEqualTo("gpt-4.1-2025-04-14");
    assertThat(response.toBuilder().build().servedModel()).isEqualTo("gpt-4.1-2025-04-14");
    assertThat(response.toBuilder().servedModel(null).build().servedModel()).isNull();
  }

  @Test
  void aServedModelOfAtMost256PlainCharactersIsKept() {
    String longest = "m".repeat(256);

    assertThat(answered().servedModel(longest).build().servedModel()).isEqualTo(longest);
    assertThat(EmbeddingResponse.of(List.of(), Usage.ZERO, GPT, longest).servedModel())
        .isEqualTo(longest);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "gpt-4.1\nattempt 9: forged", "gpt\u0000", "gpt\u009b31m",
      "tab\there"})
  void aServedModelThatIsBlankOrHoldsAControlCharacterIsDropped(String hostile) {
    assertThat(answered().servedModel(hostile).build().servedModel()).isNull();
    assertThat(EmbeddingResponse.of(List.of(), Usage.ZERO, GPT, hostile).servedModel()).isNull();
    assertThat(new UsageRecord("c", Instant.EPOCH, CallKind.CHAT, null, "m", GPT, hostile,
        List.of(), Usage.ZERO, null, Duration.ZERO, null, UsageRecord.Outcome.SUCCEEDED, null,
        Set.of(), false, null).servedModel()).isNull();
  }

  @Test
  void aServedModelLongerThan256CharactersIsDroppedNotCut() {
    String hostile = "gpt-4.1-" + "x".repeat(10_000);

    ChatResponse response = answered().servedModel(hostile).build();

    assertThat(response.servedModel()).isNull();
    assertThat(response.story()).doesNotContain("xxx");
    assertThat(EmbeddingResponse.of(List.of(), Usage.ZERO, GPT, "m".repeat(257)).servedModel())
        .isNull();
  }

  // ---- the status of a success

  @Test
  void aTransportReportsTheHttpStatusOnItsAttempt() {
    AttemptContext attempt = AttemptContext.standalone(GPT);
    assertThat(attempt.httpStatus()).isNull();

    attempt.responded(200);

    assertThat(attempt.httpStatus()).isEqualTo(200);
    attempt.responded(999);
    assertThat(attempt.httpStatus()).isEqualTo(999);
    assertThatThrownBy(() -> attempt.responded(99)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an HTTP status has three digits, was 99");
    assertThatThrownBy(() -> attempt.responded(1000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static ChatResponse.Builder answered() {
    return ChatResponse.builder().callId("cd4q-2").text(ANSWER).deployment(GPT)
        .servedModel("gpt-4.1-2025-04-14").attempts(List.of(OVERLOADED, RETRIED, ANSWERED))
        .usage(Usage.of(96, 9)).latency(Duration.ofMillis(1515).plusNanos(980_000))
        .routing(ROUTE);
  }

  private static UsageRecord record(BigDecimal cost) {
    return new UsageRecord("cd4q-2", Instant.parse("2025-01-01T10:00:00Z"), CallKind.CHAT,
        Principal.builder().team("support").user(USER).build(), "smart", GPT,
        "gpt-4.1-2025-04-14", List.of(OVERLOADED, RETRIED, ANSWERED), Usage.of(96, 9), cost,
        Duration.ofMillis(1515).plusNanos(980_000), null, UsageRecord.Outcome.SUCCEEDED, null,
        Set.of("b", "a"), false, ROUTE);
  }
}
