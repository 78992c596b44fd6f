package dev.llmgateway.it.apibaseline.shapes.internal;

/** A public class in an {@code internal} package: not public API. Test-only. */
public final class InternalShape {
  /** Public, yet not listed. */
  public void invisible() {}
}
