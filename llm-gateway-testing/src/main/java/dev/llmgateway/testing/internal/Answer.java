package dev.llmgateway.testing.internal;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.FinishReason;
import dev.llmgateway.GatewayException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.Message;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.spi.ChatResponseAccumulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one scripted step answers, for each kind of call: a unary chat ({@link #chat}), a stream
 * ({@link #events}) or embeddings ({@link #embed}). Unary answers stream as their events, stream
 * answers are assembled for unary calls; an answer that cannot serve a call kind (embeddings for a
 * chat, text for embeddings) fails it with an {@link InvalidRequestException}. Immutable and
 * thread-safe, as are its implementations.
 */
public sealed interface Answer {

  /** The answer to a unary chat call. */
  ChatResponse chat(ChatRequest request, Deployment deployment);

  /** The events of a streamed call, ending with exactly one terminal event. */
  List<ChatEvent> events(ChatRequest request, Deployment deployment);

  /** The answer to an embedding call. */
  EmbeddingResponse embed(EmbeddingRequest request, Deployment deployment);

  /** A short description for failure messages, e.g. {@code reply(5 chars)}. */
  String describe();

  /**
   * A complete response.
   *
   * @param template the response; its deployment is filled in when null
   * @param exactUsage whether to replace its usage with the fake's exact counts
   * @param description for failure messages
   */
  record Reply(ChatResponse template, boolean exactUsage, String description) implements Answer {
    /** Validates. */
    public Reply {
      Objects.requireNonNull(template, "response");
    }

    /** Plain text, finish reason {@code stop}, with the fake's exact usage or the given one. */
    public static Reply text(String text, @Nullable Usage usage) {
      Objects.requireNonNull(text, "text");
      ChatResponse response = ChatResponse.builder().text(text).finishReason(FinishReason.STOP)
          .rawFinishReason("stop").usage(usage == null ? Usage.ZERO : usage).build();
      return new Reply(response, usage == null, "reply(" + count(text.length(), "char") + ")");
    }

    /** One tool call, finish reason {@code tool_calls}, with the fake's exact usage. */
    public static Reply toolCall(String id, String name, String argumentsJson) {
      ChatResponse response = ChatResponse.builder()
          .message(Message.assistant(List.of(), List.of(new ToolCall(id, name, argumentsJson))))
          .finishReason(FinishReason.TOOL_CALLS).rawFinishReason("tool_calls").build();
      return new Reply(response, true, "replyWithToolCall(" + name + ")");
    }

    /** The given response as it is (its deployment filled in when null). */
    public static Reply response(ChatResponse response) {
      return new Reply(response, false, "reply(ChatResponse)");
    }

    @Override
    public ChatResponse chat(ChatRequest request, Deployment deployment) {
      ChatResponse.Builder b = template.toBuilder();
      if (template.deployment() == null) {
        b.deployment(deployment);
      }
      if (exactUsage) {
        b.usage(Tokens.exact(request, Tokens.contentChars(template.message())));
      }
      return b.build();
    }

    @Override
    public List<ChatEvent> events(ChatRequest request, Deployment deployment) {
      return ChatStream.eventsOf(chat(request, deployment));
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request, Deployment deployment) {
      throw mismatch(this, deployment, "an embedding call");
    }

    @Override
    public String describe() {
      return description;
    }
  }

  /**
   * Stream events. Without a terminal event, a {@link ChatEvent.UsageReport} (unless the events
   * end with one) and a {@link ChatEvent.Completed} assembled from the content are appended; with
   * {@code thenFail}, a {@link ChatEvent.Failed} is appended instead.
   *
   * @param events the events, a terminal one only last
   * @param thenFail the failure to end with, or null
   * @param description for failure messages
   */
  record Events(List<ChatEvent> events, @Nullable GatewayException thenFail, String description)
      implements Answer {
    /** Validates and copies. */
    public Events {
      events = List.copyOf(events);
      for (int i = 0; i < events.size() - 1; i++) {
        if (events.get(i).isTerminal()) {
          throw new IllegalArgumentException("a terminal event (" + events.get(i).getClass()
              .getSimpleName() + ") may only come last, found at index " + i + " of "
              + events.size());
        }
      }
      if (thenFail != null && !events.isEmpty() && events.get(events.size() - 1).isTerminal()) {
        throw new IllegalArgumentException("a stream that ends with a failure has no other end");
      }
    }

    /** Text deltas. */
    public static Events text(List<String> deltas, @Nullable GatewayException thenFail) {
      List<ChatEvent> events = new ArrayList<>(deltas.size());
      for (String delta : deltas) {
        events.add(new ChatEvent.TextDelta(delta));
      }
      String description = thenFail == null
          ? "stream(" + count(deltas.size(), "delta") + ")"
          : "streamThenFail(" + count(deltas.size(), "delta") + ", "
              + thenFail.getClass().getSimpleName() + ")";
      return new Events(events, thenFail, description);
    }

    @Override
    public List<ChatEvent> events(ChatRequest request, Deployment deployment) {
      List<ChatEvent> out = new ArrayList<>(events.size() + 2);
      out.addAll(events);
      GatewayException failure = thenFail;
      if (failure != null) {
        out.add(Tokens.failedAfter(events, failure, request));
        return out;
      }
      ChatEvent last = events.isEmpty() ? null : events.get(events.size() - 1);
      if (last != null && last.isTerminal()) {
        return out;
      }
      ChatResponseAccumulator accumulator = new ChatResponseAccumulator();
      Usage reported = null;
      long chars = 0;
      for (ChatEvent e : events) {
        accumulator.accept(e);
        chars += Tokens.contentChars(e);
        if (e instanceof ChatEvent.UsageReport u) {
          reported = u.usage();
        }
      }
      Usage usage = reported == null ? Tokens.exact(request, chars) : reported;
      if (!(last instanceof ChatEvent.UsageReport)) {
        out.add(new ChatEvent.UsageReport(usage));
      }
      Message message = accumulator.message();
      boolean tools = !message.toolCalls().isEmpty();
      out.add(new ChatEvent.Completed(ChatResponse.builder().message(message)
          .finishReason(tools ? FinishReason.TOOL_CALLS : FinishReason.STOP)
          .rawFinishReason(tools ? "tool_calls" : "stop")
          .usage(usage)
          .deployment(deployment)
          .build()));
      return out;
    }

    @Override
    public ChatResponse chat(ChatRequest request, Deployment deployment) {
      List<ChatEvent> all = events(request, deployment);
      ChatEvent terminal = all.get(all.size() - 1);
      if (terminal instanceof ChatEvent.Failed f) {
        throw f.error();
      }
      ChatResponse response = ((ChatEvent.Completed) terminal).response();
      return response.deployment() == null
          ? response.toBuilder().deployment(deployment).build()
          : response;
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request, Deployment deployment) {
      throw mismatch(this, deployment, "an embedding call");
    }

    @Override
    public String describe() {
      return description;
    }
  }

  /**
   * A failure: unary calls throw it, streams end with it as their only event.
   *
   * @param error the failure
   */
  record Fail(GatewayException error) implements Answer {
    /** Validates. */
    public Fail {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public ChatResponse chat(ChatRequest request, Deployment deployment) {
      throw error;
    }

    @Override
    public List<ChatEvent> events(ChatRequest request, Deployment deployment) {
      return List.of(ChatEvent.Failed.of(error));
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request, Deployment deployment) {
      throw error;
    }

    @Override
    public String describe() {
      return "fail(" + error.getClass().getSimpleName() + ")";
    }
  }

  /**
   * Embedding vectors.
   *
   * @param vectors the vectors, returned as given (copied)
   */
  record Embedding(List<float[]> vectors) implements Answer {
    /** Copies. */
    public Embedding {
      List<float[]> copy = new ArrayList<>(vectors.size());
      for (float[] v : vectors) {
        copy.add(Objects.requireNonNull(v, "vector").clone());
      }
      vectors = List.copyOf(copy);
    }

    @Override
    public ChatResponse chat(ChatRequest request, Deployment deployment) {
      throw mismatch(this, deployment, "a chat call");
    }

    @Override
    public List<ChatEvent> events(ChatRequest request, Deployment deployment) {
      throw mismatch(this, deployment, "a stream call");
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request, Deployment deployment) {
      return EmbeddingResponse.of(vectors, Usage.of(Tokens.input(request), 0), deployment);
    }

    @Override
    public String describe() {
      return "embedding(" + count(vectors.size(), "vector") + ")";
    }
  }

  /** {@code "1 delta"}, {@code "2 deltas"}. */
  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static InvalidRequestException mismatch(Answer answer, Deployment deployment,
      String call) {
    return new InvalidRequestException("the step scripted next for " + deployment + " is "
        + answer.describe() + ", which cannot answer " + call, ErrorDetails.of(deployment), null);
  }
}
