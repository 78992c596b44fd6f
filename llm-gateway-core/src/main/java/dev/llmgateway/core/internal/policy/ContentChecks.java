package dev.llmgateway.core.internal.policy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Message;
import dev.llmgateway.ModerationRequest;
import dev.llmgateway.ModerationResult;
import dev.llmgateway.Role;
import dev.llmgateway.core.policy.ContentPolicy;
import dev.llmgateway.core.policy.content.ContentFilter;
import dev.llmgateway.core.policy.content.ContentHit;
import dev.llmgateway.spi.ModerationProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The content policy on a prompt and on a unary answer: the filter over every user message and
 * tool result, the moderation provider over the turn's new texts (the user messages and tool
 * results after the last assistant message: earlier turns were checked when they were new).
 */
final class ContentChecks {
  static final String MODERATION = "moderation";

  private ContentChecks() {}

  static void input(CallPolicy cp, ChatRequest request, ContentPolicy content) {
    List<Message> messages = request.messages();
    ContentFilter filter = content.filter();
    if (filter != null) {
      Set<String> categories = null;
      try {
        for (int i = 0; i < messages.size(); i++) {
          Message m = messages.get(i);
          if (m.role() == Role.USER || m.role() == Role.TOOL) {
            categories = check(filter, m.text(), categories);
          }
        }
      } catch (IllegalArgumentException tooLong) {
        throw cp.tooLong(CallPolicy.CONTENT, tooLong);
      }
      found(cp, categories, content, CallPolicy.CONTENT, "the request");
    }
    if (content.moderation() != null) {
      List<String> turn = new ArrayList<>();
      for (Message m : messages) {
        if (m.role() == Role.ASSISTANT) {
          turn.clear();
        } else if (m.role() == Role.USER || m.role() == Role.TOOL) {
          turn.add(m.text());
        }
      }
      moderate(cp, turn, content, "the request");
    }
  }

  static void texts(CallPolicy cp, List<String> texts, ContentPolicy content, String policy) {
    filter(cp, texts, content, policy, "the request");
    moderate(cp, texts, content, "the request");
  }

  static void output(CallPolicy cp, ChatResponse response, ContentPolicy content) {
    String text = response.text();
    if (text.isEmpty()) {
      return;
    }
    ContentFilter filter = content.filter();
    if (filter != null) {
      Set<String> categories;
      try {
        categories = check(filter, text, null);
      } catch (IllegalArgumentException tooLong) {
        throw cp.tooLong(CallPolicy.CONTENT_OUTPUT, tooLong);
      }
      found(cp, categories, content, CallPolicy.CONTENT_OUTPUT, "the answer");
    }
    if (content.moderation() != null) {
      moderate(cp, List.of(text), content, "the answer");
    }
  }

  private static void filter(CallPolicy cp, List<String> texts, ContentPolicy content,
      String policy, String what) {
    ContentFilter filter = content.filter();
    if (filter == null) {
      return;
    }
    Set<String> categories = null;
    try {
      for (String text : texts) {
        categories = check(filter, text, categories);
      }
    } catch (IllegalArgumentException tooLong) {
      throw cp.tooLong(policy, tooLong);
    }
    found(cp, categories, content, policy, what);
  }

  /** {@code categories} with those {@code filter} finds in {@code text}: a set once one is found. */
  private static @Nullable Set<String> check(ContentFilter filter, String text,
      @Nullable Set<String> categories) {
    List<ContentHit> hits = filter.check(text);
    for (int i = 0; i < hits.size(); i++) {
      if (categories == null) {
        categories = new TreeSet<>();
      }
      categories.add(hits.get(i).category());
    }
    return categories;
  }

  private static void moderate(CallPolicy cp, List<String> texts, ContentPolicy content,
      String what) {
    ModerationProvider moderation = content.moderation();
    if (moderation == null || texts.isEmpty()) {
      return;
    }
    ModerationResult result = moderation.moderate(ModerationRequest.of(texts));
    if (!result.flagged()) {
      return;
    }
    Set<String> categories = new TreeSet<>(result.flaggedCategories());
    if (categories.isEmpty()) {
      categories.add("flagged");
    }
    found(cp, categories, content, MODERATION, what);
  }

  private static void found(CallPolicy cp, @Nullable Set<String> categories,
      ContentPolicy content, String policy, String what) {
    if (categories == null || categories.isEmpty()) {
      return;
    }
    String detail = "categories " + String.join(", ", categories);
    boolean block = cp.blocks(content.action());
    cp.verdict(policy, content.action() == dev.llmgateway.core.policy.PolicyAction.BLOCK
        ? "blocked" : "flagged", detail);
    if (block) {
      throw cp.refuse(what + " was blocked by policy '" + policy + "' of the policy set '"
          + cp.set.name() + "' (" + detail + ")");
    }
  }
}
