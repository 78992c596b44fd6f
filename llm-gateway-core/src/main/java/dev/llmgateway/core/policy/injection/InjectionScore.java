package dev.llmgateway.core.policy.injection;

import java.util.List;

/**
 * What {@link InjectionScanner#scan(String)} found in one text: a score in [0, 1], the names of the
 * rules that fired ({@code ignore-previous}, {@code reveal-system-prompt}, {@code role-play},
 * {@code chat-template-tokens}, {@code new-instructions}, {@code addressed-to-assistant},
 * {@code exfiltration}, {@code encoded-payload}, {@code homoglyphs}, {@code leetspeak}, or the name
 * of a phrase list given to the builder) — never any of the text — and the verdicts at the
 * scanner's threshold: {@link #flagged()} (score at or above the threshold) and {@link
 * #borderline()} (at or above the borderline edge and below the threshold: the band a
 * classifier may decide).
 *
 * <p>Immutable and thread-safe.
 *
 * @param score how strongly the text looks like an injection, in [0, 1]
 * @param signals the rules that fired, in the order found, without repeats
 * @param flagged whether the score is at or above the scanner's threshold
 * @param borderline whether the score lies in the scanner's borderline band, below the threshold
 */
public record InjectionScore(double score, List<String> signals, boolean flagged,
    boolean borderline) {

  /**
   * Checks and copies the parts.
   *
   * @throws IllegalArgumentException if the score is outside [0, 1] (or NaN), or a text is both
   *     flagged and borderline
   */
  public InjectionScore {
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score must lie in [0, 1], got " + score);
    }
    if (flagged && borderline) {
      throw new IllegalArgumentException("a score is flagged or borderline, not both");
    }
    signals = List.copyOf(signals);
  }
}
