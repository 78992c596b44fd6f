package dev.llmgateway.core.internal.policy;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import com.networknt.schema.regex.RegularExpressions;
import java.util.regex.Pattern;

/**
 * The schema check's regular expressions ({@code pattern}, {@code patternProperties}): the JDK's
 * engine, compiled once with the schema, as networknt's default translates ECMA-262 into it, but
 * every match reads its input through a counter, and a match that reads more than its step budget
 * of characters (backtracking included) stops with {@link StepsExceeded}. A schema's pattern comes
 * from the caller and the text from the model, so neither can make a check run without bound.
 *
 * <p>Thread-safe: the patterns are immutable, each match has its own counter.
 */
final class BoundedRegex implements RegularExpressionFactory {
  private final int steps;

  BoundedRegex(int steps) {
    this.steps = steps;
  }

  @Override
  public RegularExpression getRegularExpression(String regex) {
    Pattern pattern = Pattern.compile(RegularExpressions.replaceLongformCharacterProperties(
        RegularExpressions.replaceDollarAnchors(regex)));
    // find(), not matches(): a JSON schema pattern is not anchored
    return value -> pattern.matcher(new CountingChars(value, steps)).find();
  }

  /** A match read more characters than its budget. Carries no text. */
  static final class StepsExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StepsExceeded() {
      super("a pattern match passed its step budget", null, false, false);
    }
  }

  /** The text a match reads, counting each character read against the budget. */
  private static final class CountingChars implements CharSequence {
    private final String text;
    private int left;

    CountingChars(String text, int steps) {
      this.text = text;
      this.left = steps;
    }

    @Override
    public char charAt(int index) {
      if (--left < 0) {
        throw new StepsExceeded();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
