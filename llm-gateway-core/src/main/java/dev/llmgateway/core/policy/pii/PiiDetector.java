package dev.llmgateway.core.policy.pii;

import java.util.List;

/**
 * Finds PII of one or more kinds in a text: the SPI a {@link PiiScanner} runs beside its
 * built-in detectors ({@link PiiScanner.Builder#detector}).
 *
 * <p>Implementations must be thread-safe (one instance serves every call) and take time and memory
 * roughly linear in the text's length, whatever the text: no regular expression that can backtrack
 * without bound. They may return overlapping spans; the scanner resolves overlaps and applies the
 * allow-lists. A span must lie inside the text; one that does not fails the scan.
 */
@FunctionalInterface
public interface PiiDetector {

  /**
   * The spans of PII in {@code text}, in any order.
   *
   * @param text the text to scan, at most the scanner's {@link PiiScanner.Builder#maxTextLength}
   * @return the spans found, possibly overlapping, possibly empty
   */
  List<PiiSpan> detect(String text);
}
