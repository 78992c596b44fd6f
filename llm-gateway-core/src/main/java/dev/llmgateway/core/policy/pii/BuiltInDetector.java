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
   * @param bits the text's chars by class, shared by the scan's detectors
   * @param spans where the spans go
   */
  void find(String text, TextBits bits, List<PiiSpan> spans);

  @Override
  default List<PiiSpan> detect(String text) {
    List<PiiSpan> spans = new ArrayList<>();
    TextBits bits = TextBits.acquire(text);
    try {
      find(text, bits, spans);
    } finally {
      bits.release();
    }
    return spans;
  }
}
