package dev.llmgateway.core.policy;

import dev.llmgateway.core.policy.pii.PiiScanner;
import dev.llmgateway.core.policy.pii.PiiType;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * PII redaction: which scanner finds PII, and what happens to each kind it finds, on the way in
 * (the prompt, tool-call arguments, tool results; embedding inputs) and on the way out (PII and
 * secrets the model produced).
 *
 * <p>The defaults: every kind the scanner finds becomes a {@linkplain PiiAction#PLACEHOLDER
 * placeholder} on the way in, restored in the answer; on the way out a secret (an API key, a token,
 * a private key) the model wrote is {@linkplain PiiAction#MASK masked} and any other PII is {@link
 * PiiAction#FLAG flagged}. A streamed answer cannot be masked after its text went out: there output
 * findings are flagged whatever the action, from the stream's final answer.
 *
 * <p>Immutable and thread-safe.
 */
public final class PiiPolicy {
  /** The most placeholders one call may hold, by default. */
  public static final int DEFAULT_MAX_PLACEHOLDERS = 1_000;

  private final PiiScanner scanner;
  private final Map<PiiType, PiiAction> input;
  private final PiiAction defaultInput;
  private final Map<PiiType, PiiAction> output;
  private final PiiAction defaultOutput;
  private final boolean scanOutput;
  private final int maxPlaceholders;

  private PiiPolicy(Builder b) {
    this.scanner = b.scanner;
    this.input = Map.copyOf(b.input);
    this.defaultInput = b.defaultInput;
    this.output = Map.copyOf(b.output);
    this.defaultOutput = b.defaultOutput;
    this.scanOutput = b.scanOutput;
    this.maxPlaceholders = b.maxPlaceholders;
  }

  /** Every kind of {@link PiiScanner#defaults()} as a placeholder; output secrets masked. */
  public static PiiPolicy defaults() {
    return builder().build();
  }

  /** A new builder with the defaults above. */
  public static Builder builder() {
    return new Builder();
  }

  /** The scanner. */
  public PiiScanner scanner() {
    return scanner;
  }

  /** What happens to {@code type} on the way in. */
  public PiiAction inputAction(PiiType type) {
    return input.getOrDefault(type, defaultInput);
  }

  /** What happens to {@code type} in an answer ({@link PiiAction#PLACEHOLDER} is never one). */
  public PiiAction outputAction(PiiType type) {
    return output.getOrDefault(type, defaultOutput);
  }

  /** Whether answers are scanned. */
  public boolean scanOutput() {
    return scanOutput;
  }

  /** The most placeholders one call may hold; a call that needs more is refused. */
  public int maxPlaceholders() {
    return maxPlaceholders;
  }

  @Override
  public String toString() {
    return "PiiPolicy[input=" + input + ", defaultInput=" + defaultInput + ", output=" + output
        + ", defaultOutput=" + defaultOutput + ", scanOutput=" + scanOutput + "]";
  }

  /** Builds a {@link PiiPolicy}. Not thread-safe. */
  public static final class Builder {
    private PiiScanner scanner = PiiScanner.defaults();
    private final Map<PiiType, PiiAction> input = new HashMap<>();
    private PiiAction defaultInput = PiiAction.PLACEHOLDER;
    private final Map<PiiType, PiiAction> output = new HashMap<>(Map.of(PiiType.SECRET,
        PiiAction.MASK));
    private PiiAction defaultOutput = PiiAction.FLAG;
    private boolean scanOutput = true;
    private int maxPlaceholders = DEFAULT_MAX_PLACEHOLDERS;

    private Builder() {}

    /** The scanner (default {@link PiiScanner#defaults()}). */
    public Builder scanner(PiiScanner scanner) {
      this.scanner = Objects.requireNonNull(scanner, "scanner");
      return this;
    }

    /** What happens to {@code type} on the way in. */
    public Builder action(PiiType type, PiiAction action) {
      input.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(action, "action"));
      return this;
    }

    /** What happens on the way in to a kind without an action of its own (default placeholder). */
    public Builder defaultAction(PiiAction action) {
      this.defaultInput = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * What happens to {@code type} when an answer holds it.
     *
     * @throws IllegalArgumentException for {@link PiiAction#PLACEHOLDER}: an answer's PII has no
     *     value to restore
     */
    public Builder outputAction(PiiType type, PiiAction action) {
      output.put(Objects.requireNonNull(type, "type"), outputOnly(action));
      return this;
    }

    /**
     * What happens to a kind without an output action of its own (default flag).
     *
     * @throws IllegalArgumentException for {@link PiiAction#PLACEHOLDER}
     */
    public Builder defaultOutputAction(PiiAction action) {
      this.defaultOutput = outputOnly(action);
      return this;
    }

    /** Whether answers are scanned at all (default true). */
    public Builder scanOutput(boolean scanOutput) {
      this.scanOutput = scanOutput;
      return this;
    }

    /**
     * The most placeholders one call may hold (default 1,000): a prompt with more distinct values
     * is refused rather than growing the call's memory without bound.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxPlaceholders(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxPlaceholders must be positive, was " + max);
      }
      this.maxPlaceholders = max;
      return this;
    }

    private static PiiAction outputOnly(PiiAction action) {
      Objects.requireNonNull(action, "action");
      if (action == PiiAction.PLACEHOLDER) {
        throw new IllegalArgumentException(
            "an answer's PII cannot become a placeholder (there is no value to restore): use MASK,"
                + " BLOCK or FLAG");
      }
      return action;
    }

    /** The policy. */
    public PiiPolicy build() {
      return new PiiPolicy(this);
    }
  }
}
