package dev.llmgateway;

import java.util.Objects;

/**
 * A call the model asks the application to make.
 *
 * @param id the provider's id for this call; send it back in the {@link Message#toolResult}
 * @param name the tool's name
 * @param arguments the arguments as raw JSON text (an object)
 */
public record ToolCall(String id, String name, String arguments) {
  /** Validates. */
  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
  }
}
