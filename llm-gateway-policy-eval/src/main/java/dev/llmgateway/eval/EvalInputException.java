package dev.llmgateway.eval;

/**
 * An input file the evaluation tool cannot use: missing, unreadable, a line too long or not JSON,
 * too many lines, a required field missing. The message names the file and line and says what to
 * fix; it never quotes a text. The command line exits with 1 on it.
 *
 * <p>Immutable and thread-safe.
 */
final class EvalInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with a message that says what to fix.
   *
   * @param message the message
   */
  EvalInputException(String message) {
    super(message);
  }

  /**
   * An exception with a message and its cause.
   *
   * @param message the message
   * @param cause the cause
   */
  EvalInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
