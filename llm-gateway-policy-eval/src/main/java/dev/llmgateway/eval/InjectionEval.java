package dev.llmgateway.eval;

import java.io.IOException;
import java.nio.file.Path;

/** Placeholder while the injection work builds this class (replaced before this lands). */
final class InjectionEval {

  private InjectionEval() {}

  static void write(Path in, Path out) throws IOException {
    throw new UnsupportedOperationException("built by the injection work");
  }

  static String score(Path labelled, Path predicted) throws IOException {
    throw new UnsupportedOperationException("built by the injection work");
  }
}
