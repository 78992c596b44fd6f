package dev.llmgateway.core.internal.policy;

import dev.llmgateway.core.policy.PiiAction;
import dev.llmgateway.core.policy.PiiPolicy;
import dev.llmgateway.core.policy.pii.PiiSpan;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Applies a {@link PiiPolicy} to one text: finds its PII with the policy's scanner and replaces
 * each finding as its kind's action says — a placeholder from the call's {@link Vault}, the kind's
 * mask {@code <EMAIL>}, nothing (flag) — counting every finding in a {@link Tally}. With {@code
 * apply} false (monitor mode, or a pass that only counts) the text is returned unchanged. The
 * rewritten text is built once, in the thread's {@link Scratch} buffer.
 */
final class Redactor {
  private Redactor() {}

  /** The input form of {@code text}: placeholders, masks. */
  static String input(String text, PiiPolicy policy, Vault vault, Tally tally, boolean apply) {
    return replace(text, policy, tally, vault, apply);
  }

  /** The output form of {@code text}: masks where the policy's output action says so. */
  static String output(String text, PiiPolicy policy, Tally tally, boolean apply) {
    return replace(text, policy, tally, null, apply);
  }

  /**
   * {@code text} with each finding counted under its input (with a {@code vault}) or, for an
   * answer (without), output action and replaced as that action says; the text itself when nothing
   * is replaced. An answer's own placeholders are skipped: they are restored next, not the model's
   * PII.
   */
  private static String replace(String text, PiiPolicy policy, Tally tally,
      @Nullable Vault vault, boolean apply) {
    List<PiiSpan> spans = policy.scanner().scan(text);
    if (spans.isEmpty()) {
      return text;
    }
    boolean answer = vault == null;
    StringBuilder out = null;
    int copied = 0;
    for (int i = 0; i < spans.size(); i++) {
      PiiSpan span = spans.get(i);
      if (answer && isPlaceholder(text, span)) {
        continue;
      }
      PiiAction action = answer ? policy.outputAction(span.type())
          : policy.inputAction(span.type());
      tally.add(span.type(), action);
      if (!apply || (answer ? action != PiiAction.MASK
          : action == PiiAction.FLAG || action == PiiAction.BLOCK)) {
        continue;
      }
      String placeholder = vault != null && action == PiiAction.PLACEHOLDER
          ? vault.placeholder(span.type(), text, span.start(), span.end()) : null;
      if (out == null) {
        out = Scratch.take(text.length() + 64);
      }
      out.append(text, copied, span.start());
      if (placeholder != null) {
        out.append(placeholder);
      } else { // the mask
        out.append('<').append(span.type().name()).append('>');
      }
      copied = span.end();
    }
    return out == null ? text : Scratch.done(out.append(text, copied, text.length()));
  }

  private static boolean isPlaceholder(String text, PiiSpan span) {
    int lt = text.lastIndexOf('<', span.start());
    return lt >= 0 && lt >= span.start() - Vault.MAX_PLACEHOLDER_LENGTH
        && Restorer.placeholderEnd(text, lt, text.length()) >= span.end();
  }
}
