package dev.llmgateway.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Message;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.Role;
import dev.llmgateway.core.policy.RequestTransform.MetadataPrecedence;
import dev.llmgateway.core.policy.RequestTransform.Placement;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each operation of {@link RequestTransform}, composition, and the builder's bounds. */
@Timeout(30)
class RequestTransformTest {

  private static final ChatRequest PLAIN = ChatRequest.of("gpt-4o", "hello");

  private static final ChatRequest WITH_SYSTEM = ChatRequest.builder("support-alias")
      .system("You are the app's helper.")
      .user("hello")
      .build();

  private static List<String> transcript(ChatRequest request) {
    return request.messages().stream().map(m -> m.role() + ":" + m.text()).toList();
  }

  // --- system prompt

  static Stream<Arguments> placements() {
    return Stream.of(
        Arguments.of(Placement.PREPEND, PLAIN, List.of("SYSTEM:policy", "USER:hello")),
        Arguments.of(Placement.APPEND, PLAIN, List.of("SYSTEM:policy", "USER:hello")),
        Arguments.of(Placement.REPLACE, PLAIN, List.of("SYSTEM:policy", "USER:hello")),
        Arguments.of(Placement.PREPEND, WITH_SYSTEM,
            List.of("SYSTEM:policy", "SYSTEM:You are the app's helper.", "USER:hello")),
        Arguments.of(Placement.APPEND, WITH_SYSTEM,
            List.of("SYSTEM:You are the app's helper.", "SYSTEM:policy", "USER:hello")),
        Arguments.of(Placement.REPLACE, WITH_SYSTEM, List.of("SYSTEM:policy", "USER:hello")));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("placements")
  void placesTheSystemPrompt(Placement placement, ChatRequest request, List<String> expected) {
    RequestTransform t = RequestTransform.builder().systemPrompt("policy", placement).build();

    ChatRequest out = t.apply(request);

    assertThat(transcript(out)).isEqualTo(expected);
    assertThat(out.model()).isEqualTo(request.model());
  }

  @Test
  void prependGoesBeforeTheFirstSystemMessageAndAppendAfterTheLast() {
    ChatRequest request = ChatRequest.builder("m")
        .user("first question")
        .system("caller rules")
        .user("second")
        .system("more caller rules")
        .user("third")
        .build();

    assertThat(transcript(RequestTransform.builder().systemPrompt("policy", Placement.PREPEND)
        .build().apply(request))).containsExactly("USER:first question", "SYSTEM:policy",
            "SYSTEM:caller rules", "USER:second", "SYSTEM:more caller rules", "USER:third");
    assertThat(transcript(RequestTransform.builder().systemPrompt("policy", Placement.APPEND)
        .build().apply(request))).containsExactly("USER:first question", "SYSTEM:caller rules",
            "USER:second", "SYSTEM:more caller rules", "SYSTEM:policy", "USER:third");
  }

  @Test
  void replaceRemovesEverySystemMessageAndTakesTheFirstOnesPlace() {
    ChatRequest request = ChatRequest.builder("m")
        .user("first question")
        .system("caller rules")
        .user("second")
        .system("more caller rules")
        .build();

    ChatRequest out = RequestTransform.builder().systemPrompt("policy", Placement.REPLACE).build()
        .apply(request);

    assertThat(transcript(out))
        .containsExactly("USER:first question", "SYSTEM:policy", "USER:second");
  }

  @Test
  void replacingTheSamePromptIsNoChange() {
    RequestTransform t = RequestTransform.builder().systemPrompt("policy", Placement.REPLACE)
        .build();
    ChatRequest once = t.apply(WITH_SYSTEM);

    assertThat(t.apply(once)).isSameAs(once);
  }

  @Test
  void keepsToolMessagesAndOtherPartsAsTheyAre() {
    ChatRequest request = ChatRequest.builder("m")
        .system("caller")
        .user("what's the weather")
        .message(Message.toolResult("call_1", "{\"temp\":21}"))
        .build();

    ChatRequest out = RequestTransform.builder().systemPrompt("policy", Placement.APPEND).build()
        .apply(request);

    assertThat(out.messages()).hasSize(4);
    assertThat(out.messages().subList(2, 4)).isEqualTo(request.messages().subList(1, 3));
    assertThat(out.messages().get(3).role()).isEqualTo(Role.TOOL);
  }

  // --- defaults and limits

  @Test
  void defaultsFillOnlyWhatTheRequestLeavesOpen() {
    RequestTransform t = RequestTransform.builder()
        .defaultTemperature(0.2)
        .defaultTopP(0.9)
        .defaultMaxOutputTokens(512)
        .defaultSeed(42)
        .defaultReasoning(ReasoningConfig.effort(ReasoningConfig.Effort.LOW))
        .build();

    ChatRequest filled = t.apply(PLAIN);
    assertThat(filled.temperature()).isEqualTo(0.2);
    assertThat(filled.topP()).isEqualTo(0.9);
    assertThat(filled.maxOutputTokens()).isEqualTo(512);
    assertThat(filled.seed()).isEqualTo(42L);
    assertThat(filled.reasoning()).isEqualTo(ReasoningConfig.effort(ReasoningConfig.Effort.LOW));

    ChatRequest own = PLAIN.toBuilder().temperature(1.5).topP(0.5).maxOutputTokens(100).seed(7L)
        .reasoning(ReasoningConfig.budget(1_000)).build();
    assertThat(t.apply(own)).isSameAs(own);
  }

  @Test
  void aDefaultNeverRaisesTheMaxOutputTokensTheRequestCarries() {
    RequestTransform t = RequestTransform.builder().defaultMaxOutputTokens(4_096).build();
    ChatRequest allowed = PLAIN.toBuilder().maxOutputTokens(256).build();

    assertThat(t.apply(allowed).maxOutputTokens()).isEqualTo(256);
  }

  static Stream<Arguments> clamps() {
    return Stream.of(
        Arguments.of(1.8, 1.0, 0.2, 0.3),
        Arguments.of(0.0, 0.3, 0.9, 0.7),
        Arguments.of(0.7, 0.7, 0.5, 0.5));
  }

  @ParameterizedTest(name = "temperature {0} -> {1}, topP {2} -> {3}")
  @MethodSource("clamps")
  void limitsClampTemperatureAndTopPIntoTheirRanges(double temperature, double expectedTemperature,
      double topP, double expectedTopP) {
    RequestTransform t = RequestTransform.builder()
        .temperatureRange(0.3, 1.0)
        .topPRange(0.3, 0.7)
        .build();
    ChatRequest request = PLAIN.toBuilder().temperature(temperature).topP(topP).build();

    ChatRequest out = t.apply(request);

    assertThat(out.temperature()).isEqualTo(expectedTemperature);
    assertThat(out.topP()).isEqualTo(expectedTopP);
  }

  @Test
  void limitsLeaveAbsentParametersAbsent() {
    RequestTransform t = RequestTransform.builder()
        .temperatureRange(0.3, 1.0)
        .topPRange(0.3, 0.7)
        .maxOutputTokensCap(1_000)
        .build();

    assertThat(t.apply(PLAIN)).isSameAs(PLAIN);
  }

  @Test
  void theCapOnlyLowersMaxOutputTokens() {
    RequestTransform t = RequestTransform.builder().maxOutputTokensCap(1_000).build();

    assertThat(t.apply(PLAIN.toBuilder().maxOutputTokens(8_000).build()).maxOutputTokens())
        .isEqualTo(1_000);
    ChatRequest small = PLAIN.toBuilder().maxOutputTokens(300).build();
    assertThat(t.apply(small)).isSameAs(small);
  }

  @Test
  void aLaterTransformsLimitsClampAnEarlierOnesDefault() {
    RequestTransform defaults = RequestTransform.builder().defaultTemperature(1.5).build();
    RequestTransform limits = RequestTransform.builder().temperatureRange(0, 1).build();

    assertThat(defaults.andThen(limits).apply(PLAIN).temperature()).isEqualTo(1.0);
  }

  // --- metadata

  @Test
  void attachesMetadataWithTheRequestsKeysWinningByDefault() {
    RequestTransform t = RequestTransform.builder()
        .metadata("team", "support")
        .metadata("policy", "v2")
        .build();
    ChatRequest request = PLAIN.toBuilder().metadata("team", "sales").build();

    assertThat(t.apply(request).metadata())
        .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("team", "sales", "policy", "v2"));
  }

  @Test
  void theTransformsKeysWinWhenChosen() {
    RequestTransform t = RequestTransform.builder()
        .metadata("team", "support")
        .metadataPrecedence(MetadataPrecedence.TRANSFORM_WINS)
        .build();
    ChatRequest request = PLAIN.toBuilder().metadata("team", "sales").metadata("a", "b").build();

    assertThat(t.apply(request).metadata())
        .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("team", "support", "a", "b"));
  }

  @Test
  void metadataAlreadyInPlaceIsNoChange() {
    ChatRequest request = PLAIN.toBuilder().metadata("team", "sales").build();

    assertThat(RequestTransform.builder().metadata("team", "support").build().apply(request))
        .isSameAs(request);
    assertThat(RequestTransform.builder().metadata("team", "sales")
        .metadataPrecedence(MetadataPrecedence.TRANSFORM_WINS).build().apply(request))
        .isSameAs(request);
  }

  // --- identity and composition

  @Test
  void anEmptyBuilderBuildsNone() {
    RequestTransform none = RequestTransform.builder().build();

    assertThat(none).isSameAs(RequestTransform.none());
    assertThat(none.isNone()).isTrue();
    assertThat(none.apply(WITH_SYSTEM)).isSameAs(WITH_SYSTEM);
  }

  @Test
  void composesInOrder() {
    RequestTransform org = RequestTransform.builder()
        .systemPrompt("org rules", Placement.PREPEND)
        .metadata("org", "acme")
        .build();
    RequestTransform team = RequestTransform.builder()
        .systemPrompt("team rules", Placement.APPEND)
        .maxOutputTokensCap(500)
        .build();

    ChatRequest out = org.andThen(team).apply(WITH_SYSTEM.toBuilder().maxOutputTokens(900).build());

    assertThat(transcript(out)).containsExactly("SYSTEM:org rules",
        "SYSTEM:You are the app's helper.", "SYSTEM:team rules", "USER:hello");
    assertThat(out.maxOutputTokens()).isEqualTo(500);
    assertThat(out.metadata()).containsEntry("org", "acme");
    assertThat(out.model()).isEqualTo("support-alias");
  }

  @Test
  void composingWithNoneIsTheOtherTransform() {
    RequestTransform t = RequestTransform.builder().defaultTemperature(0.1).build();

    assertThat(t.andThen(RequestTransform.none())).isSameAs(t);
    assertThat(RequestTransform.none().andThen(t)).isSameAs(t);
  }

  @Test
  void theBuilderIsReusableAndItsProductsIndependent() {
    RequestTransform.Builder b = RequestTransform.builder().metadata("k", "1");
    RequestTransform first = b.build();
    b.metadata("k", "2").defaultTemperature(0.5);
    RequestTransform second = b.build();

    assertThat(first.apply(PLAIN).metadata()).containsEntry("k", "1");
    assertThat(first.apply(PLAIN).temperature()).isNull();
    assertThat(second.apply(PLAIN).metadata()).containsEntry("k", "2");
  }

  @Test
  void aRequestItLeavesAsItIsCostsNoAllocation() {
    RequestTransform t = RequestTransform.builder()
        .systemPrompt("policy", Placement.REPLACE)
        .defaultTemperature(0.2)
        .temperatureRange(0, 1)
        .defaultMaxOutputTokens(512)
        .maxOutputTokensCap(1_000)
        .metadata("team", "support")
        .build()
        .andThen(RequestTransform.builder().topPRange(0.1, 1).build());
    ChatRequest settled = t.apply(WITH_SYSTEM.toBuilder().topP(0.5).build());
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) {
      t.apply(settled);
    }

    long before = threads.getCurrentThreadAllocatedBytes();
    ChatRequest last = settled;
    for (int i = 0; i < 10_000; i++) {
      last = t.apply(last);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(last).isSameAs(settled);
    // the measurement itself may allocate a little; a single object per call would be 160,000 B
    assertThat(allocated).isLessThan(10_000);
  }

  // --- what it prints

  @Test
  void toStringNamesTheShapeButNeverThePromptOrMetadataValues() {
    RequestTransform t = RequestTransform.builder()
        .systemPrompt("secret house rules: codeword PELICAN", Placement.REPLACE)
        .metadata("cost-center", "CC-991-confidential")
        .maxOutputTokensCap(100)
        .build();

    assertThat(t.toString())
        .contains("REPLACE", "cost-center", "maxOutputTokensCap=100")
        .doesNotContain("PELICAN", "CC-991");
  }

  // --- bounds

  static Stream<Arguments> misuse() {
    return Stream.of(
        misuse("a system prompt must not be blank",
            b -> b.systemPrompt("  ", Placement.PREPEND)),
        misuse("at most 32768 chars, this one has 32769",
            b -> b.systemPrompt("x".repeat(RequestTransform.MAX_SYSTEM_PROMPT_CHARS + 1),
                Placement.PREPEND)),
        misuse("default temperature must be within [0, 2], was 2.5",
            b -> b.defaultTemperature(2.5)),
        misuse("default temperature must be within [0, 2], was NaN",
            b -> b.defaultTemperature(Double.NaN)),
        misuse("default topP must be within (0, 1], was 0.0", b -> b.defaultTopP(0)),
        misuse("default maxOutputTokens must be positive, was 0",
            b -> b.defaultMaxOutputTokens(0)),
        misuse("maxOutputTokens cap must be positive, was -1", b -> b.maxOutputTokensCap(-1)),
        misuse("temperature range needs min <= max, was [1.0, 0.5]",
            b -> b.temperatureRange(1.0, 0.5)),
        misuse("temperature range's max must be within [0, 2], was 3.0",
            b -> b.temperatureRange(0, 3)),
        misuse("topP range needs min <= max, was [0.9, 0.5]", b -> b.topPRange(0.9, 0.5)),
        misuse("a metadata key needs 1 to 128 chars, was 0", b -> b.metadata("", "v")),
        misuse("a metadata key needs 1 to 128 chars, was 129",
            b -> b.metadata("k".repeat(129), "v")),
        misuse("metadata 'k' may have at most 1024 chars, has 1025",
            b -> b.metadata("k", "v".repeat(1_025))),
        misuse("a transform attaches at most 32 metadata entries", b -> {
          for (int i = 0; i <= RequestTransform.MAX_METADATA_ENTRIES; i++) {
            b.metadata("k" + i, "v");
          }
        }));
  }

  private static Arguments misuse(String message, Consumer<RequestTransform.Builder> misuse) {
    return Arguments.of(message, misuse);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("misuse")
  void refusesBuilderMisuseNamingTheProblem(String message,
      Consumer<RequestTransform.Builder> misuse) {
    assertThatThrownBy(() -> misuse.accept(RequestTransform.builder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void replacingAMetadataKeyDoesNotCountTowardsTheLimit() {
    RequestTransform.Builder b = RequestTransform.builder();
    for (int i = 0; i < RequestTransform.MAX_METADATA_ENTRIES; i++) {
      b.metadata("k" + i, "v");
    }

    b.metadata("k0", "again");

    assertThat(b.build().apply(PLAIN).metadata()).hasSize(RequestTransform.MAX_METADATA_ENTRIES);
  }

  static Stream<Arguments> conflicts() {
    return Stream.of(
        Arguments.of("default temperature 1.5 lies outside the temperature range [0.0, 1.0]",
            (Consumer<RequestTransform.Builder>) b ->
                b.defaultTemperature(1.5).temperatureRange(0, 1)),
        Arguments.of("default topP 0.2 lies outside the topP range [0.5, 1.0]",
            (Consumer<RequestTransform.Builder>) b -> b.defaultTopP(0.2).topPRange(0.5, 1)),
        Arguments.of("default maxOutputTokens 2000 is above the maxOutputTokens cap 1000",
            (Consumer<RequestTransform.Builder>) b ->
                b.defaultMaxOutputTokens(2_000).maxOutputTokensCap(1_000)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conflicts")
  void refusesConflictingSettingsAtBuildQuotingBoth(String message,
      Consumer<RequestTransform.Builder> settings) {
    RequestTransform.Builder b = RequestTransform.builder();
    settings.accept(b);

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(message);
  }
}
