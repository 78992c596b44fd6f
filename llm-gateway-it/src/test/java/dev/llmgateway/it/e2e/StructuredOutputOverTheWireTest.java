package dev.llmgateway.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.StructuredOutputException;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.StructuredOutput;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.wire.AnthropicMockServer;
import dev.llmgateway.testing.wire.GeminiMockServer;
import dev.llmgateway.testing.wire.MockRequest;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import dev.llmgateway.testing.wire.ProviderMockServer;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structured output round trips through the gateway over each wire format's mock: the request the
 * mock receives carries the record's schema where and how that provider documents it, and the
 * answer, unary or streamed, parses back into the record; an answer that is not the record's JSON
 * is a {@link StructuredOutputException}.
 *
 * <p>The documented shapes, one per format (sources with versions in {@code
 * llm-gateway-providers/src/test/resources/fixtures/README.md}, section "Structured output"):
 *
 * <ul>
 *   <li><b>OpenAI</b> Chat Completions: {@code response_format: {type: "json_schema", json_schema:
 *       {name, schema, strict: true}}} (openai-openapi {@code ResponseFormatJsonSchema}; the name
 *       matches {@code ^[a-zA-Z0-9_-]{1,64}$}). In strict mode every object lists all its
 *       properties in {@code required} and sets {@code additionalProperties: false}, the root is an
 *       object and not {@code anyOf}, and an optional value is a union with null (OpenAI's
 *       Structured Outputs guide, "Supported schemas"; openai-python's {@code
 *       to_strict_json_schema} enforces the first two).
 *   <li><b>Anthropic</b> Messages: {@code output_config: {format: {type: "json_schema", schema}}}
 *       (anthropic-sdk-python {@code OutputConfigParam}, {@code JSONOutputFormatParam}); the schema
 *       uses only the keywords the SDK's {@code transform_schema} keeps, string formats from its
 *       list, and {@code additionalProperties: false} on every object.
 *   <li><b>Gemini</b> generateContent: {@code generationConfig: {responseMimeType:
 *       "application/json", responseJsonSchema}} without {@code responseSchema}, using only the
 *       keywords the {@code GenerationConfig.response_json_schema} comment of
 *       {@code generative_service.proto} lists.
 * </ul>
 */
class StructuredOutputOverTheWireTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Usage USAGE = Usage.of(120, 40);

  enum Kind { BUG, FEATURE, QUESTION }

  record Label(String name, double confidence) {}

  record Ticket(
      @JsonPropertyDescription("one line that says what the ticket is about") String summary,
      Kind kind,
      List<Label> labels,
      Optional<String> assignee,
      LocalDate reported) {}

  private static final Ticket TICKET = new Ticket("Login fails after the password reset",
      Kind.BUG, List.of(new Label("auth", 0.92), new Label("regression", 0.61)), Optional.empty(),
      LocalDate.of(2026, 5, 4));

  private static final String ANSWER = "{\"summary\":\"Login fails after the password reset\","
      + "\"kind\":\"BUG\",\"labels\":[{\"name\":\"auth\",\"confidence\":0.92},"
      + "{\"name\":\"regression\",\"confidence\":0.61}],\"assignee\":null,"
      + "\"reported\":\"2026-05-04\"}";

  private static final ChatRequest REQUEST = ChatRequest.builder("m")
      .user("Triage this ticket: after resetting my password I cannot log in.")
      .responseFormat(StructuredOutput.responseFormat(Ticket.class))
      .maxOutputTokens(500)
      .build();

  /** What OpenAI's strict mode takes; every object must require all and allow no other. */
  private static final Set<String> OPENAI_KEYWORDS = Set.of("type", "properties", "required",
      "additionalProperties", "items", "anyOf", "enum", "const", "description", "format",
      "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
      "minItems", "maxItems", "$ref", "$defs");
  /** The keys anthropic-sdk-python's {@code transform_schema} keeps. */
  private static final Set<String> ANTHROPIC_KEYWORDS = Set.of("type", "properties", "required",
      "additionalProperties", "items", "minItems", "anyOf", "allOf", "enum", "description",
      "title", "format", "$ref", "$defs");
  /** Its {@code SupportedStringFormats}. */
  private static final Set<String> ANTHROPIC_FORMATS = Set.of("date-time", "time", "date",
      "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid");
  /** The keywords {@code GenerationConfig.response_json_schema} lists. */
  private static final Set<String> GEMINI_KEYWORDS = Set.of("$id", "$defs", "$ref", "$anchor",
      "type", "format", "title", "description", "enum", "items", "prefixItems", "minItems",
      "maxItems", "minimum", "maximum", "anyOf", "oneOf", "properties", "additionalProperties",
      "required", "propertyOrdering");

  static Stream<Arguments> formats() {
    return Stream.of(
        format("openai", OpenAiMockServer::start,
            s -> OpenAiPresets.openAi().baseUrl(s.baseUrl()).apiKey("sk-structured-1").build()),
        format("anthropic", AnthropicMockServer::start,
            s -> AnthropicProvider.builder().baseUrl(s.baseUrl()).apiKey("sk-ant-structured-1")
                .build()),
        format("gemini", GeminiMockServer::start,
            s -> GeminiProvider.builder().baseUrl(s.baseUrl()).apiKey("AIza-structured-1")
                .build()));
  }

  private static Arguments format(String name, Supplier<ProviderMockServer> server,
      Function<ProviderMockServer, Provider> provider) {
    return Arguments.of(name, server, provider);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void theRecordsSchemaGoesOutInTheProvidersShapeAndTheAnswerComesBackAsTheRecord(String name,
      Supplier<ProviderMockServer> servers, Function<ProviderMockServer, Provider> providers)
      throws Exception {
    try (ProviderMockServer server = servers.get();
        Gateway gateway = Gateway.builder().provider(providers.apply(server)).build()) {
      server.replyText(ANSWER, USAGE);
      server.streamText(List.of(ANSWER.substring(0, 30), ANSWER.substring(30, 90),
          ANSWER.substring(90)), USAGE);

      ChatResponse unary = gateway.chat(REQUEST);
      ChatResponse streamed = gateway.stream(REQUEST).collect();

      assertThat(StructuredOutput.parse(unary, Ticket.class)).isEqualTo(TICKET);
      assertThat(StructuredOutput.parse(streamed, Ticket.class)).isEqualTo(TICKET);
      for (int i = 0; i < 2; i++) {
        JsonNode sent = sentSchema(name, server.takeRequest());
        assertThat(sent).isEqualTo(JSON.readTree(REQUEST.responseFormat().schema()));
        assertThat(sent.at("/properties/summary/description").asText())
            .isEqualTo("one line that says what the ticket is about");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void anAnswerThatIsNotTheRecordsJsonIsATypedErrorCarryingTheText(String name,
      Supplier<ProviderMockServer> servers, Function<ProviderMockServer, Provider> providers) {
    String refusal = "I can't triage tickets, but here is a poem instead.";
    try (ProviderMockServer server = servers.get();
        Gateway gateway = Gateway.builder().provider(providers.apply(server)).build()) {
      server.replyText(refusal, USAGE);
      server.replyText(ANSWER.replace("\"BUG\"", "\"URGENT\""), USAGE);

      ChatResponse notJson = gateway.chat(REQUEST);
      ChatResponse wrongEnum = gateway.chat(REQUEST);

      StructuredOutputException e = catchThrowableOfType(StructuredOutputException.class,
          () -> StructuredOutput.parse(notJson, Ticket.class));
      assertThat(e.problem()).isEqualTo(StructuredOutputException.Problem.NOT_JSON);
      assertThat(e.rawText()).isEqualTo(refusal);
      assertThat(e.getMessage()).doesNotContain("poem").contains("does not parse into Ticket");
      assertThat(e.provider()).isEqualTo(name);
      assertThat(e.model()).isEqualTo("m");
      StructuredOutputException mismatch = catchThrowableOfType(StructuredOutputException.class,
          () -> StructuredOutput.parse(wrongEnum, Ticket.class));
      assertThat(mismatch.problem()).isEqualTo(StructuredOutputException.Problem.MISMATCH);
      assertThat(mismatch.getMessage()).contains("the type at kind").doesNotContain("URGENT");
    }
  }

  /** The schema in the request body, after checking the body's shape against the format's docs. */
  private static JsonNode sentSchema(String format, MockRequest request) throws Exception {
    JsonNode body = JSON.readTree(request.body());
    JsonNode schema;
    switch (format) {
      case "openai": {
        JsonNode responseFormat = body.get("response_format");
        assertThat(responseFormat.get("type").asText()).isEqualTo("json_schema");
        JsonNode jsonSchema = responseFormat.get("json_schema");
        assertThat(jsonSchema.get("name").asText()).matches("^[a-zA-Z0-9_-]{1,64}$")
            .isEqualTo("Ticket");
        assertThat(jsonSchema.get("strict").asBoolean()).isTrue();
        schema = jsonSchema.get("schema");
        assertThat(schema.get("type").asText()).isEqualTo("object");
        assertThat(schema.has("anyOf")).isFalse();
        checkKeywords(schema, OPENAI_KEYWORDS, null);
        break;
      }
      case "anthropic": {
        JsonNode outputFormat = body.at("/output_config/format");
        assertThat(outputFormat.get("type").asText()).isEqualTo("json_schema");
        schema = outputFormat.get("schema");
        checkKeywords(schema, ANTHROPIC_KEYWORDS, ANTHROPIC_FORMATS);
        break;
      }
      case "gemini": {
        JsonNode config = body.get("generationConfig");
        assertThat(config.get("responseMimeType").asText()).isEqualTo("application/json");
        assertThat(config.has("responseSchema")).isFalse();
        schema = config.get("responseJsonSchema");
        checkKeywords(schema, GEMINI_KEYWORDS, null);
        break;
      }
      default:
        throw new AssertionError(format);
    }
    checkStrictObjects(schema);
    return schema;
  }

  /** Every schema node uses only the given keywords (and, when given, these string formats). */
  private static void checkKeywords(JsonNode schema, Set<String> keywords,
      Set<String> formats) {
    for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
      assertThat(keywords).as("keyword in %s", schema).contains(keyword.getKey());
      switch (keyword.getKey()) {
        case "properties":
          keyword.getValue().properties().forEach(p -> checkKeywords(p.getValue(), keywords,
              formats));
          break;
        case "items":
          checkKeywords(keyword.getValue(), keywords, formats);
          break;
        case "anyOf":
          keyword.getValue().forEach(branch -> checkKeywords(branch, keywords, formats));
          break;
        case "format":
          if (formats != null) {
            assertThat(formats).contains(keyword.getValue().asText());
          }
          break;
        default:
          break;
      }
    }
  }

  /** Every object requires all its properties and allows no other. */
  private static void checkStrictObjects(JsonNode node) {
    if ("object".equals(node.path("type").asText()) && node.has("properties")) {
      assertThat(node.get("additionalProperties").asBoolean(true)).as("%s", node).isFalse();
      List<String> properties = node.get("properties").properties().stream()
          .map(Map.Entry::getKey).toList();
      List<String> required = JSON.convertValue(node.get("required"),
          JSON.getTypeFactory().constructCollectionType(List.class, String.class));
      assertThat(required).isEqualTo(properties);
      node.get("properties").forEach(StructuredOutputOverTheWireTest::checkStrictObjects);
    } else {
      node.forEach(StructuredOutputOverTheWireTest::checkStrictObjects);
    }
  }
}
