package dev.llmgateway.core.internal.structured;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URL;
import java.time.Year;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON schema for a Java type that all three wire formats take as a strict schema, made once per
 * type with victools' generator (as the official OpenAI Java SDK makes its own) and then hardened:
 *
 * <ul>
 *   <li>every object lists all its properties in {@code required} and sets {@code
 *       additionalProperties: false} (OpenAI's strict mode demands both; Anthropic wants the
 *       second on every object);
 *   <li>an {@link Optional} or {@code @Nullable} property is required but may be null, written
 *       {@code anyOf: [schema, {type: null}]}, the union every format lists as supported;
 *   <li>everything is inlined: no {@code $ref}/{@code $defs} (Gemini allows no sibling keys beside a
 *       {@code $ref}) and no {@code $schema} (in none of the formats' keyword lists); a type that
 *       refers to itself is refused, as Anthropic and Gemini cannot take a recursive schema whose
 *       properties are all required;
 *   <li>property names, descriptions and ignored properties follow Jackson's annotations, and enum
 *       values are what the parsing mapper writes for each constant, so the schema names exactly
 *       what the parser reads;
 *   <li>JDK values Jackson reads from a string or number (URI, Currency, Year, a byte, ...) are
 *       described so, and a string {@code format} stays only when OpenAI and Anthropic both take
 *       it;
 *   <li>properties keep their declaration order (models answer in schema order).
 * </ul>
 *
 * <p>The provider documentation each rule follows is listed in the providers module's test
 * fixtures README, section "Structured output".
 *
 * <p>A type that cannot be strict (a map, {@code Object}, an unresolved type variable, a class
 * without properties, a root that is not an object) is refused with an {@link
 * IllegalArgumentException} that names the property. Thread-safe.
 */
final class StrictSchema {
  /** The longest schema name OpenAI takes ({@code ^[a-zA-Z0-9_-]{1,64}$}). */
  private static final int MAX_NAME_LENGTH = 64;

  /**
   * Types Jackson reads from a JSON string or number that the generator would describe as objects
   * (or, for a byte, as a string), with the JSON type Jackson reads them from.
   */
  private static final Map<Class<?>, String> SCALARS = Map.ofEntries(
      Map.entry(byte.class, "integer"), Map.entry(Byte.class, "integer"),
      Map.entry(URL.class, "string"), Map.entry(URI.class, "string"),
      Map.entry(Currency.class, "string"), Map.entry(Locale.class, "string"),
      Map.entry(YearMonth.class, "string"), Map.entry(Year.class, "integer"));

  /**
   * The string formats both OpenAI's strict mode and Anthropic take (Gemini takes any); another
   * format the generator writes (e.g. {@code uri}) is dropped.
   */
  private static final Set<String> FORMATS = Set.of("date-time", "time", "date", "duration",
      "email", "hostname", "ipv4", "ipv6", "uuid");

  private final ObjectMapper mapper;
  private final SchemaGenerator generator;

  /**
   * A generator whose enum values are those {@code mapper} writes.
   *
   * @param mapper the mapper that will parse the answers
   */
  StrictSchema(ObjectMapper mapper) {
    this.mapper = mapper;
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(mapper, SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(new JacksonModule())
            .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.INLINE_ALL_SCHEMAS)
            .without(Option.SCHEMA_VERSION_INDICATOR);
    config.forFields()
        .withRequiredCheck(field -> true)
        .withNullableCheck(StrictSchema::isNullable);
    config.forTypesInGeneral()
        .withPropertySorter((a, b) -> 0)
        .withCustomDefinitionProvider((javaType, context) -> {
          ObjectNode node = context.getGeneratorConfig().createObjectNode();
          if (javaType.isInstanceOf(Enum.class)) {
            return new CustomDefinition(enumSchema(javaType.getErasedType(), node));
          }
          String scalar = SCALARS.get(javaType.getErasedType());
          return scalar == null ? null : new CustomDefinition(node.put("type", scalar));
        });
    this.generator = new SchemaGenerator(config.build());
  }

  /** A generated schema. */
  record Generated(String name, String json, Set<String> propertyNames) {}

  /**
   * The strict schema of {@code type}. Synchronized: it runs once per type, and the generator's
   * caches are not documented as thread-safe.
   *
   * @throws IllegalArgumentException when the type cannot be described by a strict schema
   */
  synchronized Generated of(Class<?> type) {
    ObjectNode schema;
    try {
      schema = generator.generateSchema(type);
    } catch (IllegalArgumentException e) {
      if (String.valueOf(e.getMessage()).contains("circular reference")) {
        throw new IllegalArgumentException(type.getName() + " refers to itself (directly or "
            + "through another type): Anthropic and Gemini take no recursive schema whose "
            + "properties are all required; give the nesting a fixed depth", e);
      }
      throw new IllegalArgumentException("no JSON schema can be made of " + type.getName(), e);
    }
    if (!"object".equals(schema.path("type").asText())) {
      throw new IllegalArgumentException("the answer's type must be a record or a class with "
          + "properties, because providers want a JSON object at the root; " + type.getName()
          + " is not one: wrap it in a record");
    }
    Set<String> names = new LinkedHashSet<>();
    harden(schema, simpleName(type), names);
    return new Generated(name(type), schema.toString(), Set.copyOf(names));
  }

  /** Makes one node (and its children) strict; {@code path} names it in messages. */
  private static void harden(ObjectNode node, String path, Set<String> names) {
    JsonNode type = node.get("type");
    if (type != null && type.isArray()) {
      nullableToAnyOf(node, (ArrayNode) type, path, names);
      return;
    }
    if (node.has("anyOf")) {
      for (JsonNode branch : node.get("anyOf")) {
        harden((ObjectNode) branch, path, names);
      }
      return;
    }
    if (type == null && !node.has("enum")) {
      throw new IllegalArgumentException(path + " has no fixed type (Object, JsonNode, a type "
          + "variable or an interface): a strict schema needs one; use a record or a concrete type");
    }
    JsonNode format = node.get("format");
    if (format != null && !FORMATS.contains(format.asText())) {
      node.remove("format");
    }
    String kind = type == null ? "" : type.asText();
    if (kind.equals("object")) {
      JsonNode properties = node.get("properties");
      if (properties == null || properties.isEmpty()) {
        throw new IllegalArgumentException(path + " is an object without fixed properties (a map "
            + "or a class without fields): a strict schema needs every property named; use a "
            + "record, or a list of records for key-value pairs");
      }
      ArrayNode required = JsonNodeFactory.instance.arrayNode();
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        names.add(property.getKey());
        required.add(property.getKey());
        harden((ObjectNode) property.getValue(), path + "." + property.getKey(), names);
      }
      node.set("required", required);
      node.put("additionalProperties", false);
    } else if (kind.equals("array")) {
      JsonNode items = node.get("items");
      if (!(items instanceof ObjectNode)) {
        throw new IllegalArgumentException(path + " is an array without an item type");
      }
      harden((ObjectNode) items, path + "[]", names);
    }
  }

  /**
   * Rewrites {@code {type: [t, "null"], ...}} as {@code {anyOf: [{type: t, ...}, {type: null}]}},
   * keeping the description outside, and drops a null from an enum.
   */
  private static void nullableToAnyOf(ObjectNode node, ArrayNode types, String path,
      Set<String> names) {
    List<String> kinds = new ArrayList<>();
    for (JsonNode t : types) {
      if (!t.asText().equals("null")) {
        kinds.add(t.asText());
      }
    }
    if (kinds.size() != 1) {
      throw new IllegalArgumentException(path + " has the types " + types + "; a strict schema "
          + "takes one type, or one type and null");
    }
    ObjectNode branch = JsonNodeFactory.instance.objectNode();
    branch.put("type", kinds.get(0));
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!field.getKey().equals("type") && !field.getKey().equals("description")) {
        branch.set(field.getKey(), field.getValue());
      }
    }
    if (branch.get("enum") instanceof ArrayNode values) {
      ArrayNode kept = JsonNodeFactory.instance.arrayNode();
      values.forEach(v -> {
        if (!v.isNull()) {
          kept.add(v);
        }
      });
      branch.set("enum", kept);
    }
    harden(branch, path, names);
    JsonNode description = node.get("description");
    node.removeAll();
    if (description != null) {
      node.set("description", description);
    }
    node.putArray("anyOf").add(branch).addObject().put("type", "null");
  }

  /** An enum's values as the mapper writes them ({@code @JsonProperty}, {@code @JsonValue}). */
  private ObjectNode enumSchema(Class<?> type, ObjectNode node) {
    ArrayNode values = JsonNodeFactory.instance.arrayNode();
    boolean strings = true;
    boolean integers = true;
    for (Object constant : type.getEnumConstants()) {
      JsonNode value = mapper.valueToTree(constant);
      strings &= value.isTextual();
      integers &= value.isIntegralNumber();
      values.add(value);
    }
    if (strings || integers) {
      node.put("type", strings ? "string" : "integer");
    }
    node.set("enum", values);
    return node;
  }

  /** An {@link Optional}, or a field annotated with any annotation named {@code Nullable}. */
  private static boolean isNullable(FieldScope field) {
    if (field.getType() != null && field.getType().getErasedType() == Optional.class) {
      return true;
    }
    Field raw = field.getRawMember();
    return hasNullable(raw.getDeclaredAnnotations())
        || hasNullable(raw.getAnnotatedType().getAnnotations());
  }

  private static boolean hasNullable(Annotation[] annotations) {
    for (Annotation annotation : annotations) {
      if (annotation.annotationType().getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    return false;
  }

  /** The schema's name: the type's simple name in the characters and length OpenAI takes. */
  static String name(Class<?> type) {
    String name = simpleName(type).replaceAll("[^a-zA-Z0-9_-]", "_");
    return name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) : name;
  }

  /** The type's simple name, or its full name when it has none (an anonymous class). */
  static String simpleName(Class<?> type) {
    return type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
  }
}
