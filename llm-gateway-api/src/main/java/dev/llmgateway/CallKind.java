package dev.llmgateway;

/** The kind of gateway call. */
public enum CallKind {
  /** {@code Gateway.chat} and {@code chatAsync}. */
  CHAT,
  /** {@code Gateway.stream}. */
  STREAM,
  /** {@code Gateway.embed}. */
  EMBED
}
