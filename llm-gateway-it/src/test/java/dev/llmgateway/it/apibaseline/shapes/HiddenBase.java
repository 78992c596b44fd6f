package dev.llmgateway.it.apibaseline.shapes;

/**
 * A package-private superclass: not listed itself, so its public members show in the block of
 * its public subclass {@link Shapes}, through which anyone can call them. Test-only.
 */
abstract class HiddenBase {
  /** Inherited by {@link Shapes}'s callers. */
  public String inherited() {
    return "inherited";
  }

  /** Callable as {@code Shapes.inheritedStatic()}. */
  public static int inheritedStatic() {
    return 1;
  }

  /** Overridden in {@link Shapes}: only that declaration is listed. */
  public String overridden() {
    return "base";
  }

  /** Package-private: nobody outside sees it. */
  void packagePrivate() {}
}
