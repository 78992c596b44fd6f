package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.core.route.Classifier;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Route;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A classifier is asked once per call, its failures do not fail the call, and it cannot recurse. */
class ClassifierTest {
  private final StubProvider stub = new StubProvider("stub");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private Gateway gateway;

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void twoRulesAskingTheSameClassifierAskItOnce() {
    AtomicInteger asked = new AtomicInteger();
    Classifier counting = in -> {
      asked.incrementAndGet();
      return "chat";
    };
    gateway = Gateway.builder().provider(stub)
        .alias("auto", Route.rules()
            .when("code", Condition.classifiedAs(counting, "code"), "stub/coder")
            .when("chat", Condition.classifiedAs(counting, "chat"), "stub/chatter")
            .otherwise("stub/other"))
        .build();

    ChatResponse answer = gateway.chat(ChatRequest.of("auto", "hello"));

    assertThat(asked).hasValue(1);
    assertThat(answer.deployment()).hasToString("stub/chatter");
    assertThat(answer.routing().path()).contains("rule 'chat' (classified as 'chat')");
  }

  @Test
  void aThrowingClassifierMatchesNothingAndTheCallStillRoutes() {
    gateway = Gateway.builder().provider(stub)
        .alias("auto", Route.rules()
            .when("code", Condition.classifiedAs(in -> {
              throw new IllegalStateException("model down");
            }, "code"), "stub/coder")
            .otherwise("stub/other"))
        .build();

    assertThat(gateway.chat(ChatRequest.of("auto", "hello")).deployment())
        .hasToString("stub/other");
  }

  @Test
  void aClassifierWhoseModelIsTheAliasItClassifiesForDoesNotRecurse() {
    stub.deltas = r -> List.of("code");
    Classifier self = Classifier.viaModel("auto", "code", "chat");
    gateway = Gateway.builder().provider(stub).usageSink(usage)
        .alias("auto", Route.rules()
            .when("code", Condition.classifiedAs(self, "code"), "stub/coder")
            .otherwise("stub/other"))
        .build();

    ChatResponse answer = gateway.chat(ChatRequest.of("auto", "write a parser"));

    // the classifier's own call could not ask itself, went to 'otherwise' and answered "code"
    assertThat(answer.deployment()).hasToString("stub/coder");
    assertThat(usage.records()).hasSize(2);
    assertThat(usage.records().get(0).tags()).containsExactly("classifier");
    assertThat(usage.records().get(0).deployment()).hasToString("stub/other");
  }
}
