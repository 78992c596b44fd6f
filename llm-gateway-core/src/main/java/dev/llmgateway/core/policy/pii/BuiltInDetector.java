package dev.llmgateway.core.policy.pii;

import java.util.ArrayList;
import java.util.List;

/**
 * A built-in detector: adds its spans to the scan's list, so a scan allocates one list for all of
 * them rather than one per detector.
 */
interface BuiltInDetector extends PiiDetector {

  /**
   * Adds the spans found in {@code text} to {@code spans}.
   *
   * @param text the text
   * @param digits the text's runs of digits, shared by the scan's detectors
   * @param spans where the spans go
   */
  void find(String text, DigitRuns digits, List<PiiSpan> spans);

  @Override
  default List<PiiSpan> detect(String text) {
    List<PiiSpan> spans = new ArrayList<>();
    find(text, new DigitRuns(text), spans);
    return spans;
  }
}
