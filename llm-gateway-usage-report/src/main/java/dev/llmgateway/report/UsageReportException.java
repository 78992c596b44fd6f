package dev.llmgateway.report;

import org.jspecify.annotations.Nullable;

/**
 * Why a usage report could not be made: the root of the report's own exceptions, each message
 * saying what to fix. Lines the report can skip (torn, overlong, invalid) never throw; they are
 * counted in {@link ReadSummary}.
 *
 * <p>A module-own root rather than {@code dev.llmgateway.GatewayException}: that tree describes a
 * call's outcome (provider, model, HTTP status, retriable or not) and is what a caller of the
 * gateway catches, while the report is a file tool that never makes a call and need not depend on
 * the gateway's API module at all.
 */
public class UsageReportException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what went wrong and what to fix
   * @param cause the underlying failure, or null
   */
  public UsageReportException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
