package dev.llmgateway.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.Principal;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.resilience.FailureAction;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.GeminiMockServer;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Through a gateway over each wire format: a provider error that quotes the prompt — a social
 * security number, a card number, an e-mail address and a key without a known prefix — reaches no
 * exception message, no log line and no usage record (attempt reasons included), and the caller's
 * end-user id is neither printed nor sent raw. The log is made to carry every exception and record
 * the gateway produces: a listener throws with them, and the gateway logs listener failures with
 * their stack trace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProviderErrorsLeakNoPersonalDataTest {
  private static final String KEY = "sk-pii-SENTINEL-0077";
  private static final String SSN = "123-45-6789";
  private static final String CARD = "4111 1111 1111 1111";
  private static final String EMAIL = "jane.doe@example.com";
  private static final String UNPREFIXED_KEY = "Zx8Qp2LmN4vR7tY1wK9sHb3D";
  private static final String USER = "user.sentinel@example.org";
  private static final List<String> LEAKS =
      List.of(SSN, CARD, EMAIL, "jane.doe", UNPREFIXED_KEY, KEY, USER);
  private static final String PROMPT = "Please update my file: SSN " + SSN + ", card " + CARD
      + ", e-mail " + EMAIL + ", API key " + UNPREFIXED_KEY;

  /** The three wire formats, each over its own mock server. */
  enum Format {
    OPENAI("openai", "gpt-4.1", OpenAiMockServer::start,
        s -> OpenAiPresets.openAi().baseUrl(s.baseUrl()).apiKey(KEY).build()),
    ANTHROPIC("anthropic", "claude-sonnet-4-5", AnthropicMockServer::start,
        s -> AnthropicProvider.builder().baseUrl(s.baseUrl()).apiKey(KEY).build()),
    GEMINI("gemini", "gemini-2.5-flash", GeminiMockServer::start,
        s -> GeminiProvider.builder().baseUrl(s.baseUrl()).apiKey(KEY).build());

    final String provider;
    final String model;
    final java.util.function.Supplier<ProviderMockServer> server;
    final Function<ProviderMockServer, Provider> transport;

    Format(String provider, String model, java.util.function.Supplier<ProviderMockServer> server,
        Function<ProviderMockServer, Provider> transport) {
      this.provider = provider;
      this.model = model;
      this.server = server;
      this.transport = transport;
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void anErrorQuotingThePromptReachesNoExceptionLogLineOrUsageRecord(Format format) {
    InMemoryUsageSink usage = new InMemoryUsageSink();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    List<String> printed = new ArrayList<>();
    Throwable unary;
    ChatEvent.Failed streamed;
    Principal caller = Principal.builder().team("support").user(USER).build();
    ChatRequest request = ChatRequest.of(format.provider + "/" + format.model, PROMPT);
    try (ProviderMockServer server = format.server.get()) {
      server.error(MockError.QUOTES_PROMPT).error(MockError.QUOTES_PROMPT);
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try (Gateway gateway = Gateway.builder()
          .provider(format.transport.apply(server))
          .usageSink(usage)
          .listener(new LoudListener())
          .build()) {
        unary = catchThrowable(() -> gateway.chat(request, caller));
        List<ChatEvent> events = new ArrayList<>();
        try (var it = gateway.stream(request, caller).iterator()) {
          it.forEachRemaining(events::add);
        }
        streamed = (ChatEvent.Failed) events.get(events.size() - 1);
      } finally {
        System.setErr(originalErr);
      }
      assertThat(server.takeRequest().body()).contains("Please update my file")
          .doesNotContain(USER);
    }

    assertThat(unary).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("provider message withheld");
    assertThat(streamed.error()).isInstanceOf(InvalidRequestException.class);
    for (Throwable t : List.of(unary, streamed.error())) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        printed.add(String.valueOf(c.getMessage()));
        printed.add(c.toString());
      }
    }
    printed.add(streamed.toString());
    assertThat(usage.records()).hasSize(2).allSatisfy(r -> {
      assertThat(r.outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
      assertThat(r.attempts()).isNotEmpty();
      assertThat(r.principal()).isNotNull();
    });
    for (UsageRecord r : usage.records()) {
      printed.add(r.toString());
      printed.add(String.valueOf(r.errorType()));
      for (Attempt a : r.attempts()) {
        printed.add(String.valueOf(a.reason()));
        assertThat(a.reason()).contains("provider message withheld");
      }
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).as("the listener's failures are logged").contains("listener saw");
    printed.add(logged);

    for (String text : printed) {
      for (String leak : LEAKS) {
        assertThat(text).as("%s leaked", leak).doesNotContain(leak);
      }
    }
  }

  /**
   * The story of an answer that failed over from an error quoting the prompt — the response's, the
   * record's, each attempt's line — holds the attempt's safe reason, never the quoted text, the
   * key, the caller's id or the answer's text (issue 24.8).
   */
  @ParameterizedTest
  @EnumSource(Format.class)
  void theStoryOfAnAnswerAfterAnErrorQuotingThePromptLeaksNothing(Format format) {
    InMemoryUsageSink usage = new InMemoryUsageSink();
    Principal caller = Principal.builder().team("support").user(USER).build();
    String answerText = "Your file was updated, " + EMAIL;
    try (ProviderMockServer failing = format.server.get();
        OpenAiMockServer backup = OpenAiMockServer.start();
        Gateway gateway = Gateway.builder()
            .provider(format.transport.apply(failing))
            .provider(OpenAiPresets.openAi().name("backup").baseUrl(backup.baseUrl())
                .apiKey(KEY).build())
            .alias("smart", Route.fallback(format.provider + "/" + format.model,
                "backup/gpt-4.1"))
            .onFailure(InvalidRequestException.class, FailureAction.FAIL_OVER)
            .usageSink(usage)
            .build()) {
      failing.error(MockError.QUOTES_PROMPT);
      backup.replyText(answerText, Usage.of(40, 8));

      ChatResponse answer = gateway.chat(ChatRequest.of("smart", PROMPT), caller);

      assertThat(answer.attempts()).hasSize(2);
      assertThat(answer.attempts().get(0).reason()).contains("provider message withheld");
      UsageRecord record = usage.last();
      List<String> printed = new ArrayList<>(List.of(answer.story(), answer.toString(),
          record.story(), record.toString()));
      answer.attempts().forEach(a -> printed.add(a.toString()));
      assertThat(answer.story()).contains("attempt 1: " + format.provider + "/" + format.model
          + " FAILED HTTP 400").contains("provider message withheld");
      assertThat(record.story()).contains("user=<redacted>");
      for (String text : printed) {
        for (String leak : LEAKS) {
          assertThat(text).as("%s leaked", leak).doesNotContain(leak);
        }
        assertThat(text).doesNotContain("Your file was updated").doesNotContain("update my file");
      }
    }
  }

  /** A listener that throws with every attempt and record, so that the gateway logs them. */
  private static final class LoudListener implements GatewayListener {
    @Override
    public void onAttemptStart(CallContext call, AttemptContext attempt) {
      throw new IllegalStateException("listener saw caller " + call.caller());
    }

    @Override
    public void onAttemptEnd(CallContext call, Attempt attempt) {
      throw new IllegalStateException("listener saw " + attempt);
    }

    @Override
    public void onCallEnd(CallContext call, UsageRecord record) {
      throw new IllegalStateException("listener saw " + record);
    }
  }
}
