package dev.llmgateway;

/** Who speaks a {@link Message}. */
public enum Role {
  /** Instructions for the model; providers that carry them separately (Anthropic, Gemini) do so. */
  SYSTEM,
  /** The end user. */
  USER,
  /** The model. */
  ASSISTANT,
  /** The result of a tool call, answering an assistant's {@link ToolCall}. */
  TOOL
}
