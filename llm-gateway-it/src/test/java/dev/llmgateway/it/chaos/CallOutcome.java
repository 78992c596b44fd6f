package dev.llmgateway.it.chaos;

import dev.llmgateway.AllCandidatesFailedException;
import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.GatewayException;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.core.Gateway;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one call of a chaos run came to, as its caller saw it.
 *
 * @param stream whether it was a streamed call
 * @param alias the alias it was sent to
 * @param took from the call to its answer, failure or terminal event
 * @param response the answer (unary) or the completed stream's answer, or null
 * @param failure what the call threw (unary) or the error of the stream's failed terminal event
 * @param failed the stream's failed terminal event, or null
 * @param text the text deltas the caller received, joined (streams)
 * @param contentEvents how many content events the caller received (streams)
 * @param terminalEvents how many terminal events the caller received (streams; exactly 1 is right)
 * @param eventsAfterTerminal events received after the first terminal one (streams; 0 is right)
 */
record CallOutcome(
    boolean stream,
    String alias,
    Duration took,
    @Nullable ChatResponse response,
    @Nullable GatewayException failure,
    ChatEvent.@Nullable Failed failed,
    String text,
    int contentEvents,
    int terminalEvents,
    int eventsAfterTerminal) {

  /** Sends a unary call and records how it ended. */
  static CallOutcome chat(Gateway gateway, String alias, ChatRequest request) {
    long start = System.nanoTime();
    try {
      ChatResponse response = gateway.chat(request);
      return new CallOutcome(false, alias, since(start), response, null, null, "", 0, 0, 0);
    } catch (GatewayException e) {
      return new CallOutcome(false, alias, since(start), null, e, null, "", 0, 0, 0);
    }
  }

  /** Streams a call to its end and records every event the caller received. */
  static CallOutcome stream(Gateway gateway, String alias, ChatRequest request) {
    long start = System.nanoTime();
    StringBuilder text = new StringBuilder();
    int content = 0;
    int terminals = 0;
    int after = 0;
    ChatEvent terminal = null;
    try (StreamIterator<ChatEvent> events = gateway.stream(request).iterator()) {
      while (events.hasNext()) {
        ChatEvent event = events.next();
        if (terminal != null) {
          after++;
        }
        if (event instanceof ChatEvent.TextDelta d) {
          text.append(d.text());
        }
        if (event.isContent()) {
          content++;
        }
        if (event.isTerminal()) {
          terminals++;
          if (terminal == null) {
            terminal = event;
          }
        }
      }
    }
    Duration took = since(start);
    ChatResponse response = terminal instanceof ChatEvent.Completed c ? c.response() : null;
    ChatEvent.Failed failed = terminal instanceof ChatEvent.Failed f ? f : null;
    return new CallOutcome(true, alias, took, response, failed == null ? null : failed.error(),
        failed, text.toString(), content, terminals, after);
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Whether the caller got an answer: a unary response, or a stream that completed. */
  boolean succeeded() {
    return response != null && failure == null;
  }

  /** Whether a stream ended in a failure after content had reached the caller. */
  boolean failedAfterCommit() {
    return failed != null && failed.committed() && contentEvents > 0;
  }

  /** Every attempt of the call, as its answer or its failure tells them; empty if neither does. */
  List<Attempt> attempts() {
    if (response != null) {
      return response.attempts();
    }
    if (failed != null) {
      return failed.attempts();
    }
    if (failure instanceof AllCandidatesFailedException all) {
      return all.attempts();
    }
    return List.of();
  }

  @Override
  public String toString() {
    String how = response != null ? "answered by " + response.deployment()
        : failure != null ? "failed with " + failure.getClass().getSimpleName() + ": "
            + failure.getMessage()
        : "ended without a terminal event";
    StringBuilder story = new StringBuilder();
    for (Attempt a : attempts()) {
      story.append(story.length() == 0 ? "" : ", ").append('#').append(a.number()).append(' ')
          .append(a.kind()).append(' ').append(a.deployment()).append(' ').append(a.outcome())
          .append(' ').append(a.latency().toMillis()).append(" ms")
          .append(a.errorType() == null ? "" : " " + a.errorType());
    }
    return (stream ? "stream" : "unary") + " to " + alias + " " + how + " after "
        + took.toMillis() + " ms (" + contentEvents + " content events, text '" + text
        + "'; attempts: " + story + ")";
  }
}
