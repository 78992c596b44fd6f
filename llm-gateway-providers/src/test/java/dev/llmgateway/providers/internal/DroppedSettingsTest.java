package dev.llmgateway.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CacheControl;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ToolDefinition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

  private static String logOf(Runnable r) {
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(original);
    }
    return log.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "OpenAI Chat Completions | true | false | false | false | false | true | true"
          + " | cache hints, signed or redacted reasoning, reasoning parts without a signature,"
          + " a prompt cache key",
      "Anthropic Messages | false | false | true | true | false | false | true"
          + " | a seed, a prompt cache key, strict tool schemas,"
          + " reasoning parts without a signature",
      "Gemini | true | false | false | true | false | false | true"
          + " | a prompt cache key, strict tool schemas, cache hints,"
          + " reasoning parts without a signature"})
  void eachFormatReportsWhatItDrops(String format, boolean seed, boolean cacheKey,
      boolean hints, boolean signed, boolean unsigned, boolean strict, boolean reasoning,
      String expected) {
    Dropped.Support support =
        new Dropped.Support(seed, cacheKey, hints, signed, unsigned, strict, reasoning);
    String log = logOf(() -> Dropped.check(format, everythingDroppable(), support));

    for (String what : expected.split(",")) {
      assertThat(log).contains(format + " cannot express " + what.strip());
    }
    assertThat(log).doesNotContain(SECRET_TEXT);
  }

  @Test
  void aRequestWithNothingDroppableReportsNothing() {
    assertThat(logOf(() -> Dropped.check("Gemini", ChatRequest.of("m", "hi"),
        new Dropped.Support(false, false, false, false, false, false, false)))).isEmpty();
  }
}
