package dev.llmgateway.testing.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads a request body's last text, for errors that quote it. */
final class Prompts {
  private static final String[] CONTAINERS = {"messages", "contents", "input", "content", "parts",
      "text"};

  private Prompts() {}

  /**
   * The last text of the request: of its last message ({@code messages} in OpenAI's and
   * Anthropic's formats, {@code contents} in Gemini's), or of its embeddings {@code input}; "" when
   * there is none.
   */
  static String lastText(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isArray()) {
      for (int i = node.size() - 1; i >= 0; i--) {
        String text = lastText(node.get(i));
        if (!text.isEmpty()) {
          return text;
        }
      }
      return "";
    }
    if (node.isObject()) {
      for (String field : CONTAINERS) {
        JsonNode child = node.get(field);
        if (child != null) {
          String text = lastText(child);
          if (!text.isEmpty()) {
            return text;
          }
        }
      }
    }
    return "";
  }
}
