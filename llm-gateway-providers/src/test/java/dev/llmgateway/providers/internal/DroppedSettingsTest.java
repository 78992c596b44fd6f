package dev.llmgateway.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CacheControl;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.providers.Stderr;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a wire format cannot express is dropped with a DEBUG line naming the kind of setting, never
 * its content (slf4j-simple, DEBUG for this logger in the test resources, writes to System.err).
 */
class DroppedSettingsTest {
  private static final String SECRET_TEXT = "private words";

  private static ChatRequest everythingDroppable() {
    return ChatRequest.builder("m")
        .message(Message.user(new ContentPart.Text(SECRET_TEXT, CacheControl.EPHEMERAL)))
        .message(Message.assistant(List.of(new ContentPart.Reasoning(SECRET_TEXT, null, null),
            new ContentPart.Reasoning(SECRET_TEXT, "sig", null), ContentPart.text("ok")),
            List.of()))
        .user("next")
        .tool(new ToolDefinition("t", "d", "{\"type\":\"object\"}", true))
        .seed(7L)
        .promptCacheKey("k")
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "OpenAI Chat Completions | openai | true | false | false | false | false | true | true"
          + " | false | cache hints, signed or redacted reasoning, reasoning parts without a"
          + " signature, a prompt cache key",
      "Anthropic Messages | anthropic | false | false | true | true | false | false | true"
          + " | false | a seed, a prompt cache key, strict tool schemas,"
          + " reasoning parts without a signature",
      "Gemini | gemini | true | false | false | true | false | false | true | true"
          + " | a prompt cache key, strict tool schemas, cache hints,"
          + " reasoning parts without a signature"})
  void eachFormatReportsWhatItDrops(String name, String format, boolean seed, boolean cacheKey,
      boolean hints, boolean signed, boolean unsigned, boolean strict, boolean reasoning,
      boolean callSignatures, String expected) {
    Dropped.Support support = new Dropped.Support(format, seed, cacheKey, hints, signed,
        unsigned, strict, reasoning, callSignatures);
    String log = Stderr.of(() -> Dropped.check(name, everythingDroppable(), support));

    for (String what : expected.split(",")) {
      assertThat(log).contains(name + " cannot express " + what.strip());
    }
    assertThat(log).doesNotContain(SECRET_TEXT);
  }

  @Test
  void signedPartsOfAnotherFormatAreReportedByTheFormatTheyCameFrom() {
    ChatRequest request = ChatRequest.builder("m")
        .message(Message.assistant(List.of(
                new ContentPart.Reasoning(SECRET_TEXT, "sig-of-anthropic", null, "anthropic")),
            List.of(new ToolCall("c", "f", "{}").withSignature("sig-of-other", "other"))))
        .user("next")
        .build();

    String log = Stderr.of(() -> Dropped.check("Gemini", request, new Dropped.Support("gemini",
        true, false, false, true, false, false, true, true)));

    assertThat(log).contains("Gemini drops reasoning parts and signatures another wire format");
    assertThat(log).doesNotContain(SECRET_TEXT).doesNotContain("sig-of");
  }

  @Test
  void aFormatWithoutCallSignaturesReportsThem() {
    ChatRequest request = ChatRequest.builder("m")
        .message(Message.assistant(List.of(),
            List.of(new ToolCall("c", "f", "{}").withSignature("sig-of-gemini", "gemini"))))
        .user("next")
        .build();

    assertThat(Stderr.of(() -> Dropped.check("Anthropic Messages", request, new Dropped.Support(
        "anthropic", false, false, true, true, false, false, true, false))))
        .contains("Anthropic Messages cannot express signatures on tool calls")
        .doesNotContain("sig-of-gemini");
  }

  @Test
  void aRequestWithNothingDroppableReportsNothing() {
    assertThat(Stderr.of(() -> Dropped.check("Gemini", ChatRequest.of("m", "hi"),
        new Dropped.Support("gemini", false, false, false, false, false, false, false, false))))
        .isEmpty();
  }
}
