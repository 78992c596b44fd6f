package dev.llmgateway.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.RequestNeeds;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one capability rule in routing: a reasoning request skips a candidate without reasoning (the
 * check routing used to omit) and is served by the next; a transport that refuses at send time
 * what its capabilities claimed fails over instead of failing the call.
 */
@Timeout(30)
class ReasoningCapabilityTest {
  private static final ModelCapabilities NO_REASONING = new ModelCapabilities(
      true, true, true, true, true, true, false, false, 0, 0);
  private static final ChatRequest THINK = ChatRequest.builder("smart").user("Prove it.")
      .reasoning(ReasoningConfig.effort(ReasoningConfig.Effort.HIGH)).build();

  @Test
  void aReasoningRequestSkipsACandidateWithoutReasoningAndTheNextServesIt() {
    Answering plain = new Answering("plain", NO_REASONING, false);
    Answering thinker = new Answering("thinker", ModelCapabilities.CHAT_ALL, false);
    try (Gateway gateway = Gateway.builder().provider(plain).provider(thinker)
        .alias("smart", Route.fallback("plain/m", "thinker/m")).build()) {

      ChatResponse answer = gateway.chat(THINK);

      assertThat(answer.text()).isEqualTo("from thinker");
      assertThat(plain.seen).isEmpty();
      assertThat(answer.routing().skipped()).containsExactly(
          new RoutingDecision.Skip(Deployment.parse("plain/m"), "no reasoning"));
      assertThat(answer.routing().plan()).containsExactly(Deployment.parse("thinker/m"));
    }
  }

  @Test
  void theSameRequestWithoutReasoningGoesToTheFirstCandidate() {
    Answering plain = new Answering("plain", NO_REASONING, false);
    Answering thinker = new Answering("thinker", ModelCapabilities.CHAT_ALL, false);
    try (Gateway gateway = Gateway.builder().provider(plain).provider(thinker)
        .alias("smart", Route.fallback("plain/m", "thinker/m")).build()) {

      assertThat(gateway.chat(ChatRequest.of("smart", "Hi")).text()).isEqualTo("from plain");
    }
  }

  @Test
  void aTransportRefusingWhatItsCapabilitiesClaimedFailsOverToTheNextCandidate() {
    Answering stale = new Answering("stale", ModelCapabilities.CHAT_ALL, true);
    Answering thinker = new Answering("thinker", ModelCapabilities.CHAT_ALL, false);
    try (Gateway gateway = Gateway.builder().provider(stale).provider(thinker)
        .alias("smart", Route.fallback("stale/m", "thinker/m")).build()) {

      ChatResponse answer = gateway.chat(THINK);

      assertThat(answer.text()).isEqualTo("from thinker");
      assertThat(answer.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
      assertThat(answer.attempts().get(0).reason()).contains("no reasoning").contains("failing over");
      assertThat(answer.attempts().get(1).kind()).isEqualTo(Attempt.Kind.FAILOVER);
    }
  }

  @Test
  void whenNoCandidateCanReasonTheCallIsRefusedNamingEachReason() {
    Answering plain = new Answering("plain", NO_REASONING, false);
    try (Gateway gateway = Gateway.builder().provider(plain)
        .alias("smart", Route.fallback("plain/m", "plain/n")).build()) {

      assertThatThrownBy(() -> gateway.chat(THINK))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("plain/m: no reasoning")
          .hasMessageContaining("plain/n: no reasoning");
      assertThat(plain.seen).isEmpty();
    }
  }

  /** Answers with its name; refuses by the shared rule when told its table is stale. */
  private static final class Answering implements Provider {
    final String name;
    final ModelCapabilities capabilities;
    final boolean refusesReasoning;
    final List<ChatRequest> seen = new CopyOnWriteArrayList<>();

    Answering(String name, ModelCapabilities capabilities, boolean refusesReasoning) {
      this.name = name;
      this.capabilities = capabilities;
      this.refusesReasoning = refusesReasoning;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public ModelCapabilities capabilities(String model) {
      return capabilities;
    }

    @Override
    public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
      ModelCapabilities real = refusesReasoning ? NO_REASONING : capabilities;
      RequestNeeds.of(request, dev.llmgateway.CallKind.CHAT)
          .requireMetBy(real, ErrorDetails.of(attempt.deployment()));
      seen.add(request);
      return ChatResponse.builder().text("from " + name).usage(Usage.of(4, 3))
          .deployment(attempt.deployment()).build();
    }

    @Override
    public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
      throw new UnsupportedOperationException("unary only");
    }
  }
}
