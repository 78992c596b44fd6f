package dev.llmgateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.spi.TokenEstimator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link TokenCounter#standard()} counts as OpenAI's own tokenizer (tiktoken) does, picks the
 * encoding by model family, estimates other models with its safety factor, and bounds its work.
 */
@Timeout(60)
class StandardTokenCounterTest {
  private final TokenCounter counter = TokenCounter.standard();

  /** One text, as an embedding input: no chat framing, only the text's tokens. */
  private long tokens(String model, String text) {
    return counter.inputTokens(EmbeddingRequest.of(model, text), model);
  }

  /**
   * Expected counts from tiktoken: "hello world" is [15339, 1917] in cl100k_base (tiktoken's
   * tests/test_encoding.py, test_simple) and [24912, 2375] in o200k_base (the o200k-based
   * gpt-oss encoding in openai/harmony's tests); the others from OpenAI's cookbook, "How to count
   * tokens with tiktoken": "tiktoken is great!" [83, 1609, 5963, 374, 2294, 0],
   * "antidisestablishmentarianism" [519, 85342, 34500, 479, 8997, 2191], "2 + 2 = 4" [17, 489,
   * 220, 17, 284, 220, 19], "お誕生日おめでとう" 9 tokens, all in cl100k_base.
   */
  @ParameterizedTest
  @CsvSource({
      "text-embedding-3-small, hello world, 2",
      "text-embedding-ada-002, tiktoken is great!, 6",
      "text-embedding-ada-002, antidisestablishmentarianism, 6",
      "text-embedding-ada-002, 2 + 2 = 4, 7",
      "text-embedding-ada-002, お誕生日おめでとう, 9",
      "gpt-4o, hello world, 2"})
  void countsAsTiktokenDoes(String model, String text, long expected) {
    assertThat(tokens(model, text)).isEqualTo(expected);
  }

  /**
   * The cookbook's chat example, which the OpenAI API counted as 129 prompt tokens for gpt-4-0613:
   * 3 tokens per message, its role, content and name, 1 more per name, 3 to prime the reply.
   */
  @Test
  void countsChatMessagesAsTheCookbookAndTheApiDo() {
    ChatRequest request = ChatRequest.builder("gpt-4-0613")
        .message(named(Role.SYSTEM, "You are a helpful, pattern-following assistant that"
            + " translates corporate jargon into plain English.", null))
        .message(named(Role.SYSTEM, "New synergies will help drive top-line growth.",
            "example_user"))
        .message(named(Role.SYSTEM, "Things working well together will increase revenue.",
            "example_assistant"))
        .message(named(Role.SYSTEM, "Let's circle back when we have more bandwidth to touch base"
            + " on opportunities for increased leverage.", "example_user"))
        .message(named(Role.SYSTEM, "Let's talk later when we're less busy about how to do"
            + " better.", "example_assistant"))
        .message(named(Role.USER, "This late pivot means we don't have time to boil the ocean for"
            + " the client deliverable.", null))
        .build();

    assertThat(counter.inputTokens(request, "gpt-4-0613")).isEqualTo(129);
  }

  private static Message named(Role role, String text, String name) {
    return new Message(role, List.of(ContentPart.text(text)), List.of(), null, name);
  }

  @ParameterizedTest
  @CsvSource({
      "gpt-4o, O200K_BASE", "gpt-4o-mini-2024-07-18, O200K_BASE", "chatgpt-4o-latest, O200K_BASE",
      "gpt-4.1-nano, O200K_BASE", "gpt-4.5-preview, O200K_BASE", "gpt-5, O200K_BASE",
      "gpt-5-mini, O200K_BASE", "o1, O200K_BASE", "o1-mini, O200K_BASE", "o3-pro, O200K_BASE",
      "o4-mini, O200K_BASE", "gpt-oss-120b, O200K_BASE", "ft:gpt-4o-mini:acme::abc, O200K_BASE",
      "gpt-4, CL100K_BASE", "gpt-4-turbo, CL100K_BASE", "gpt-3.5-turbo, CL100K_BASE",
      "gpt-35-turbo, CL100K_BASE", "text-embedding-3-large, CL100K_BASE",
      "text-embedding-ada-002, CL100K_BASE", "GPT-4o, O200K_BASE", "FT:GPT-4O-mini:x, O200K_BASE",
      "O3, O200K_BASE", "ft:o1-mini:acme, O200K_BASE"})
  void picksTheEncodingOfTheModelsFamily(String model, EncodingType expected) {
    assertThat(StandardTokenCounter.encodingOf(model)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"claude-sonnet-4-5", "gemini-2.5-pro", "smart", "o1x", "llama-3.1-70b", "ft:",
      "ft:o1x", "o"})
  void estimatesOtherModelsWithTheSafetyFactor(String model) {
    ChatRequest request = ChatRequest.of(model, "x".repeat(400));

    assertThat(StandardTokenCounter.encodingOf(model)).isNull();
    // TokenEstimator: 100 tokens of text + 4 for the message; times 1.25, rounded up
    assertThat(counter.inputTokens(request, model))
        .isEqualTo((long) Math.ceil(TokenEstimator.input(request) * 1.25)).isEqualTo(130);
    assertThat(TokenCounter.standard(2).inputTokens(request, model)).isEqualTo(208);
  }

  @Test
  void aTenMegabytePromptIsCountedAsFarAsTheBudgetAndExtrapolated() {
    String huge = "lorem ipsum ".repeat(10 * 1024 * 1024 / 12);
    ChatRequest request = ChatRequest.builder("gpt-4o").system("Answer briefly.").user(huge)
        .build();

    long started = System.nanoTime();
    long counted = counter.inputTokens(request, "gpt-4o");
    long millis = (System.nanoTime() - started) / 1_000_000;

    // about 2,000 characters counted (under a token per four characters here), the rest at one
    // token per four characters times 1.25
    long rest = huge.length() - StandardTokenCounter.EXACT_CHARS;
    assertThat(counted).isBetween((long) Math.ceil(rest * 0.25 * 1.25),
        (long) Math.ceil(huge.length() * 0.25 * 1.25) + 20);
    assertThat(millis).as("a length sum, not a tokenization").isLessThan(1_000);
  }

  @Test
  void hostileTextCostsNoMoreThanTheBudget() {
    Random random = new Random(28);
    StringBuilder cjk = new StringBuilder(1 << 20);
    while (cjk.length() < 1 << 20) {
      cjk.append((char) (0x4e00 + random.nextInt(20_000)));
    }
    String text = cjk.toString();
    counter.inputTokens(EmbeddingRequest.of("gpt-4o", "warm up"), "gpt-4o");

    long started = System.nanoTime();
    long counted = tokens("gpt-4o", text);
    long millis = (System.nanoTime() - started) / 1_000_000;

    // tokenizing all of it takes jtokkit seconds (about 5 µs a character); the budget, a few ms
    assertThat(millis).isLessThan(1_000);
    // and random CJK is about two tokens a character: the rest is extrapolated at that density,
    // not at one token per four characters
    assertThat(counted).isGreaterThan(text.length());
  }

  @Test
  void textUpToTheBudgetIsCountedExactlyAndSpecialTokensAreOrdinaryText() {
    Encoding o200k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    String text = "Rate limits, sliding windows & <|endoftext|> as plain text. ".repeat(100)
        .substring(0, StandardTokenCounter.EXACT_CHARS);
    long exact = o200k.countTokensOrdinary(text);

    assertThat(tokens("gpt-4o", text)).isEqualTo(exact);
    assertThat(tokens("gpt-4o", text + "!")).as("one character past the budget: extrapolated")
        .isEqualTo(exact + 1);
    assertThat(tokens("gpt-4o", "<|endoftext|>")).isGreaterThan(1);
  }

  @Test
  void aSafetyFactorOutOfRangeIsRefused() {
    assertThatThrownBy(() -> TokenCounter.standard(0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 1 to 10");
  }
}
