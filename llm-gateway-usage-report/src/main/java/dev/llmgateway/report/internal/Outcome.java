package dev.llmgateway.report.internal;

import java.util.Locale;

/** A call record's {@code outcome}, with {@link #OTHER} for values newer than schema 1. */
public enum Outcome {
  SUCCEEDED, FAILED, REFUSED, CANCELLED, STREAM_FAILED, NOT_STARTED, OTHER;

  /** The outcome written as {@code text} ({@code stream_failed}), {@link #OTHER} if unknown. */
  static Outcome parse(String text) {
    switch (text) {
      case "succeeded": return SUCCEEDED;
      case "failed": return FAILED;
      case "refused": return REFUSED;
      case "cancelled": return CANCELLED;
      case "stream_failed": return STREAM_FAILED;
      case "not_started": return NOT_STARTED;
      default: return OTHER;
    }
  }

  /** The outcome as written in the file, e.g. {@code stream_failed}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the call counts as an error: failed, stream failed after its commit point, refused. */
  public boolean isError() {
    return this == FAILED || this == STREAM_FAILED || this == REFUSED;
  }
}
