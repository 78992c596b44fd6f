package dev.llmgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.route.Route;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

@Timeout(30)
class FakeGatewayExtensionTest {
  /** Set only by {@link #run(Class)}: the sample test classes below run only inside it. */
  private static final String RUN_BY_TESTKIT = "dev.llmgateway.testing.run-by-testkit";

  /** What the sample test classes saw, for the assertions after their run. */
  private static final List<FakeProvider> FAKES = new CopyOnWriteArrayList<>();
  private static final List<Gateway> GATEWAYS = new CopyOnWriteArrayList<>();
  private static final List<InMemoryUsageSink> SINKS = new CopyOnWriteArrayList<>();

  private static Events run(Class<?> testClass) {
    FAKES.clear();
    GATEWAYS.clear();
    SINKS.clear();
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter(RUN_BY_TESTKIT, "true")
        .selectors(selectClass(testClass))
        .execute()
        .testEvents();
  }

  // --- run through the JUnit Platform: what the extension does to a test's outcome ---

  @Test
  void aTestThatLeavesAScriptedStepUnconsumedFails() {
    Events events = run(LeavesAStepUnconsumed.class);

    events.assertStatistics(stats -> stats.started(1).succeeded(0).failed(1));
    events.assertThatEvents().haveExactly(1, event(test("usesOneOfTwoReplies"),
        finishedWithFailure(instanceOf(AssertionError.class),
            message(m -> m.contains("model 'gpt-4o': 1 step left: reply(3 chars)")))));
    assertThat(FAKES).singleElement().satisfies(fake -> assertThat(fake.isClosed()).isTrue());
  }

  @Test
  void aTestThatFailsOnItsOwnKeepsItsOwnFailure() {
    Events events = run(FailsOnItsOwn.class);

    events.assertStatistics(stats -> stats.started(1).failed(1));
    events.assertThatEvents().haveExactly(1, event(test("failsWithStepsLeft"),
        finishedWithFailure(instanceOf(IllegalStateException.class),
            message("the test's own failure"))));
    assertThat(FAKES).singleElement().satisfies(fake -> assertThat(fake.isClosed()).isTrue());
  }

  @Test
  void allowUnconsumedLetsATestEndWithStepsLeft() {
    run(OptsOutOfTheCheck.class).assertStatistics(stats -> stats.started(1).succeeded(1));

    assertThat(FAKES).singleElement().satisfies(fake -> {
      assertThat(fake.onAnyModel().remaining()).isEqualTo(1);
      assertThat(fake.isClosed()).isTrue();
    });
  }

  @Test
  void eachTestGetsAFreshGatewayFakeAndSinkThatAreClosedAfterIt() {
    run(TwoTestsWithAStaticExtension.class)
        .assertStatistics(stats -> stats.started(2).succeeded(2));

    assertThat(FAKES).hasSize(2).doesNotHaveDuplicates()
        .allSatisfy(fake -> assertThat(fake.isClosed()).isTrue());
    assertThat(GATEWAYS).hasSize(2).doesNotHaveDuplicates();
    assertThat(SINKS).hasSize(2).doesNotHaveDuplicates()
        .allSatisfy(sink -> assertThat(sink.size()).isEqualTo(1));
  }

  @Test
  void aGatewayThatCannotBeBuiltFailsTheTestWithTheBuildersMessage() {
    Events events = run(CannotBuildItsGateway.class);

    events.assertThatEvents().haveExactly(1, event(test("neverRuns"),
        finishedWithFailure(instanceOf(IllegalStateException.class),
            message(m -> m.contains("no provider is named 'nowhere'")))));
  }

  @Test
  void theAccessorsSayWhenNoTestIsRunning() {
    FakeGatewayExtension extension = new FakeGatewayExtension();

    assertThatThrownBy(extension::gateway)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only available while a test runs");
  }

  // --- used directly ---

  @Nested
  @ExtendWith(FakeGatewayExtension.class)
  class WhenDeclaredWithExtendWith {
    private Gateway beforeEachGateway;
    private FakeProvider beforeEachFake;

    @BeforeEach
    void receiveTheSameObjects(Gateway gateway, FakeProvider fake) {
      beforeEachGateway = gateway;
      beforeEachFake = fake;
    }

    @Test
    void injectsTheTestsGatewayFakeAndUsageSink(Gateway gateway, FakeProvider fake,
        InMemoryUsageSink usage) {
      assertThat(gateway).isSameAs(beforeEachGateway);
      assertThat(fake).isSameAs(beforeEachFake);
      fake.on("gpt-4o").reply("Hello!");

      ChatResponse response = gateway.chat(ChatRequest.of("gpt-4o", "Hi"));

      assertThat(response.text()).isEqualTo("Hello!");
      assertThat(fake.callCount()).isEqualTo(1);
      assertThat(usage.last().deployment()).isEqualTo(new Deployment("fake", "gpt-4o"));
      assertThat(usage.last().outcome()).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
    }
  }

  @Nested
  class WhenRegisteredWithACustomisedGateway {
    @RegisterExtension
    final FakeGatewayExtension gw = FakeGatewayExtension
        .withGateway(builder -> builder.alias("smart", Route.fallback("fake/a", "fake/b")));

    @Test
    void appliesTheCustomiserAndExposesTheTestsObjects() {
      gw.fake().on("a").fail(new ProviderUnavailableException("down"));
      gw.fake().on("b").reply("from b");

      ChatResponse response = gw.gateway().chat(ChatRequest.of("smart", "Hi"));

      assertThat(response.text()).isEqualTo("from b");
      assertThat(response.deployment()).isEqualTo(new Deployment("fake", "b"));
      assertThat(gw.usage().last().attempts()).hasSize(2);
    }
  }

  @Nested
  class WhenTheFakeIsCustomised {
    @RegisterExtension
    final FakeGatewayExtension gw =
        new FakeGatewayExtension().withFake(fake -> fake.name("mock-openai"));

    @Test
    void servesThroughTheCustomisedFake(Gateway gateway, FakeProvider fake) {
      assertThat(fake).isSameAs(gw.fake());
      fake.on("gpt-4o").reply("ok");

      assertThat(gateway.chat(ChatRequest.of("mock-openai/gpt-4o", "Hi")).deployment())
          .isEqualTo(new Deployment("mock-openai", "gpt-4o"));
    }
  }

  // --- sample test classes, run only through run(...) ---

  /** Enables a sample test class only when {@link #run(Class)} runs it. */
  static final class OnlyInTestKit implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(RUN_BY_TESTKIT).isPresent()
          ? ConditionEvaluationResult.enabled("run by FakeGatewayExtensionTest")
          : ConditionEvaluationResult.disabled("a sample run only by FakeGatewayExtensionTest");
    }
  }

  @ExtendWith({OnlyInTestKit.class, FakeGatewayExtension.class})
  static class LeavesAStepUnconsumed {
    @Test
    void usesOneOfTwoReplies(Gateway gateway, FakeProvider fake) {
      FAKES.add(fake);
      fake.on("gpt-4o").reply("one").reply("two");

      gateway.chat(ChatRequest.of("gpt-4o", "Hi"));
    }
  }

  @ExtendWith({OnlyInTestKit.class, FakeGatewayExtension.class})
  static class FailsOnItsOwn {
    @Test
    void failsWithStepsLeft(FakeProvider fake) {
      FAKES.add(fake);
      fake.on("gpt-4o").reply("never used");

      throw new IllegalStateException("the test's own failure");
    }
  }

  @ExtendWith(OnlyInTestKit.class)
  static class OptsOutOfTheCheck {
    @RegisterExtension
    static final FakeGatewayExtension GW = new FakeGatewayExtension();

    @Test
    void leavesAStepOnPurpose() {
      FAKES.add(GW.fake());
      GW.fake().onAnyModel().reply("kept for later");

      GW.allowUnconsumed();
    }
  }

  @ExtendWith(OnlyInTestKit.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class TwoTestsWithAStaticExtension {
    @RegisterExtension
    static final FakeGatewayExtension GW = new FakeGatewayExtension();

    @Test
    @Order(1)
    void first() {
      callOnce();
    }

    @Test
    @Order(2)
    void second() {
      callOnce();
    }

    private static void callOnce() {
      FAKES.add(GW.fake());
      GATEWAYS.add(GW.gateway());
      SINKS.add(GW.usage());
      GW.fake().on("gpt-4o").reply("hello");
      assertThat(GW.fake().callCount()).isZero();
      GW.gateway().chat(ChatRequest.of("gpt-4o", "Hi"));
    }
  }

  @ExtendWith(OnlyInTestKit.class)
  static class CannotBuildItsGateway {
    @RegisterExtension
    static final FakeGatewayExtension GW = FakeGatewayExtension
        .withGateway(builder -> builder.alias("broken", Route.to("nowhere/model")));

    @Test
    void neverRuns() {
      throw new AssertionError("the gateway could not be built, so the test must not run");
    }
  }
}
