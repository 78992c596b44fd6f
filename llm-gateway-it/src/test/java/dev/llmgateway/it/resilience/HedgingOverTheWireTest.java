package dev.llmgateway.it.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.resilience.HedgePolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.testing.wire.MockFault;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hedged requests over real sockets (real waits of 60 ms): a first attempt that stays silent past
 * the threshold gets the next candidate beside it; the first to produce wins, the other's HTTP
 * call is cancelled; both attempts are in the story and both attempts' tokens in the usage
 * record. A first attempt that answers in time is never hedged.
 */
class HedgingOverTheWireTest {
  @RegisterExtension
  final TwoMockProviders wire = new TwoMockProviders();
  private final OpenAiMockServer a = wire.a;
  private final OpenAiMockServer b = wire.b;
  private final CancelledCalls cancelledAtA = new CancelledCalls();
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private Gateway gateway;

  @BeforeAll
  static void warmUp() {
    Warmup.once();
  }

  private GatewayBuilder builder() {
    return wire.builder(cancelledAtA.client())
        .alias("hedged", Route.fallback("a/gpt-4.1", "b/gpt-4.1")
            .hedge(HedgePolicy.after(Duration.ofMillis(60))))
        .usageSink(usage);
  }

  @Test
  void aSilentFirstAttemptIsHedgedAndTheLoserCancelled() throws Exception {
    gateway = wire.build(builder());
    a.fault(MockFault.STALL_BEFORE_HEADERS, List.of());
    b.replyText("the hedge won", Usage.of(7, 3));

    ChatResponse answer = gateway.chat(ChatRequest.of("hedged", "Hello there"));

    assertThat(answer.text()).isEqualTo("the hedge won");
    assertThat(answer.attempts()).extracting(Attempt::kind, Attempt::outcome)
        .containsExactlyInAnyOrder(
            tuple(Attempt.Kind.FIRST, Attempt.Outcome.CANCELLED),
            tuple(Attempt.Kind.HEDGE, Attempt.Outcome.SUCCEEDED));
    Attempt loser = answer.attempts().stream()
        .filter(x -> x.outcome() == Attempt.Outcome.CANCELLED).findFirst().orElseThrow();
    assertThat(loser.reason()).isEqualTo("lost the hedge to b/gpt-4.1");
    assertThat(loser.usage().estimated()).isTrue();
    assertThat(loser.usage().inputTokens()).isPositive();
    assertThat(cancelledAtA.awaitOne()).as("the loser's HTTP call was cancelled").isTrue();
    UsageRecord record = usage.last();
    assertThat(record.usage().inputTokens())
        .as("both attempts' tokens").isEqualTo(7 + loser.usage().inputTokens());
    assertThat(record.usage().estimated()).isTrue();
  }

  @Test
  void aSilentStreamIsHedgedAndTheFirstToProduceWins() throws Exception {
    gateway = wire.build(builder());
    a.fault(MockFault.STALL_MID_STREAM, List.of());
    b.streamText(List.of("hedge ", "won"), Usage.of(7, 2));

    ChatResponse answer = gateway.stream(ChatRequest.of("hedged", "Hello there")).collect();

    assertThat(answer.text()).isEqualTo("hedge won");
    assertThat(answer.attempts()).extracting(Attempt::kind)
        .containsExactlyInAnyOrder(Attempt.Kind.FIRST, Attempt.Kind.HEDGE);
    assertThat(answer.attempts()).filteredOn(x -> x.kind() == Attempt.Kind.FIRST)
        .singleElement().satisfies(x -> {
          assertThat(x.outcome()).isEqualTo(Attempt.Outcome.CANCELLED);
          assertThat(x.reason()).isEqualTo("lost the hedge to b/gpt-4.1");
        });
    assertThat(a.awaitClientDisconnect()).as("the loser's stream was hung up").isTrue();
    assertThat(usage.last().usage().inputTokens()).isGreaterThan(7);
  }

  @Test
  void aFirstAttemptThatAnswersInTimeIsNotHedged() {
    gateway = wire.build(builder());
    a.replyText("quick", Usage.of(5, 1)).streamText(List.of("qu", "ick"), Usage.of(5, 1));

    assertThat(gateway.chat(ChatRequest.of("hedged", "Hi")).attempts()).hasSize(1);
    assertThat(gateway.stream(ChatRequest.of("hedged", "Hi")).collect().attempts()).hasSize(1);
    assertThat(b.requestCount()).isZero();
  }
}
