package dev.llmgateway.core.internal.policy;

import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts of a message a policy reads or rewrites: its text parts and its tool calls'
 * arguments. Other parts (images, documents, reasoning with its signature) pass untouched.
 */
final class Texts {
  private Texts() {}

  /**
   * What a pass does to a message's texts: one object per pass (a redaction, the answer's scan,
   * a restoration) rather than a function per text.
   */
  interface Rewrite {
    /** A text part's text, rewritten; {@code text} itself when unchanged. */
    String text(String text);

    /** A tool call's arguments, rewritten; {@code arguments} itself when unchanged. */
    String arguments(String arguments);
  }

  /**
   * {@code m} with each text part through {@link Rewrite#text} and each tool call's arguments
   * through {@link Rewrite#arguments}; {@code m} itself when every call returned its input (no
   * copy).
   */
  static Message map(Message m, Rewrite rewrite) {
    List<ContentPart> content = m.content();
    List<ContentPart> parts = null;
    if (content.size() == 1) { // the usual message: no list to copy
      ContentPart r = map(content.get(0), rewrite);
      if (r != content.get(0)) {
        parts = List.of(r);
      }
    } else {
      for (int i = 0; i < content.size(); i++) {
        ContentPart p = content.get(i);
        ContentPart r = map(p, rewrite);
        if (r != p && parts == null) {
          parts = new ArrayList<>(content.size());
          for (int j = 0; j < i; j++) {
            parts.add(content.get(j));
          }
        }
        if (parts != null) {
          parts.add(r);
        }
      }
    }
    List<ToolCall> calls = null;
    List<ToolCall> toolCalls = m.toolCalls();
    for (int i = 0; i < toolCalls.size(); i++) {
      ToolCall c = toolCalls.get(i);
      String args = rewrite.arguments(c.arguments());
      if (args != c.arguments() && calls == null) {
        calls = new ArrayList<>(toolCalls.size());
        for (int j = 0; j < i; j++) {
          calls.add(toolCalls.get(j));
        }
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

  private static ContentPart map(ContentPart p, Rewrite rewrite) {
    if (p instanceof ContentPart.Text t) {
      String mapped = rewrite.text(t.text());
      if (mapped != t.text()) {
        return new ContentPart.Text(mapped, t.cacheControl());
      }
    }
    return p;
  }
}
