package dev.llmgateway;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The shape of the answer: free text, any JSON object, or JSON that follows a schema.
 *
 * <p>For a schema made from a Java record, and the answer read back as that record, use core's
 * {@code StructuredOutput.responseFormat(Invoice.class)} and {@code StructuredOutput.parse}.
 *
 * @param type the kind of format
 * @param name the schema's name (for {@link Type#JSON_SCHEMA})
 * @param schema the JSON schema as raw JSON text (for {@link Type#JSON_SCHEMA})
 * @param strict whether the provider must follow the schema exactly
 */
public record ResponseFormat(
    Type type, @Nullable String name, @Nullable String schema, boolean strict) {

  /** Free text (the default). */
  public static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, false);

  /** Some JSON object. */
  public static final ResponseFormat JSON_OBJECT =
      new ResponseFormat(Type.JSON_OBJECT, null, null, false);

  /** The kinds of format. */
  public enum Type {
    /** Free text. */
    TEXT,
    /** Any JSON object. */
    JSON_OBJECT,
    /** JSON following a schema. */
    JSON_SCHEMA
  }

  /** Validates. */
  public ResponseFormat {
    Objects.requireNonNull(type, "type");
    if ((type == Type.JSON_SCHEMA) != (schema != null && name != null)) {
      throw new IllegalArgumentException("a JSON schema format needs a name and a schema");
    }
  }

  /** JSON following the given schema, strictly. */
  public static ResponseFormat jsonSchema(String name, String schema) {
    return new ResponseFormat(Type.JSON_SCHEMA, name, schema, true);
  }
}
