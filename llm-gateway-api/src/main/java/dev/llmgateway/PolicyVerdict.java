package dev.llmgateway;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one input or output policy decided about a call, as its {@link UsageRecord} reports it: the
 * policy's name, its verdict and a detail that names kinds and counts, never the text it looked at
 * (for example {@code pii}, {@code redacted}, {@code EMAIL x2}).
 *
 * @param policy the policy's name, for example {@code pii} or {@code prompt-injection}
 * @param verdict what it decided, for example {@code passed}, {@code redacted}, {@code flagged},
 *     {@code blocked}
 * @param detail kinds and counts, or null; never the content itself
 */
public record PolicyVerdict(String policy, String verdict, @Nullable String detail) {

  /** Validates. */
  public PolicyVerdict {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(verdict, "verdict");
  }
}
