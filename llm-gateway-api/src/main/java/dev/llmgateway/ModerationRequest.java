package dev.llmgateway;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Texts to classify with a {@link dev.llmgateway.spi.ModerationProvider}: one verdict comes back per
 * input, in order.
 *
 * <p>Bounded, so that no caller can make a moderation call unbounded: at most {@link #MAX_INPUTS}
 * inputs, each at most {@link #MAX_INPUT_CHARS} characters, all together at most {@link
 * #MAX_TOTAL_CHARS}; the call waits at most {@code timeout} (default {@link #DEFAULT_TIMEOUT}). These
 * are the gateway's bounds; a provider may refuse less. {@link #toString()} counts the inputs and
 * their characters and never prints them.
 *
 * @param inputs the texts, in order; copied
 * @param model the moderation model, or null for the provider's default ({@code
 *     omni-moderation-latest} at OpenAI)
 * @param timeout how long the whole call may take, at most {@link #MAX_TIMEOUT}
 */
public record ModerationRequest(List<String> inputs, @Nullable String model, Duration timeout) {
  /** The most inputs one request carries. */
  public static final int MAX_INPUTS = 256;
  /** The most characters one input has. */
  public static final int MAX_INPUT_CHARS = 1_000_000;
  /** The most characters all inputs have together. */
  public static final int MAX_TOTAL_CHARS = 4_000_000;
  /** The longest a model name may be. */
  public static final int MAX_MODEL_CHARS = 256;
  /** How long a call may take unless the request says otherwise: 30 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** The longest a call may be given: 10 minutes. */
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException when there is no input, too many, one too long, all too long
   *     together, a blank or over-long model name, or a timeout that is not positive or is over
   *     {@link #MAX_TIMEOUT}; the message names the bound and never quotes an input
   */
  public ModerationRequest {
    inputs = List.copyOf(inputs);
    Objects.requireNonNull(timeout, "timeout");
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a moderation request needs at least one input");
    }
    if (inputs.size() > MAX_INPUTS) {
      throw new IllegalArgumentException("a moderation request has " + inputs.size()
          + " inputs, more than MAX_INPUTS (" + MAX_INPUTS + ")");
    }
    long total = 0;
    for (int i = 0; i < inputs.size(); i++) {
      int length = inputs.get(i).length();
      if (length > MAX_INPUT_CHARS) {
        throw new IllegalArgumentException("moderation input " + i + " has " + length
            + " characters, more than MAX_INPUT_CHARS (" + MAX_INPUT_CHARS + ")");
      }
      total += length;
    }
    if (total > MAX_TOTAL_CHARS) {
      throw new IllegalArgumentException("the moderation inputs have " + total
          + " characters together, more than MAX_TOTAL_CHARS (" + MAX_TOTAL_CHARS + ")");
    }
    if (model != null && (model.isBlank() || model.length() > MAX_MODEL_CHARS)) {
      throw new IllegalArgumentException("a moderation model name must be 1 to "
          + MAX_MODEL_CHARS + " characters and not blank, was " + model.length() + " characters");
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException("a moderation timeout must be positive and at most "
          + MAX_TIMEOUT + ", was " + timeout);
    }
  }

  /**
   * The given texts, for the provider's default model, within {@link #DEFAULT_TIMEOUT}.
   *
   * @throws IllegalArgumentException as the constructor does
   */
  public static ModerationRequest of(String... inputs) {
    return new ModerationRequest(List.of(inputs), null, DEFAULT_TIMEOUT);
  }

  /**
   * The given texts, for the provider's default model, within {@link #DEFAULT_TIMEOUT}.
   *
   * @throws IllegalArgumentException as the constructor does
   */
  public static ModerationRequest of(List<String> inputs) {
    return new ModerationRequest(inputs, null, DEFAULT_TIMEOUT);
  }

  /**
   * This request for another model.
   *
   * @throws IllegalArgumentException when the name is blank or too long
   */
  public ModerationRequest withModel(@Nullable String model) {
    return new ModerationRequest(inputs, model, timeout);
  }

  /**
   * This request with another timeout.
   *
   * @throws IllegalArgumentException when it is not positive or over {@link #MAX_TIMEOUT}
   */
  public ModerationRequest withTimeout(Duration timeout) {
    return new ModerationRequest(inputs, model, timeout);
  }

  @Override
  public String toString() {
    long chars = 0;
    for (String input : inputs) {
      chars += input.length();
    }
    return "ModerationRequest[inputs=" + inputs.size() + ", chars=" + chars
        + (model == null ? "" : ", model=" + model) + ", timeout=" + timeout + "]";
  }
}
