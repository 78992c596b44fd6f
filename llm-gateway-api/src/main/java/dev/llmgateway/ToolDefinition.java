package dev.llmgateway;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A tool (function) the model may call.
 *
 * @param name the tool's name, as the model will use it
 * @param description what the tool does, for the model
 * @param parametersSchema the JSON schema of its arguments, as raw JSON text
 * @param strict whether the provider should enforce the schema exactly (OpenAI's {@code strict})
 */
public record ToolDefinition(
    String name, @Nullable String description, String parametersSchema, boolean strict) {

  /** Validates. */
  public ToolDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parametersSchema, "parametersSchema");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a tool needs a name");
    }
  }

  /** A non-strict tool. */
  public static ToolDefinition of(String name, String description, String parametersSchema) {
    return new ToolDefinition(name, description, parametersSchema, false);
  }
}
