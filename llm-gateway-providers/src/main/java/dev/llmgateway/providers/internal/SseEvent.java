package dev.llmgateway.providers.internal;

import org.jspecify.annotations.Nullable;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} field, or null
 * @param data the {@code data:} lines joined with {@code \n}
 */
public record SseEvent(@Nullable String event, String data) {
  @Override
  public String toString() {
    return "SseEvent[event=" + event + ", " + data.length() + " chars]";
  }
}
