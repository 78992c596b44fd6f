package dev.llmgateway;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The model's answer does not parse into the Java type it was asked to follow: it is empty, not
 * JSON, JSON of another shape, or past the parser's limits; {@link #problem()} says which. Thrown
 * by core's {@code StructuredOutput.parse}, after the call succeeded (it was metered and paid for
 * like any other).
 *
 * <p>The answer itself is {@link #rawText()}, for the caller to log or inspect where it decides
 * that is safe; the {@linkplain #getMessage() message} never quotes it (it names the type, the
 * problem, where in the answer it lies, and the {@link #finishReason()} when that explains it),
 * and the exception has no cause, because the parser's own exceptions quote the text they read.
 *
 * <p>Not retriable as such: an answer cut at the output token limit ({@link FinishReason#LENGTH})
 * needs a larger {@code maxOutputTokens}, and a refusal ({@link FinishReason#CONTENT_FILTER}) a
 * different prompt. A model that does not enforce the schema may do better on another try; that
 * is the caller's decision.
 */
public class StructuredOutputException extends GatewayException {
  private final Class<?> type;
  private final Problem problem;
  private final String rawText;
  private final @Nullable FinishReason finishReason;

  /** What is wrong with the answer. */
  public enum Problem {
    /** The answer has no text at all (e.g. the model called a tool instead). */
    EMPTY,
    /** The text is not one complete JSON value (also when it was cut short). */
    NOT_JSON,
    /** The text is JSON but not of the type's shape: a value is missing or of the wrong kind. */
    MISMATCH,
    /** The JSON passes the parser's limits, e.g. it nests deeper than the type could. */
    LIMIT_EXCEEDED
  }

  /**
   * Creates one.
   *
   * @param message what is wrong, never quoting the answer
   * @param type the type the answer was to become
   * @param problem what is wrong with the answer
   * @param rawText the answer's text as received
   * @param finishReason why the model stopped, or null when unknown
   * @param details the deployment that answered and the provider's request id, when known
   */
  public StructuredOutputException(String message, Class<?> type, Problem problem,
      String rawText, @Nullable FinishReason finishReason, ErrorDetails details) {
    super(message, details, null);
    this.type = Objects.requireNonNull(type, "type");
    this.problem = Objects.requireNonNull(problem, "problem");
    this.rawText = Objects.requireNonNull(rawText, "rawText");
    this.finishReason = finishReason;
  }

  /** The type the answer was to become. */
  public Class<?> type() {
    return type;
  }

  /** What is wrong with the answer. */
  public Problem problem() {
    return problem;
  }

  /**
   * The answer's text as the model gave it. It is the model's output and may hold anything the
   * prompt held: treat it as the prompt's data, not as a log-safe message.
   */
  public String rawText() {
    return rawText;
  }

  /** Why the model stopped, or null when unknown. */
  public @Nullable FinishReason finishReason() {
    return finishReason;
  }
}
