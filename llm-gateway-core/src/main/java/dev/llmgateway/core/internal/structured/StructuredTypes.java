package dev.llmgateway.core.internal.structured;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ResponseFormat;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code core.StructuredOutput} hands out: per Java type, its strict {@link ResponseFormat}
 * and a reader for its answers, made on first use and kept for the type's lifetime in a {@link
 * ClassValue} (so a call after the first does no reflection, and an unloaded class takes its entry
 * with it). Thread-safe.
 */
public final class StructuredTypes {
  private static final StrictSchema SCHEMAS = new StrictSchema(AnswerParser.MAPPER);

  private static final ClassValue<Binding> BINDINGS = new ClassValue<>() {
    @Override
    protected Binding computeValue(Class<?> type) {
      StrictSchema.Generated schema = SCHEMAS.of(type);
      return new Binding(ResponseFormat.jsonSchema(schema.name(), schema.json()),
          AnswerParser.readerFor(type), schema.propertyNames());
    }
  };

  private StructuredTypes() {}

  /** One type's format and reader. */
  private record Binding(ResponseFormat format, ObjectReader reader, Set<String> propertyNames) {}

  /**
   * The strict JSON schema format of {@code type}.
   *
   * @throws IllegalArgumentException when the type cannot be described by a strict schema, or
   *     Jackson cannot build it
   */
  public static ResponseFormat responseFormat(Class<?> type) {
    return BINDINGS.get(Objects.requireNonNull(type, "type")).format();
  }

  /**
   * The answer of {@code response} as a {@code type}.
   *
   * @throws IllegalArgumentException when the type cannot be described by a strict schema, or
   *     Jackson cannot build it
   * @throws dev.llmgateway.StructuredOutputException when the answer does not parse
   */
  public static <T> T parse(ChatResponse response, Class<T> type) {
    Objects.requireNonNull(response, "response");
    Binding binding = BINDINGS.get(Objects.requireNonNull(type, "type"));
    return AnswerParser.parse(response, type, binding.reader(), binding.propertyNames());
  }
}
