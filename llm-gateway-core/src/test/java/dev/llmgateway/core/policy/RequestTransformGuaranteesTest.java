package dev.llmgateway.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Message;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.Role;
import dev.llmgateway.core.policy.RequestTransform.MetadataPrecedence;
import dev.llmgateway.core.policy.RequestTransform.Placement;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two guarantees of {@link RequestTransform} over many random requests and random (composed)
 * transforms, from fixed seeds: the model never changes, and {@code maxOutputTokens} is never
 * raised above what the request carried. Beside them: messages other than system messages pass
 * through in order, and a request that comes back equal comes back as the same instance.
 */
@Timeout(60)
class RequestTransformGuaranteesTest {

  private static final int CASES = 5_000;
  private static final String[] MODELS = {"gpt-4o", "support-alias", "anthropic/claude", "m"};
  private static final String[] KEYS = {"team", "org", "policy", "cost-center"};

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 20_261_207L, 0x5EED_CAFEL})
  void neverChangesTheModelNorRaisesMaxOutputTokens(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < CASES; i++) {
      ChatRequest request = randomRequest(random);
      RequestTransform transform = randomTransform(random);
      String context = "seed " + seed + ", case " + i + ": " + transform + " on " + request;

      ChatRequest out = transform.apply(request);

      assertThat(out.model()).as(context).isEqualTo(request.model());
      if (request.maxOutputTokens() != null) {
        assertThat(out.maxOutputTokens()).as(context).isNotNull()
            .isLessThanOrEqualTo(request.maxOutputTokens());
      }
      assertThat(withoutSystem(out)).as(context).isEqualTo(withoutSystem(request));
      if (out.equals(request)) {
        assertThat(out).as(context).isSameAs(request);
      }
    }
  }

  private static List<Message> withoutSystem(ChatRequest request) {
    return request.messages().stream().filter(m -> m.role() != Role.SYSTEM).toList();
  }

  private static ChatRequest randomRequest(Random random) {
    ChatRequest.Builder b = ChatRequest.builder(MODELS[random.nextInt(MODELS.length)]);
    int messages = 1 + random.nextInt(5);
    for (int m = 0; m < messages; m++) {
      switch (random.nextInt(4)) {
        case 0 -> b.system("system " + random.nextInt(3));
        case 1 -> b.message(Message.assistant("answer " + m));
        default -> b.user("question " + m);
      }
    }
    if (random.nextBoolean()) {
      b.temperature(random.nextInt(21) / 10.0);
    }
    if (random.nextBoolean()) {
      b.topP((1 + random.nextInt(10)) / 10.0);
    }
    if (random.nextBoolean()) {
      b.maxOutputTokens(1 + random.nextInt(10_000));
    }
    if (random.nextInt(4) == 0) {
      b.seed(random.nextLong());
    }
    if (random.nextInt(4) == 0) {
      b.reasoning(ReasoningConfig.budget(random.nextInt(5_000)));
    }
    for (String key : KEYS) {
      if (random.nextInt(3) == 0) {
        b.metadata(key, "r" + random.nextInt(2));
      }
    }
    return b.build();
  }

  private static RequestTransform randomTransform(Random random) {
    RequestTransform t = RequestTransform.none();
    int parts = random.nextInt(4);
    for (int p = 0; p < parts; p++) {
      t = t.andThen(randomPart(random));
    }
    return t;
  }

  private static RequestTransform randomPart(Random random) {
    RequestTransform.Builder b = RequestTransform.builder();
    if (random.nextBoolean()) {
      Placement[] placements = Placement.values();
      b.systemPrompt("system " + random.nextInt(3), placements[random.nextInt(placements.length)]);
    }
    int tenthsT = random.nextInt(11);
    double minT = tenthsT / 10.0;
    double maxT = (tenthsT + random.nextInt(11)) / 10.0;
    boolean tRange = random.nextBoolean();
    if (tRange) {
      b.temperatureRange(minT, maxT);
    }
    if (random.nextBoolean()) {
      b.defaultTemperature(tRange ? minT : random.nextInt(21) / 10.0);
    }
    int tenthsP = 1 + random.nextInt(5);
    double minP = tenthsP / 10.0;
    double maxP = (tenthsP + random.nextInt(6)) / 10.0;
    boolean pRange = random.nextBoolean();
    if (pRange) {
      b.topPRange(minP, maxP);
    }
    if (random.nextBoolean()) {
      b.defaultTopP(pRange ? maxP : (1 + random.nextInt(10)) / 10.0);
    }
    int cap = 1 + random.nextInt(8_000);
    boolean capped = random.nextBoolean();
    if (capped) {
      b.maxOutputTokensCap(cap);
    }
    if (random.nextBoolean()) {
      b.defaultMaxOutputTokens(capped ? 1 + random.nextInt(cap) : 1 + random.nextInt(20_000));
    }
    if (random.nextInt(4) == 0) {
      b.defaultSeed(random.nextLong());
    }
    if (random.nextInt(4) == 0) {
      b.defaultReasoning(ReasoningConfig.effort(ReasoningConfig.Effort.LOW));
    }
    for (String key : KEYS) {
      if (random.nextInt(3) == 0) {
        b.metadata(key, "t" + random.nextInt(2));
      }
    }
    if (random.nextBoolean()) {
      b.metadataPrecedence(MetadataPrecedence.TRANSFORM_WINS);
    }
    return b.build();
  }
}
