package dev.llmgateway.eval;

/** Placeholder while the tool is built (replaced before this lands). */
final class InjectionEval {
  private InjectionEval() {}
}
