package dev.llmgateway;

import dev.llmgateway.internal.PullPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * A streamed chat answer: a cold, demand-aware {@link Flow.Publisher} of {@link ChatEvent}s that
 * ends with exactly one terminal event ({@link ChatEvent.Completed} or {@link ChatEvent.Failed})
 * followed by {@code onComplete}. Failures arrive as {@link ChatEvent.Failed}, never as {@code
 * onError} (kept for bugs).
 *
 * <p>Subscribe once. For a simple loop use {@link #iterator()} in a try-with-resources block;
 * closing it cancels the call. {@link #collect()} waits for the whole answer.
 *
 * <p>Threads: a subscriber's signals are serialised, and delivered on the thread that requested
 * them when the transport reads on it (an {@link #iterator()} pulling, a direct executor), else on
 * the transport's executor; a stream a gateway's timer ends (a first-token, idle or total timeout)
 * gets its terminal event on the gateway's executor. Never on the gateway's timer thread, so a
 * slow subscriber slows its own stream only.
 */
@FunctionalInterface
public interface ChatStream extends Flow.Publisher<ChatEvent>, CallResult {

  /** The default number of events an {@link #iterator()} keeps in flight. */
  int DEFAULT_PREFETCH = 16;

  /** Wraps a publisher that follows the contract above. */
  static ChatStream of(Flow.Publisher<ChatEvent> publisher) {
    return publisher instanceof ChatStream s ? s : publisher::subscribe;
  }

  /**
   * The events a stream of an already complete response would carry (reasoning, text, tool
   * calls, usage, then {@link ChatEvent.Completed}), delivered on the given executor.
   */
  static ChatStream fromResponse(ChatResponse response, Executor executor) {
    return of(PullPublisher.fromList(eventsOf(response), executor));
  }

  /**
   * The events of an already complete response, in stream order: reasoning and text deltas, one
   * delta per tool call, a usage report, then {@link ChatEvent.Completed}.
   */
  static List<ChatEvent> eventsOf(ChatResponse response) {
    List<ChatEvent> events = new ArrayList<>(4);
    Message m = response.message();
    for (ContentPart part : m.content()) {
      if (part instanceof ContentPart.Reasoning r) {
        events.add(new ChatEvent.ReasoningDelta(r.text(), r.signature(), r.redactedData(),
            r.format()));
      } else if (part instanceof ContentPart.Text t && !t.text().isEmpty()) {
        events.add(new ChatEvent.TextDelta(t.text()));
      }
    }
    List<ToolCall> calls = m.toolCalls();
    for (int i = 0; i < calls.size(); i++) {
      ToolCall c = calls.get(i);
      events.add(new ChatEvent.ToolCallDelta(i, c.id(), c.name(), c.arguments(), c.signature(),
          c.signatureFormat()));
    }
    events.add(new ChatEvent.UsageReport(response.usage()));
    events.add(new ChatEvent.Completed(response));
    return events;
  }

  /** A stream that only reports the failure. */
  static ChatStream failed(GatewayException error, Executor executor) {
    return of(PullPublisher.fromList(List.of(ChatEvent.Failed.of(error)), executor));
  }

  /** A blocking iterator over the events; close it to cancel the call. */
  default StreamIterator<ChatEvent> iterator() {
    return new StreamIterator<>(this, DEFAULT_PREFETCH);
  }

  /**
   * Waits for the whole answer.
   *
   * @throws GatewayException the failure the stream ended with
   */
  default ChatResponse collect() {
    try (StreamIterator<ChatEvent> events = iterator()) {
      while (events.hasNext()) {
        ChatEvent event = events.next();
        if (event instanceof ChatEvent.Completed c) {
          return c.response();
        }
        if (event instanceof ChatEvent.Failed f) {
          throw f.error();
        }
      }
    }
    throw new ProviderUnavailableException("the stream ended without a terminal event");
  }
}
