package dev.llmgateway;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether and which tool the model must call.
 *
 * @param mode the mode
 * @param toolName the tool to call when {@code mode} is {@link Mode#TOOL}
 */
public record ToolChoice(Mode mode, @Nullable String toolName) {
  /** The model decides. */
  public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);

  /** The model must not call tools. */
  public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);

  /** The model must call at least one tool. */
  public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

  /** How the model chooses. */
  public enum Mode {
    /** The model decides. */
    AUTO,
    /** No tool calls. */
    NONE,
    /** Some tool call. */
    REQUIRED,
    /** The named tool. */
    TOOL
  }

  /** Validates. */
  public ToolChoice {
    Objects.requireNonNull(mode, "mode");
    if ((mode == Mode.TOOL) != (toolName != null)) {
      throw new IllegalArgumentException("a tool name goes with mode TOOL and only with it");
    }
  }

  /** The model must call the named tool. */
  public static ToolChoice tool(String name) {
    return new ToolChoice(Mode.TOOL, name);
  }
}
