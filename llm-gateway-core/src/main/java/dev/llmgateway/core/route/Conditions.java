package dev.llmgateway.core.route;

/** Conditions the library uses itself. */
final class Conditions {
  private Conditions() {}

  /** Always true: the {@code otherwise} of a rules route. */
  static final Condition ALWAYS = new Condition() {
    @Override
    public boolean test(RoutingInput input) {
      return true;
    }

    @Override
    public String describe() {
      return "no rule matched";
    }
  };
}
