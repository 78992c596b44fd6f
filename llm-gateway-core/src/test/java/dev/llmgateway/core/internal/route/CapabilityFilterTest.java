package dev.llmgateway.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.ModelCapabilities;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The capability filter: a candidate that cannot serve the request (no tools, no vision, no JSON
 * schema, no streaming, no embeddings, no documents, or a context window smaller than the
 * estimated input plus the requested output) is skipped with the reason in {@code
 * routing().skipped()} and never called; when no candidate can serve, the call fails with an
 * {@link UnsupportedCapabilityException} listing every reason.
 */
@Timeout(30)
class CapabilityFilterTest {
  private static final Deployment LACKING = Deployment.parse("fake/lacking");
  private static final Deployment FULL = Deployment.parse("fake/full");
  private static final String SCHEMA = "{\"type\":\"object\"}";

  /** What a call returned, whatever its kind. */
  private record Served(Deployment deployment, RoutingDecision routing) {}

  private static ModelCapabilities caps(boolean streaming, boolean tools, boolean vision,
      boolean documents, boolean jsonSchema, boolean embeddings, int contextWindow) {
    return new ModelCapabilities(true, streaming, tools, vision, documents, jsonSchema, true,
        embeddings, contextWindow, 0);
  }

  private static BiFunction<Gateway, String, Served> chat(ChatRequest.Builder request) {
    return (gateway, model) -> {
      ChatResponse r = gateway.chat(request.model(model).build());
      return new Served(r.deployment(), r.routing());
    };
  }

  private static BiFunction<Gateway, String, Served> stream(ChatRequest.Builder request) {
    return (gateway, model) -> {
      ChatResponse r = gateway.stream(request.model(model).build()).collect();
      return new Served(r.deployment(), r.routing());
    };
  }

  private static BiFunction<Gateway, String, Served> embed() {
    return (gateway, model) -> {
      EmbeddingResponse r = gateway.embed(EmbeddingRequest.of(model, "some text"));
      return new Served(r.deployment(), r.routing());
    };
  }

  private static ChatRequest.Builder user(String text) {
    return ChatRequest.builder("auto").user(text);
  }

  static Stream<Arguments> unfitCandidates() {
    return Stream.of(
        Arguments.of("tools", caps(true, false, true, true, true, true, 0),
            chat(user("weather?").tool(ToolDefinition.of("weather", "the weather", SCHEMA))),
            "no tool calling"),
        Arguments.of("vision", caps(true, true, false, true, true, true, 0),
            chat(ChatRequest.builder("auto").message(Message.user(ContentPart.text("what?"),
                ContentPart.imageUrl("https://example.com/cat.png")))),
            "no image input"),
        Arguments.of("JSON schema", caps(true, true, true, true, false, true, 0),
            chat(user("list three colours")
                .responseFormat(ResponseFormat.jsonSchema("colours", SCHEMA))),
            "no JSON schema output"),
        Arguments.of("streaming", caps(false, true, true, true, true, true, 0),
            stream(user("hi")), "no streaming"),
        Arguments.of("embeddings", caps(true, true, true, true, true, false, 0),
            embed(), "no embeddings"),
        Arguments.of("documents", caps(true, true, true, false, true, true, 0),
            chat(ChatRequest.builder("auto").message(Message.user(ContentPart.text("sum up"),
                ContentPart.document(new byte[] {37, 80, 68, 70}, "application/pdf")))),
            "no document input"),
        // 4 tokens for the message + 600 chars / 4
        Arguments.of("context window < input", caps(true, true, true, true, true, true, 100),
            chat(user("x".repeat(600))),
            "context window 100 < estimated 154 input + 0 output tokens"),
        // 4 tokens for the message + 1 for "hi", and the 200 output tokens asked for
        Arguments.of("context window < input + output",
            caps(true, true, true, true, true, true, 100),
            chat(user("hi").maxOutputTokens(200)),
            "context window 100 < estimated 5 input + 200 output tokens"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unfitCandidates")
  void aCandidateThatCannotServeIsSkippedWithTheReasonAndNeverCalled(String name,
      ModelCapabilities lacking, BiFunction<Gateway, String, Served> call, String reason) {
    StubProvider fake = new StubProvider("fake").capabilities("lacking", lacking);
    fake.replyToAll(r -> "from " + r.model());
    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (Gateway gateway = Gateway.builder().provider(fake).usageSink(usage)
        .alias("auto", Route.fallback("fake/lacking", "fake/full")).build()) {

      Served served = call.apply(gateway, "auto");

      assertThat(served.deployment()).isEqualTo(FULL);
      assertThat(served.routing().skipped())
          .containsExactly(new RoutingDecision.Skip(LACKING, reason));
      assertThat(served.routing().plan()).containsExactly(FULL);
      assertThat(served.routing().explain()).endsWith("; skipped fake/lacking: " + reason);
      assertThat(fake.calls("lacking")).isEmpty();
      assertThat(usage.records()).singleElement().satisfies(r -> {
        assertThat(r.routing()).isEqualTo(served.routing());
        assertThat(r.attempts()).extracting(a -> a.deployment()).containsExactly(FULL);
      });
    } finally {
      fake.close();
    }
  }

  @Test
  void aCandidateThatCanServeIsNotSkipped() {
    StubProvider fake = new StubProvider("fake")
        .capabilities("lacking", caps(true, false, true, true, true, true, 100));
    fake.replyToAll(r -> "from " + r.model());
    try (Gateway gateway = Gateway.builder().provider(fake)
        .alias("auto", Route.fallback("fake/lacking", "fake/full")).build()) {

      ChatResponse answer = gateway.chat(ChatRequest.of("auto", "x".repeat(380)));

      assertThat(answer.deployment()).as("4 + 95 tokens fit in 100").isEqualTo(LACKING);
      assertThat(answer.routing().skipped()).isEmpty();
    } finally {
      fake.close();
    }
  }

  @Test
  void whenNoCandidateCanServeTheCallFailsListingEveryReason() {
    StubProvider fake = new StubProvider("fake")
        .capabilities("notools", caps(true, false, true, true, true, true, 0))
        .capabilities("blind", caps(true, true, false, true, true, true, 0));
    fake.replyToAll(r -> "from " + r.model());
    InMemoryUsageSink usage = new InMemoryUsageSink();
    ChatRequest request = ChatRequest.builder("auto")
        .message(Message.user(ContentPart.text("what is in this picture?"),
            ContentPart.imageUrl("https://example.com/cat.png")))
        .tool(ToolDefinition.of("zoom", "zooms in", SCHEMA)).build();
    try (Gateway gateway = Gateway.builder().provider(fake).usageSink(usage)
        .alias("auto", Route.fallback("fake/notools", "fake/blind")).build()) {

      UnsupportedCapabilityException unary = catchThrowableOfType(
          UnsupportedCapabilityException.class, () -> gateway.chat(request));
      UnsupportedCapabilityException streamed = catchThrowableOfType(
          UnsupportedCapabilityException.class, () -> gateway.stream(request).collect());

      for (UnsupportedCapabilityException e : new UnsupportedCapabilityException[] {unary,
          streamed}) {
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("no candidate of 'auto' can serve this request",
            "fake/notools: no tool calling", "fake/blind: no image input");
      }
      assertThat(fake.calls()).isEmpty();
      assertThat(usage.records()).hasSize(2).allSatisfy(r -> {
        assertThat(r.outcome()).isEqualTo(UsageRecord.Outcome.FAILED);
        assertThat(r.errorType()).isEqualTo("UnsupportedCapabilityException");
        assertThat(r.attempts()).isEmpty();
      });
    } finally {
      fake.close();
    }
  }
}
