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
 * apply} false (monitor mode, or a pass that only counts) the text is returned unchanged.
 */
final class Redactor {
  private Redactor() {}

  /** The input form of {@code text}: placeholders, masks. */
  static String input(String text, PiiPolicy policy, Vault vault, Tally tally, boolean apply) {
    return replace(text, policy, tally, (span, action) -> {
      if (!apply || action == PiiAction.FLAG || action == PiiAction.BLOCK) {
        return null;
      }
      return action == PiiAction.PLACEHOLDER
          ? vault.placeholder(span.type(), text.substring(span.start(), span.end()))
          : mask(span);
    }, false);
  }

  /** The output form of {@code text}: masks where the policy's output action says so. */
  static String output(String text, PiiPolicy policy, Tally tally, boolean apply) {
    return replace(text, policy, tally,
        (span, action) -> apply && action == PiiAction.MASK ? mask(span) : null, true);
  }

  /** What a finding becomes: its replacement, or null to leave it as it is. */
  @FunctionalInterface
  private interface Replacement {
    @Nullable String of(PiiSpan span, PiiAction action);
  }

  /**
   * {@code text} with each finding counted under its input (or, for an answer, output) action and
   * replaced as {@code replacement} says; the text itself when nothing is replaced. An answer's
   * own placeholders are skipped: they are restored next, not the model's PII.
   */
  private static String replace(String text, PiiPolicy policy, Tally tally,
      Replacement replacement, boolean answer) {
    List<PiiSpan> spans = policy.scanner().scan(text);
    if (spans.isEmpty()) {
      return text;
    }
    StringBuilder out = null;
    int copied = 0;
    for (PiiSpan span : spans) {
      if (answer && isPlaceholder(text, span)) {
        continue;
      }
      PiiAction action = answer ? policy.outputAction(span.type())
          : policy.inputAction(span.type());
      tally.add(span.type(), action);
      String with = replacement.of(span, action);
      if (with == null) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, copied, span.start()).append(with);
      copied = span.end();
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  private static boolean isPlaceholder(String text, PiiSpan span) {
    int lt = text.lastIndexOf('<', span.start());
    return lt >= 0 && lt >= span.start() - Vault.MAX_PLACEHOLDER_LENGTH
        && Restorer.placeholderEnd(text, lt, text.length()) >= span.end();
  }

  private static String mask(PiiSpan span) {
    return "<" + span.type().name() + ">";
  }
}
