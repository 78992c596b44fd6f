package dev.llmgateway.core.internal.policy;

import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The texts of a message a policy reads or rewrites: its text parts and its tool calls'
 * arguments. Other parts (images, documents, reasoning with its signature) pass untouched.
 */
final class Texts {
  private Texts() {}

  /**
   * {@code m} with each text part through {@code text} and each tool call's arguments through
   * {@code arguments}; {@code m} itself when every function returned its input (no copy).
   */
  static Message map(Message m, UnaryOperator<String> text, UnaryOperator<String> arguments) {
    List<ContentPart> parts = null;
    List<ContentPart> content = m.content();
    for (int i = 0; i < content.size(); i++) {
      ContentPart p = content.get(i);
      ContentPart r = p;
      if (p instanceof ContentPart.Text t) {
        String mapped = text.apply(t.text());
        if (mapped != t.text()) {
          r = new ContentPart.Text(mapped, t.cacheControl());
        }
      }
      if (r != p && parts == null) {
        parts = new ArrayList<>(content.subList(0, i));
      }
      if (parts != null) {
        parts.add(r);
      }
    }
    List<ToolCall> calls = null;
    List<ToolCall> toolCalls = m.toolCalls();
    for (int i = 0; i < toolCalls.size(); i++) {
      ToolCall c = toolCalls.get(i);
      String args = arguments.apply(c.arguments());
      if (args != c.arguments() && calls == null) {
        calls = new ArrayList<>(toolCalls.subList(0, i));
      }
      if (calls != null) {
        calls.add(args == c.arguments() ? c
            : new ToolCall(c.id(), c.name(), args, c.signature(), c.signatureFormat()));
      }
    }
    if (parts == null && calls == null) {
      return m;
    }
    return new Message(m.role(), parts == null ? content : parts,
        calls == null ? toolCalls : calls, m.toolCallId(), m.name());
  }
}
