package dev.llmgateway.core.internal.policy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.math.BigDecimal;

/**
 * The schema check's JSON numbers: exact ({@code BigDecimal}, so {@code multipleOf: 0.01} holds
 * for 19.99), with the exponent bounded. Jackson bounds a number's length (1,000 chars), not its
 * exponent, and the validator divides exactly: {@code 1e999999999} against {@code multipleOf}
 * would make a quotient of a billion digits. A number whose scale lies past ±{@value #MAX_SCALE}
 * stops the read with {@link OutOfRange}. Thread-safe (stateless).
 */
final class BoundedNumbers extends JsonNodeFactory {
  private static final long serialVersionUID = 1L;

  /** The largest scale (digits after the point, or before it when negative) read. */
  static final int MAX_SCALE = 1_000;

  static final BoundedNumbers INSTANCE = new BoundedNumbers();

  private BoundedNumbers() {
    super(true);
  }

  @Override
  public ValueNode numberNode(BigDecimal v) {
    if (v != null && Math.abs(v.scale()) > MAX_SCALE) {
      throw new OutOfRange();
    }
    return super.numberNode(v);
  }

  /** A number past the bound. Carries no text. */
  static final class OutOfRange extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutOfRange() {
      super("a number's exponent passes the bound", null, false, false);
    }
  }
}
