package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.ResponseFormat;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The strict JSON schema {@link StructuredOutput#responseFormat} makes from a Java type. */
class StructuredOutputSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Status { PAID, OPEN }

  enum Priority {
    @JsonProperty("low") LOW,
    @JsonProperty("high") HIGH
  }

  record Line(String item, int quantity, BigDecimal price) {}

  @JsonClassDescription("An invoice read from a document")
  record Invoice(
      @JsonPropertyDescription("who pays") String customer,
      List<Line> lines,
      Line first,
      Status status,
      Priority priority,
      LocalDate issued,
      double total,
      boolean paid,
      String[] tags,
      Optional<String> note,
      @Nullable Line correction,
      @JsonProperty("ref_no") String referenceNumber,
      @JsonIgnore @Nullable String internal) {}

  @Test
  void aRecordBecomesAStrictSchemaNamedAfterIt() throws Exception {
    ResponseFormat format = StructuredOutput.responseFormat(Invoice.class);

    assertThat(format.type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
    assertThat(format.strict()).isTrue();
    assertThat(format.name()).isEqualTo("Invoice");
    JsonNode schema = JSON.readTree(format.schema());
    assertThat(schema.get("type").asText()).isEqualTo("object");
    assertThat(schema.get("description").asText()).isEqualTo("An invoice read from a document");
    assertThat(names(schema.get("properties"))).containsExactly("customer", "lines", "first",
        "status", "priority", "issued", "total", "paid", "tags", "note", "correction", "ref_no");
    assertThat(schema.at("/properties/customer").toString())
        .isEqualTo("{\"type\":\"string\",\"description\":\"who pays\"}");
    assertThat(schema.at("/properties/lines/items/properties/quantity/type").asText())
        .isEqualTo("integer");
    assertThat(schema.at("/properties/lines/items/properties/price/type").asText())
        .isEqualTo("number");
    assertThat(schema.at("/properties/status").toString())
        .isEqualTo("{\"type\":\"string\",\"enum\":[\"PAID\",\"OPEN\"]}");
    assertThat(schema.at("/properties/priority/enum").toString())
        .isEqualTo("[\"low\",\"high\"]");
    assertThat(schema.at("/properties/issued/type").asText()).isEqualTo("string");
    assertThat(schema.at("/properties/paid/type").asText()).isEqualTo("boolean");
    assertThat(schema.at("/properties/tags/items/type").asText()).isEqualTo("string");
  }

  @Test
  void everyObjectRequiresAllItsPropertiesAndAllowsNoOther() throws Exception {
    JsonNode schema = JSON.readTree(StructuredOutput.responseFormat(Invoice.class).schema());

    List<JsonNode> objects = new ArrayList<>();
    collectObjects(schema, objects);

    assertThat(objects).hasSize(4);
    for (JsonNode object : objects) {
      assertThat(object.get("additionalProperties").asBoolean(true)).isFalse();
      assertThat(names(object.get("required"))).isEqualTo(names(object.get("properties")));
    }
  }

  @Test
  void anOptionalOrNullablePropertyIsRequiredButMayBeNull() throws Exception {
    JsonNode schema = JSON.readTree(StructuredOutput.responseFormat(Invoice.class).schema());

    assertThat(schema.at("/properties/note").toString())
        .isEqualTo("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]}");
    JsonNode correction = schema.at("/properties/correction/anyOf");
    assertThat(correction.get(0).get("type").asText()).isEqualTo("object");
    assertThat(correction.get(0).get("additionalProperties").asBoolean(true)).isFalse();
    assertThat(correction.get(1).toString()).isEqualTo("{\"type\":\"null\"}");
    assertThat(names(schema.get("required"))).contains("note", "correction");
  }

  @Test
  void theSchemaIsInlinedWithoutKeywordsAProviderRefuses() {
    String schema = StructuredOutput.responseFormat(Invoice.class).schema();

    assertThat(schema).doesNotContain("$ref", "$defs", "$schema", "\"internal\"");
  }

  record Scalars(URI link, Currency currency, Locale locale, Year year, YearMonth month,
      byte level, UUID id, Instant at, Duration took) {}

  @Test
  void valuesJacksonReadsFromAStringOrNumberAreDescribedSoWithFormatsEveryProviderTakes()
      throws Exception {
    JsonNode properties =
        JSON.readTree(StructuredOutput.responseFormat(Scalars.class).schema()).get("properties");

    assertThat(properties.toString()).isEqualTo("{\"link\":{\"type\":\"string\"},"
        + "\"currency\":{\"type\":\"string\"},\"locale\":{\"type\":\"string\"},"
        + "\"year\":{\"type\":\"integer\"},\"month\":{\"type\":\"string\"},"
        + "\"level\":{\"type\":\"integer\"},"
        + "\"id\":{\"type\":\"string\",\"format\":\"uuid\"},"
        + "\"at\":{\"type\":\"string\",\"format\":\"date-time\"},"
        + "\"took\":{\"type\":\"string\",\"format\":\"duration\"}}");
  }

  @Test
  void aTypesFormatIsMadeOnceAndKept() {
    assertThat(StructuredOutput.responseFormat(Invoice.class))
        .isSameAs(StructuredOutput.responseFormat(Invoice.class));
  }

  record WithMap(String name, Map<String, String> meta) {}

  record WithObject(String name, Object payload) {}

  record Node(String name, List<Node> children) {}

  record Page<T>(List<T> items) {}

  @Test
  void typesWithoutAStrictSchemaAreRefusedNamingTheProperty() {
    assertThatThrownBy(() -> StructuredOutput.responseFormat(WithMap.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("WithMap.meta is an object without fixed properties");
    assertThatThrownBy(() -> StructuredOutput.responseFormat(WithObject.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("WithObject.payload has no fixed type");
    assertThatThrownBy(() -> StructuredOutput.responseFormat(Page.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Page.items[] has no fixed type");
    assertThatThrownBy(() -> StructuredOutput.responseFormat(Node.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Node refers to itself");
  }

  @Test
  void theRootMustBeAnObject() {
    for (Class<?> type : List.of(String.class, Status.class, List.class, int.class)) {
      assertThatThrownBy(() -> StructuredOutput.responseFormat(type))
          .as(type.getName())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("wrap it in a record");
    }
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> names.add(n.asText()));
    } else {
      node.properties().forEach(e -> names.add(e.getKey()));
    }
    return names;
  }

  private static void collectObjects(JsonNode node, List<JsonNode> into) {
    if ("object".equals(node.path("type").asText())) {
      into.add(node);
    }
    node.forEach(child -> collectObjects(child, into));
  }
}
