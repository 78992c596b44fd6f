package dev.llmgateway.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Deployment;
import dev.llmgateway.Message;
import dev.llmgateway.Principal;
import dev.llmgateway.RequestOptions;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.route.Classifier;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Route;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rules over a request's content: every {@link Condition} factory matches what it should and
 * nothing else; {@code and}, {@code or}, {@code negate}, {@code allOf} and {@code anyOf} combine
 * them; rules are tried in order and the first match wins, else {@code otherwise}; the decision
 * trail names the rule and what it checked. Classifiers run at most once per call, a failing one
 * matches nothing, and {@link Classifier#viaModel} asks a cheap model through the gateway itself,
 * metered as a call of its own.
 */
@Timeout(30)
class ContentRulesTest {
  private static final Deployment YES = Deployment.parse("fake/yes");
  private static final Deployment NO = Deployment.parse("fake/no");
  private static final Principal ADS = Principal.of("ads", "u1");
  private static final Principal INFRA = Principal.of("infra", "u2");
  private static final String SCHEMA = "{\"type\":\"object\"}";

  private final StubProvider fake = new StubProvider("fake");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();

  ContentRulesTest() {
    fake.replyToAll(r -> "answered by " + r.model());
  }

  @AfterEach
  void close() {
    fake.close();
  }

  private GatewayBuilder builder() {
    return Gateway.builder().provider(fake).usageSink(usage);
  }

  /** A gateway whose alias {@code auto} sends matches of the condition to fake/yes. */
  private Gateway oneRule(Condition condition) {
    return builder().alias("auto", Route.rules().when("hit", condition, "fake/yes")
        .otherwise("fake/no")).build();
  }

  private static ChatRequest text(String text) {
    return ChatRequest.of("auto", text);
  }

  /** A case whose requests come from a caller without a team. */
  private static Arguments anonymous(String name, Condition condition, ChatRequest matching,
      ChatRequest other) {
    return Arguments.of(name, condition, matching, Principal.ANONYMOUS, other,
        Principal.ANONYMOUS);
  }

  static Stream<Arguments> factories() {
    ChatRequest plain = text("Hello there, how are you?");
    return Stream.of(
        anonymous("keywords, ignoring case", Condition.keywords("Prove", "step by step"),
            text("please PROVE it, Step By Step"), plain),
        anonymous("pattern", Condition.pattern("\\bdef\\s+\\w+\\("),
            text("what does def solve(x): do?"), text("define solve(x)")),
        anonymous("codeBlock", Condition.codeBlock(),
            text("Why?\n```\nx = 1\n```"), text("Why is `x` 1?")),
        anonymous("toolsRequested", Condition.toolsRequested(),
            ChatRequest.builder("auto").user("weather?")
                .tool(ToolDefinition.of("weather", "the weather", SCHEMA)).build(),
            text("weather?")),
        anonymous("imagesPresent", Condition.imagesPresent(),
            ChatRequest.builder("auto").message(Message.user(ContentPart.text("what is it?"),
                ContentPart.imageUrl("https://example.com/cat.png"))).build(),
            text("what is it? https://example.com/cat.png")),
        // 4 tokens per message + 200 / 4 = 54 > 50; 4 + 150 / 4 = 42
        anonymous("inputTokensAbove", Condition.inputTokensAbove(50),
            text("x".repeat(200)), text("x".repeat(150))),
        anonymous("tag", Condition.tag("batch"),
            ChatRequest.builder("auto").user("hi")
                .options(RequestOptions.DEFAULT.withTags("nightly", "batch")).build(),
            ChatRequest.builder("auto").user("hi")
                .options(RequestOptions.DEFAULT.withTags("batches")).build()),
        anonymous("metadata", Condition.metadata("tier", "gold"),
            ChatRequest.builder("auto").user("hi").metadata("tier", "gold").build(),
            ChatRequest.builder("auto").user("hi").metadata("tier", "Gold").build()),
        Arguments.of("team", Condition.team("search", "ads"), plain, ADS, plain, INFRA),
        anonymous("classifiedAs, ignoring case",
            Condition.classifiedAs(in -> in.lastUserText().contains("SELECT") ? "SQL" : "chat",
                "sql"),
            text("SELECT 1"), text("select nothing")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("factories")
  void eachConditionMatchesWhatItShouldAndNothingElse(String name, Condition condition,
      ChatRequest matching, Caller caller, ChatRequest other, Caller otherCaller) {
    try (Gateway gateway = oneRule(condition)) {
      ChatResponse hit = gateway.chat(matching, caller);
      ChatResponse miss = gateway.chat(other, otherCaller);

      assertThat(hit.deployment()).as("matches").isEqualTo(YES);
      assertThat(hit.routing().path().get(1))
          .isEqualTo("rule 'hit' (" + condition.describe() + ")");
      assertThat(miss.deployment()).as("does not match").isEqualTo(NO);
      assertThat(miss.routing().path().get(1)).isEqualTo("otherwise (no rule matched)");
    }
  }

  @Test
  void theTeamConditionDoesNotMatchACallerWithoutATeam() {
    try (Gateway gateway = oneRule(Condition.team("ads"))) {
      assertThat(gateway.chat(text("hi")).deployment()).isEqualTo(NO);
      assertThat(gateway.chat(text("hi"), Principal.builder().user("u").build()).deployment())
          .isEqualTo(NO);
    }
  }

  static Stream<Arguments> combinations() {
    Condition a = Condition.keywords("alpha");
    Condition b = Condition.keywords("beta");
    Condition c = Condition.keywords("gamma");
    // which of "alpha beta gamma", "alpha beta", "alpha", "beta", "none" each one matches
    return Stream.of(
        Arguments.of("and", a.and(b), new boolean[] {true, true, false, false, false}),
        Arguments.of("or", a.or(b), new boolean[] {true, true, true, true, false}),
        Arguments.of("negate", a.negate(), new boolean[] {false, false, false, true, true}),
        Arguments.of("allOf", Condition.allOf(a, b, c),
            new boolean[] {true, false, false, false, false}),
        Arguments.of("anyOf", Condition.anyOf(c, b), new boolean[] {true, true, false, true,
            false}),
        Arguments.of("nested", a.and(b.negate()).or(c),
            new boolean[] {true, false, true, false, false}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void combinatorsFollowTheirTruthTables(String name, Condition condition, boolean[] expected) {
    String[] texts = {"alpha beta gamma", "alpha beta", "alpha", "beta", "none"};
    try (Gateway gateway = oneRule(condition)) {
      for (int i = 0; i < texts.length; i++) {
        assertThat(gateway.chat(text(texts[i])).deployment()).as(texts[i])
            .isEqualTo(expected[i] ? YES : NO);
      }
    }
  }

  @Test
  void combinatorsDescribeTheirParts() {
    Condition a = Condition.keywords("alpha");
    Condition b = Condition.tag("t");

    assertThat(a.and(b).describe())
        .isEqualTo("(last user message mentions [alpha] and tag 't')");
    assertThat(a.or(b).describe()).isEqualTo("(last user message mentions [alpha] or tag 't')");
    assertThat(a.negate().describe()).isEqualTo("not last user message mentions [alpha]");
    assertThat(Condition.anyOf(a, b, Condition.codeBlock()).describe()).isEqualTo(
        "(last user message mentions [alpha] or tag 't' or last user message has a code block)");
  }

  @Test
  void rulesAreTriedInOrderAndTheFirstMatchWins() {
    AtomicInteger laterRuleAsked = new AtomicInteger();
    try (Gateway gateway = builder().alias("auto", Route.rules()
        .when("reasoning", Condition.keywords("prove", "step by step"), "fake/smart")
        .when("code", Condition.codeBlock(), "fake/coder")
        .when("counted", in -> laterRuleAsked.incrementAndGet() < 0, "fake/never")
        .otherwise("fake/cheap")).build()) {

      ChatResponse both = gateway.chat(text("Prove it step by step:\n```\nx\n```"));
      ChatResponse code = gateway.chat(text("```\nx\n```"));
      ChatResponse none = gateway.chat(text("thanks"));

      assertThat(both.deployment()).isEqualTo(Deployment.parse("fake/smart"));
      assertThat(both.routing().path()).containsExactly("alias auto",
          "rule 'reasoning' (last user message mentions [prove, step by step])",
          "strategy ordered");
      assertThat(code.deployment()).isEqualTo(Deployment.parse("fake/coder"));
      assertThat(code.routing().path().get(1))
          .isEqualTo("rule 'code' (last user message has a code block)");
      assertThat(none.deployment()).isEqualTo(Deployment.parse("fake/cheap"));
      assertThat(none.routing().path().get(1)).isEqualTo("otherwise (no rule matched)");
      assertThat(laterRuleAsked).as("only the call that no earlier rule matched asks it")
          .hasValue(1);
    }
  }

  @Test
  void theTrailNamesALambdaRuleByItsGivenDescription() {
    try (Gateway gateway = builder().alias("auto", Route.rules()
        .when("long chat", Condition.named("more than 2 messages",
            in -> ((ChatRequest) in.request()).messages().size() > 2), "fake/long")
        .when("anonymous", in -> true, "fake/any")
        .otherwise("fake/no")).build()) {

      ChatResponse longChat = gateway.chat(ChatRequest.builder("auto").user("a")
          .message(Message.assistant("b")).user("c").build());
      ChatResponse shortChat = gateway.chat(text("a"));

      assertThat(longChat.routing().path().get(1))
          .isEqualTo("rule 'long chat' (more than 2 messages)");
      assertThat(shortChat.routing().path().get(1))
          .isEqualTo("rule 'anonymous' (custom condition)");
    }
  }

  @Test
  void aClassifierAskedByTwoRulesRunsOncePerCall() {
    AtomicInteger asked = new AtomicInteger();
    Classifier counting = in -> {
      asked.incrementAndGet();
      return in.lastUserText().contains("```") ? "code" : "chat";
    };
    try (Gateway gateway = builder().alias("auto", Route.rules()
        .when("reasoning", Condition.classifiedAs(counting, "reasoning"), "fake/smart")
        .when("code", Condition.classifiedAs(counting, "code"), "fake/coder")
        .otherwise("fake/cheap")).build()) {

      ChatResponse code = gateway.chat(text("```\nx\n```"));
      int afterFirstCall = asked.get();
      ChatResponse chat = gateway.chat(text("hello"));

      assertThat(code.deployment()).isEqualTo(Deployment.parse("fake/coder"));
      assertThat(code.routing().path().get(1)).isEqualTo("rule 'code' (classified as 'code')");
      assertThat(afterFirstCall).isEqualTo(1);
      assertThat(chat.deployment()).isEqualTo(Deployment.parse("fake/cheap"));
      assertThat(asked).hasValue(2);
    }
  }

  @Test
  void aThrowingClassifierMatchesNoRuleAndTheCallStillRoutes() {
    AtomicInteger asked = new AtomicInteger();
    Classifier broken = in -> {
      asked.incrementAndGet();
      throw new IllegalStateException("the classifier's model is down");
    };
    try (Gateway gateway = builder().alias("auto", Route.rules()
        .when("code", Condition.classifiedAs(broken, "code"), "fake/coder")
        .when("not code", Condition.classifiedAs(broken, "code").negate(), "fake/chat")
        .otherwise("fake/cheap")).build()) {

      ChatResponse answer = gateway.chat(text("hello"));

      assertThat(answer.text()).isEqualTo("answered by chat");
      assertThat(answer.routing().path().get(1))
          .isEqualTo("rule 'not code' (not classified as 'code')");
      assertThat(asked).as("a failed classification is not retried within the call").hasValue(1);
      assertThat(usage.records()).singleElement()
          .extracting(UsageRecord::outcome).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
    }
  }

  @Test
  void aClassifierViaModelAsksTheCheapModelThroughTheGatewayAndIsMeteredOnItsOwn() {
    fake.on("classifier").reply("Code.", Usage.of(40, 2)).reply("chat", Usage.of(30, 1));
    fake.on("coder").reply("def solve(): ...", Usage.of(100, 50));
    Classifier classifier = Classifier.viaModel("fake/classifier", "code", "chat");
    Principal caller = Principal.of("ads", "u1");
    try (Gateway gateway = builder()
        .price("fake/classifier", Price.perMillion("0.10", "0.40"))
        .price("fake/coder", Price.perMillion("2.00", "8.00"))
        .alias("auto", Route.rules()
            .when("code", Condition.classifiedAs(classifier, "code"), "fake/coder")
            .otherwise("fake/cheap"))
        .build()) {

      ChatResponse code = gateway.chat(text("merge two sorted lists"), caller);
      ChatResponse chat = gateway.chat(text("thanks!"), caller);

      assertThat(code.deployment()).isEqualTo(Deployment.parse("fake/coder"));
      assertThat(chat.deployment()).isEqualTo(Deployment.parse("fake/cheap"));
      ChatRequest question = (ChatRequest) fake.calls("classifier").get(0);
      assertThat(question.lastUserText()).isEqualTo("merge two sorted lists");
      assertThat(question.messages().get(0).text()).contains("code, chat");
      assertThat(question.maxOutputTokens()).isEqualTo(10);
      assertThat(usage.records()).hasSize(4);
      UsageRecord classifierCall = usage.records().get(0);
      assertThat(classifierCall.requestedModel()).isEqualTo("fake/classifier");
      assertThat(classifierCall.tags()).containsExactly("classifier");
      assertThat(classifierCall.principal()).isEqualTo(caller);
      // 40 in × $0.10/M + 2 out × $0.40/M = $0.000004 + $0.0000008
      assertThat(classifierCall.cost()).isEqualByComparingTo(new BigDecimal("0.0000048"));
      UsageRecord routedCall = usage.records().get(1);
      assertThat(routedCall.callId()).isEqualTo(code.callId());
      assertThat(routedCall.tags()).isEmpty();
      // only its own attempt: 100 in × $2/M + 50 out × $8/M = $0.0002 + $0.0004
      assertThat(routedCall.cost()).isEqualByComparingTo(new BigDecimal("0.0006"));
      assertThat(code.cost()).isEqualByComparingTo(new BigDecimal("0.0006"));
      assertThat(usage.records().get(2).tags()).containsExactly("classifier");
      assertThat(usage.records().get(3).callId()).isEqualTo(chat.callId());
    }
  }
}
