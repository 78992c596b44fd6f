package dev.llmgateway.providers.gemini;

import static dev.llmgateway.providers.gemini.GeminiRequestWireTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.ResponseTooLargeException;
import dev.llmgateway.ToolCall;
import dev.llmgateway.spi.AttemptContext;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Function calls whose arguments a stream sends in pieces (Vertex AI's streamed function-call
 * arguments: {@code partialArgs} with {@code willContinue}, fixture {@code
 * gemini/stream-function-call-partial-args.sse}) arrive as one call per function, with its name,
 * its complete arguments and its signature; what a hostile stream sends in pieces stays within
 * the provider's read limits, and what cannot be placed is a typed failure.
 */
class GeminiStreamedFunctionCallTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "gemini-3-pro-preview";
  private static final String SIGNATURE = "CiUBcsjafKw3n8Hq2pT9vLm4Xz6bN1dR7sY0uE5fJgA3oWkQ8cIhVt2"
      + "ZyMx+P4e/Db9Gn6KjS1rFqU0aLwBv5TtO3iH7mCp==";
  private static final String BOOKING = "{\"from\":\"Paris Gare de Lyon\",\"to\":\"Lyon Part-Dieu\","
      + "\"passengers\":[{\"name\":\"Ada\",\"age\":36},{\"seat class\":\"first\"}],\"bike\":false,"
      + "\"note\":null}";
  private static final String OPEN = "data: {\"candidates\":[{\"content\":{\"role\":\"model\","
      + "\"parts\":[{\"functionCall\":{\"name\":\"book_train\",\"willContinue\":true}}]},"
      + "\"index\":0}]}\n\n";
  private static final String OK = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}],"
      + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}";

  private final MockWebServer server = new MockWebServer();
  private GeminiProvider provider;

  @BeforeEach
  void start() throws Exception {
    server.start();
    provider = builder().build();
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  private GeminiProvider.Builder builder() {
    return GeminiProvider.builder().baseUrl(server.url("/v1beta").toString())
        .apiKey("AIza-streamed-call-key").executor(Runnable::run);
  }

  private void serve(String body, String type) {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("content-type", type)
        .body(body).build());
  }

  private static AttemptContext attempt() {
    return AttemptContext.standalone(new Deployment("vertex", MODEL));
  }

  private static List<ChatEvent> stream(GeminiProvider p) {
    List<ChatEvent> events = new ArrayList<>();
    try (var it = ChatStream.of(p.stream(ChatRequest.of(MODEL, "Book it"), attempt()))
        .iterator()) {
      it.forEachRemaining(events::add);
    }
    return events;
  }

  private static String piece(String partialArgs, boolean willContinue) {
    return "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":"
        + "{\"partialArgs\":[" + partialArgs + "],\"willContinue\":" + willContinue + "}}]},"
        + "\"index\":0}]}\n\n";
  }

  private static String finish() {
    return "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":"
        + "{}}]},\"finishReason\":\"STOP\",\"index\":0}]}\n\n";
  }

  private static List<ChatEvent.ToolCallDelta> deltas(List<ChatEvent> events) {
    return events.stream().filter(e -> e instanceof ChatEvent.ToolCallDelta)
        .map(e -> (ChatEvent.ToolCallDelta) e).toList();
  }

  private static ChatEvent.Failed failed(List<ChatEvent> events) {
    assertThat(events.get(events.size() - 1)).isInstanceOf(ChatEvent.Failed.class);
    return (ChatEvent.Failed) events.get(events.size() - 1);
  }

  private static void assertJson(String expected, String actual) throws Exception {
    assertThat(JSON.readTree(actual)).isEqualTo(JSON.readTree(expected));
  }

  @Test
  void aCallStreamedInPiecesArrivesAsOneCallWithItsNameCompleteArgumentsAndSignature()
      throws Exception {
    serve(fixture("gemini/stream-function-call-partial-args.sse"), "text/event-stream");

    List<ChatEvent> events = stream(provider);

    List<ChatEvent.ToolCallDelta> deltas = deltas(events);
    assertThat(deltas).as("one delta per function, never a nameless one per piece").hasSize(2);
    assertThat(deltas.get(0).name()).isEqualTo("book_train");
    assertThat(deltas.get(0).id()).isEqualTo("gemini_call_0");
    assertThat(deltas.get(0).signature()).isEqualTo(SIGNATURE);
    assertThat(deltas.get(0).signatureFormat()).isEqualTo(GeminiProvider.FORMAT);
    assertJson(BOOKING, deltas.get(0).argumentsFragment());
    assertThat(deltas.get(1).name()).isEqualTo("get_time");
    assertThat(deltas.get(1).index()).isEqualTo(1);
    assertJson("{\"zone\":\"Europe/Paris\"}", deltas.get(1).argumentsFragment());
    ChatResponse done = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
    assertThat(done.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(done.toolCalls()).extracting(ToolCall::name)
        .containsExactly("book_train", "get_time");
    assertJson(BOOKING, done.toolCalls().get(0).arguments());
    assertThat(done.toolCalls().get(0).signature()).isEqualTo(SIGNATURE);
  }

  @Test
  void theAssembledCallGoesBackAsOneFunctionCallPartWithItsSignature() throws Exception {
    serve(fixture("gemini/stream-function-call-partial-args.sse"), "text/event-stream");
    List<ChatEvent> events = stream(provider);
    ChatResponse first = ((ChatEvent.Completed) events.get(events.size() - 1)).response();
    serve(OK, "application/json");

    provider.chat(ChatRequest.builder(MODEL).user("Book it")
        .message(first.message())
        .message(Message.toolResult("gemini_call_0", "{\"booked\":true}"))
        .message(Message.toolResult("gemini_call_1", "09:12"))
        .build(), attempt());

    server.takeRequest();
    RecordedRequest sent = server.takeRequest();
    JsonNode parts = JSON.readTree(sent.getBody().utf8()).path("contents").path(1).path("parts");
    assertThat(parts).isEqualTo(JSON.readTree("[{\"functionCall\":{\"name\":\"book_train\","
        + "\"args\":" + BOOKING + "},\"thoughtSignature\":\"" + SIGNATURE + "\"},"
        + "{\"functionCall\":{\"name\":\"get_time\",\"args\":{\"zone\":\"Europe/Paris\"}}}]"));
  }

  @Test
  void aUnaryBodyWithACallInPiecesIsAssembledTheSameWay() throws Exception {
    serve("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":["
        + "{\"functionCall\":{\"id\":\"fc_7\",\"name\":\"get_time\",\"willContinue\":true}},"
        + "{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.zone\",\"stringValue\":\"Asia/\","
        + "\"willContinue\":true}],\"willContinue\":true}},"
        + "{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.zone\",\"stringValue\":\"Tokyo\"}]"
        + "}}]},\"finishReason\":\"STOP\",\"index\":0}]}", "application/json");

    ChatResponse r = provider.chat(ChatRequest.of(MODEL, "Time in Tokyo?"), attempt());

    assertThat(r.toolCalls()).containsExactly(
        new ToolCall("fc_7", "get_time", "{\"zone\":\"Asia/Tokyo\"}"));
  }

  @Test
  void aStringThatDoesNotContinueReplacesTheValueAtItsPath() throws Exception {
    serve(OPEN + piece("{\"jsonPath\":\"$.from\",\"stringValue\":\"Par\"}", true)
        + piece("{\"jsonPath\":\"$.from\",\"stringValue\":\"Lyon\"}", false) + finish(),
        "text/event-stream");

    assertJson("{\"from\":\"Lyon\"}", deltas(stream(provider)).get(0).argumentsFragment());
  }

  @Test
  void argumentsThatOutgrowMaxResponseBytesEndTheStreamWithATypedFailure() {
    String fragment = "{\"jsonPath\":\"$.note\",\"stringValue\":\"" + "x".repeat(300)
        + "\",\"willContinue\":true}";
    StringBuilder sse = new StringBuilder(OPEN);
    for (int i = 0; i < 5; i++) {
      sse.append(piece(fragment, true));
    }
    serve(sse.append(finish()).toString(), "text/event-stream");

    try (GeminiProvider limited = builder().maxResponseBytes(1_000).build()) {
      List<ChatEvent> events = stream(limited);

      assertThat(failed(events).error()).isInstanceOfSatisfying(
          ResponseTooLargeException.class, e -> {
            assertThat(e.kind()).isEqualTo(ResponseTooLargeException.Kind.BODY);
            assertThat(e.getMessage()).contains("maxResponseBytes (1000 characters)");
          });
      assertThat(deltas(events)).as("nothing of the call was handed on").isEmpty();
    }
  }

  @Test
  void anIndexFarPastTheEndIsRefusedBeforeAnythingIsFilledIn() {
    serve(OPEN + piece("{\"jsonPath\":\"$.stops[999999999]\",\"stringValue\":\"Dijon\"}", false)
        + finish(), "text/event-stream");

    assertThat(failed(stream(provider)).error()).isInstanceOf(ResponseTooLargeException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"$..from", "$.stops[*]", "$[0]", "from", "$.stops[-1]",
      "$.stops[01]", "$['from'", "$", "$.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b"
      + ".c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o"})
  void aPathItCannotPlaceEndsTheStreamWithATypedFailure(String path) {
    serve(OPEN + piece("{\"jsonPath\":\"" + path + "\",\"stringValue\":\"Lyon\"}", false)
        + finish(), "text/event-stream");

    ProviderUnavailableException e = (ProviderUnavailableException) failed(stream(provider))
        .error();
    assertThat(e.getMessage()).startsWith("a streamed function-call argument's path")
        .doesNotContain(path);
  }

  @Test
  void aPathContradictingWhatArrivedEndsTheStreamWithATypedFailure() {
    serve(OPEN + piece("{\"jsonPath\":\"$.from\",\"stringValue\":\"Paris\"}", true)
        + piece("{\"jsonPath\":\"$.from.station\",\"stringValue\":\"Lyon\"}", false) + finish(),
        "text/event-stream");

    assertThat(failed(stream(provider)).error()).isInstanceOf(ProviderUnavailableException.class)
        .hasMessageStartingWith("a streamed function-call argument's path contradicts");
  }

  @Test
  void anArgumentPieceWithoutAnOpenCallIsAFailureNotANamelessCall() {
    serve(piece("{\"jsonPath\":\"$.zone\",\"stringValue\":\"UTC\"}", false) + finish(),
        "text/event-stream");

    List<ChatEvent> events = stream(provider);

    assertThat(deltas(events)).isEmpty();
    assertThat(failed(events).error()).isInstanceOf(ProviderUnavailableException.class)
        .hasMessageStartingWith("a function call arrived without the name of its function");
  }

  @Test
  void aStreamEndingWhileACallIsOpenHandsTheCallOnAtTheFinish() throws Exception {
    serve(OPEN + "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{"
        + "\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.from\",\"stringValue\":\"Nice\"}],"
        + "\"willContinue\":true}}]},\"finishReason\":\"STOP\",\"index\":0}]}\n\n",
        "text/event-stream");

    List<ChatEvent> events = stream(provider);

    assertThat(deltas(events)).singleElement()
        .satisfies(d -> assertThat(d.name()).isEqualTo("book_train"));
    assertJson("{\"from\":\"Nice\"}", deltas(events).get(0).argumentsFragment());
    assertThat(events.get(events.size() - 1)).isInstanceOf(ChatEvent.Completed.class);
  }
}
