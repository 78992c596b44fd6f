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

/**
 * The content policy on a prompt and on a unary answer: the filter over every user message and
 * tool result, the moderation provider over the turn's new texts (the user messages and tool
 * results after the last assistant message: earlier turns were checked when they were new).
 */
final class ContentChecks {
  static final String MODERATION = "moderation";

  private ContentChecks() {}

  static void input(CallPolicy cp, ChatRequest request, ContentPolicy content) {
    List<String> all = new ArrayList<>();
    List<String> turn = new ArrayList<>();
    for (Message m : request.messages()) {
      if (m.role() == Role.ASSISTANT) {
        turn.clear();
      } else if (m.role() == Role.USER || m.role() == Role.TOOL) {
        String text = m.text();
        all.add(text);
        turn.add(text);
      }
    }
    filter(cp, all, content, CallPolicy.CONTENT, "the request");
    moderate(cp, turn, content, "the request");
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
    filter(cp, List.of(text), content, CallPolicy.CONTENT_OUTPUT, "the answer");
    moderate(cp, List.of(text), content, "the answer");
  }

  private static void filter(CallPolicy cp, List<String> texts, ContentPolicy content,
      String policy, String what) {
    ContentFilter filter = content.filter();
    if (filter == null) {
      return;
    }
    Set<String> categories = new TreeSet<>();
    try {
      for (String text : texts) {
        for (ContentHit hit : filter.check(text)) {
          categories.add(hit.category());
        }
      }
    } catch (IllegalArgumentException tooLong) {
      throw cp.tooLong(policy, tooLong);
    }
    found(cp, categories, content, policy, what);
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

  private static void found(CallPolicy cp, Set<String> categories, ContentPolicy content,
      String policy, String what) {
    if (categories.isEmpty()) {
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
