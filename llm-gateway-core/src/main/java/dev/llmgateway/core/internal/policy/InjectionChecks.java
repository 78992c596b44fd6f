package dev.llmgateway.core.internal.policy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.core.policy.InjectionPolicy;
import dev.llmgateway.core.policy.PolicyAction;
import dev.llmgateway.core.policy.injection.InjectionClassifier;
import dev.llmgateway.core.policy.injection.InjectionScore;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The injection scan of a prompt: every user message (direct injection) and every tool result
 * (indirect) as the policy says, each scored by the scanner; a borderline one goes to the
 * classifier when there is one. The verdict names the highest score, where it was and the
 * scanner's signals — never the text.
 */
final class InjectionChecks {
  private InjectionChecks() {}

  static void input(CallPolicy cp, ChatRequest request, InjectionPolicy policy,
      Classifiers classifiers) {
    double top = 0;
    String where = null;
    Set<String> signals = null;
    boolean flagged = false;
    for (Message m : request.messages()) {
      boolean user = m.role() == Role.USER && policy.scansUserContent();
      boolean tool = m.role() == Role.TOOL && policy.scansToolResults();
      if (!user && !tool) {
        continue;
      }
      String text = m.text();
      if (text.isEmpty()) {
        continue;
      }
      InjectionScore score;
      try {
        score = policy.scanner().scan(text);
      } catch (IllegalArgumentException tooLong) {
        throw cp.tooLong(CallPolicy.INJECTION, tooLong);
      }
      double s = score.score();
      boolean hit = score.flagged();
      InjectionClassifier classifier = policy.classifier();
      if (!hit && score.borderline() && classifier != null) {
        double p;
        try {
          p = classifier.probability(text, classifiers.chat(cp.call));
        } catch (RuntimeException failed) { // no answer: the heuristic score stands
          p = InjectionClassifier.NO_ANSWER;
        }
        if (p >= 0.5) {
          hit = true;
          s = Math.max(s, p);
        }
      }
      if (hit) {
        flagged = true;
        if (signals == null) {
          signals = new TreeSet<>();
        }
        signals.addAll(score.signals());
        if (s > top || where == null) {
          top = s;
          where = user ? "a user message" : "a tool result";
        }
      }
    }
    if (!flagged) {
      return;
    }
    String detail = String.format(Locale.ROOT, "score %.2f in %s: %s", top, where,
        String.join(", ", signals));
    cp.verdict(CallPolicy.INJECTION, policy.action() == PolicyAction.BLOCK ? "blocked" : "flagged",
        detail);
    if (cp.blocks(policy.action())) {
      throw cp.refuse("the request was blocked as a likely prompt injection by the policy set '"
          + cp.set.name() + "' (" + detail + ")");
    }
  }
}
