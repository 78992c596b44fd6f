package dev.llmgateway.providers.openai.internal;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.FinishReason;
import dev.llmgateway.GatewayException;
import dev.llmgateway.Message;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.providers.internal.Bounded;
import dev.llmgateway.providers.internal.Estimates;
import dev.llmgateway.providers.internal.HttpFailures;
import dev.llmgateway.providers.internal.Json;
import dev.llmgateway.providers.openai.OpenAiProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads Chat Completions and Embeddings responses into the canonical types.
 *
 * <p>Usage: {@code prompt_tokens} already includes {@code prompt_tokens_details.cached_tokens}, so
 * it maps one to one onto input and cached input tokens; {@code cache_write_tokens}, where sent,
 * onto cache-write tokens. OpenAI counts {@code completion_tokens_details.reasoning_tokens} inside
 * {@code completion_tokens}; some compatible endpoints (xAI's Grok) count them beside it, {@code
 * total_tokens} then being prompt + completion + reasoning. Which one an answer means is read from
 * its totals ({@link #outputTokens}), and output is completion, or completion + reasoning, never
 * the larger of the two. An answer without {@code usage} is billed by the gateway's estimate,
 * flagged {@code estimated} ({@link Estimates}). A refusal ({@code message.refusal}) is
 * returned as the answer's text with the finish reason {@link FinishReason#CONTENT_FILTER} (the raw
 * one kept). {@code reasoning_content} (DeepSeek, vLLM) and {@code reasoning} (OpenRouter, Ollama)
 * become reasoning parts. The model that answered ({@code model}, on every streamed chunk too; an
 * embeddings answer's {@code model}) is the response's {@code servedModel}.
 */
public final class OpenAiDecoder {
  private static final ObjectReader CHUNK =
      Json.MAPPER.readerFor(OpenAiDtos.Chunk.class);
  private static final ObjectReader EMBEDDINGS =
      Json.MAPPER.readerFor(OpenAiDtos.Embeddings.class);
  private OpenAiDecoder() {}

  /**
   * A unary response body.
   *
   * @throws GatewayException for a body that is not the expected JSON, has no choices, or has more
   *     than {@code maxToolCalls} tool calls
   */
  public static ChatResponse.Builder chat(byte[] body, ChatRequest request, ErrorDetails details,
      int maxToolCalls) {
    OpenAiDtos.Completion c;
    try {
      c = CompletionReader.read(body);
    } catch (IOException e) {
      throw HttpFailures.malformed("the response body", details, e);
    }
    if (c == null || c.choices() == null || c.choices().isEmpty()
        || c.choices().get(0).message() == null) {
      throw new ProviderUnavailableException("the response has no choices", details, null);
    }
    OpenAiDtos.Choice choice = c.choices().get(0);
    OpenAiDtos.MessageDto m = choice.message();
    String reasoning = m.reasoningContent() != null ? m.reasoningContent() : m.reasoning();
    ContentPart thought = reasoning != null && !reasoning.isEmpty()
        ? new ContentPart.Reasoning(reasoning, null, null, OpenAiProvider.FORMAT) : null;
    String text = m.content() != null ? m.content() : m.refusal();
    ContentPart said = text != null && (!text.isEmpty() || m.toolCalls() == null)
        ? ContentPart.text(text) : null;
    // immutable lists as the message keeps them: no list to copy
    List<ContentPart> parts = thought == null ? (said == null ? List.of() : List.of(said))
        : said == null ? List.of(thought) : List.of(thought, said);
    int callCount = m.toolCalls() == null ? 0 : m.toolCalls().size();
    Bounded.toolCallCount(callCount, maxToolCalls, details);
    List<ToolCall> calls = callCount == 0 ? List.of() : new ArrayList<>(callCount);
    if (callCount > 0) {
      for (OpenAiDtos.ToolCallDto t : m.toolCalls()) {
        OpenAiDtos.FunctionDto f = t.function();
        calls.add(new ToolCall(t.id() == null ? "" : t.id(),
            f == null || f.name() == null ? "" : f.name(),
            f == null || f.arguments() == null || f.arguments().isEmpty() ? "{}" : f.arguments()));
      }
    }
    FinishReason finish = m.content() == null && m.refusal() != null
        ? FinishReason.CONTENT_FILTER : finishReason(choice.finishReason());
    Message message = Message.assistant(parts, calls);
    return ChatResponse.builder()
        .message(message)
        .finishReason(finish)
        .rawFinishReason(choice.finishReason())
        .usage(Estimates.ofAnswer(c.usage() == null ? null : usage(c.usage()), request, message))
        .providerResponseId(c.id())
        .servedModel(c.model());
  }

  /** Normalises a {@code finish_reason}. */
  public static FinishReason finishReason(@Nullable String raw) {
    if (raw == null) {
      return FinishReason.OTHER;
    }
    switch (raw) {
      case "stop":
        return FinishReason.STOP;
      case "length":
        return FinishReason.LENGTH;
      case "tool_calls":
      case "function_call":
        return FinishReason.TOOL_CALLS;
      case "content_filter":
        return FinishReason.CONTENT_FILTER;
      default:
        return FinishReason.OTHER;
    }
  }

  /** Canonical usage of a {@code usage} object; {@link Usage#ZERO} when absent. */
  static Usage usage(OpenAiDtos.@Nullable UsageDto u) {
    if (u == null) {
      return Usage.ZERO;
    }
    long cached = u.promptDetails() == null ? 0 : u.promptDetails().cachedTokens();
    long written = u.promptDetails() == null ? 0 : u.promptDetails().cacheWriteTokens();
    long reasoning = u.completionDetails() == null ? 0 : u.completionDetails().reasoningTokens();
    long input = Math.max(u.promptTokens(), cached + written);
    return new Usage(input, outputTokens(u, reasoning), cached, written, reasoning, false);
  }

  /**
   * All generated tokens, reasoning included: {@code completion_tokens} where it already counts the
   * reasoning tokens (OpenAI), {@code completion_tokens + reasoning_tokens} where they are counted
   * beside it (xAI). The totals decide: {@code total_tokens} equal to prompt + completion +
   * reasoning means beside, equal to prompt + completion means inside; without a total that says
   * either, reasoning above completion can only mean beside.
   */
  static long outputTokens(OpenAiDtos.UsageDto u, long reasoning) {
    long completion = u.completionTokens();
    if (reasoning == 0) {
      return completion;
    }
    Long total = u.totalTokens();
    boolean beside;
    if (total != null && total == u.promptTokens() + completion + reasoning) {
      beside = true;
    } else if (total != null && total == u.promptTokens() + completion) {
      beside = false;
    } else {
      beside = reasoning > completion;
    }
    return beside ? completion + reasoning : completion;
  }

  /**
   * An embeddings response body: one vector per input of {@code request}, its reported {@code
   * usage.prompt_tokens} (estimated only when the answer has no usage).
   */
  public static EmbeddingResponse embeddings(byte[] body, EmbeddingRequest request,
      Deployment deployment, ErrorDetails details) {
    int expected = request.inputs().size();
    OpenAiDtos.Embeddings e;
    try {
      e = EMBEDDINGS.readValue(body);
    } catch (IOException ex) {
      throw HttpFailures.malformed("the embeddings body", details, ex);
    }
    if (e == null || e.data() == null || e.data().size() != expected) {
      throw new ProviderUnavailableException("the embeddings response has "
          + (e == null || e.data() == null ? 0 : e.data().size()) + " vectors for " + expected
          + " inputs", details, null);
    }
    List<OpenAiDtos.EmbeddingItem> items = new ArrayList<>(e.data());
    items.sort(Comparator.comparingInt(OpenAiDtos.EmbeddingItem::index));
    List<float[]> vectors = new ArrayList<>(items.size());
    for (OpenAiDtos.EmbeddingItem item : items) {
      if (item.embedding() == null) {
        throw new ProviderUnavailableException(
            "embedding " + item.index() + " has no vector", details, null);
      }
      vectors.add(item.embedding());
    }
    Usage usage =
        Estimates.ofEmbeddings(e.usage() == null ? null : e.usage().promptTokens(), request);
    return EmbeddingResponse.of(vectors, usage, deployment, e.model());
  }

  /**
   * The state of one stream: turns each chunk into events and remembers what the terminal event
   * needs. Not thread-safe.
   */
  public static final class StreamState {
    private final ErrorDetails details;
    private final int maxToolCalls;
    private @Nullable String id;
    private @Nullable String model;
    private @Nullable String finishReason;
    private boolean refused;
    private @Nullable Usage usage;

    /**
     * State for one stream.
     *
     * @param maxToolCalls the most tool calls the answer may have: each call's {@code index} must
     *     be below it
     */
    public StreamState(ErrorDetails details, int maxToolCalls) {
      this.details = details;
      this.maxToolCalls = maxToolCalls;
    }

    /**
     * Reads one chunk's JSON and hands its events to {@code sink}.
     *
     * @throws GatewayException for a chunk that is not valid JSON, an error chunk (mapped), or a
     *     tool call whose {@code index} is negative or not below {@code maxToolCalls}
     */
    public void chunk(String data, Consumer<ChatEvent> sink,
        java.util.function.Function<OpenAiDtos.ErrorDto, GatewayException> errors) {
      OpenAiDtos.Chunk chunk;
      try {
        chunk = CompletionReader.chunk(data);
        if (chunk == CompletionReader.ERROR_CHUNK) {
          chunk = CHUNK.readValue(data); // an error's fields may hold any JSON
        }
      } catch (IOException e) {
        throw HttpFailures.malformed("a stream chunk", details, e);
      }
      if (chunk == null) {
        return;
      }
      if (chunk.error() != null) {
        throw errors.apply(chunk.error());
      }
      if (id == null && chunk.id() != null && !chunk.id().isEmpty()) {
        id = chunk.id();
      }
      if (model == null && chunk.model() != null && !chunk.model().isEmpty()) {
        model = chunk.model(); // every chunk names it; Azure's first has "" (prompt filters)
      }
      if (chunk.choices() != null) {
        for (OpenAiDtos.ChunkChoice choice : chunk.choices()) {
          if (choice.index() != 0) {
            continue;
          }
          OpenAiDtos.MessageDto delta = choice.delta();
          if (delta != null) {
            delta(delta, sink);
          }
          if (choice.finishReason() != null) {
            finishReason = choice.finishReason();
          }
        }
      }
      if (chunk.usage() != null) {
        usage = OpenAiDecoder.usage(chunk.usage());
        sink.accept(new ChatEvent.UsageReport(usage));
      }
    }

    private void delta(OpenAiDtos.MessageDto delta, Consumer<ChatEvent> sink) {
      String reasoning =
          delta.reasoningContent() != null ? delta.reasoningContent() : delta.reasoning();
      if (reasoning != null && !reasoning.isEmpty()) {
        sink.accept(new ChatEvent.ReasoningDelta(reasoning, null, null,
            OpenAiProvider.FORMAT));
      }
      if (delta.content() != null && !delta.content().isEmpty()) {
        sink.accept(new ChatEvent.TextDelta(delta.content()));
      }
      if (delta.refusal() != null && !delta.refusal().isEmpty()) {
        refused = true;
        sink.accept(new ChatEvent.TextDelta(delta.refusal()));
      }
      if (delta.toolCalls() != null) {
        for (OpenAiDtos.ToolCallDto t : delta.toolCalls()) {
          OpenAiDtos.FunctionDto f = t.function();
          String args = f == null || f.arguments() == null ? "" : f.arguments();
          int index = t.index() == null ? 0
              : Bounded.toolCallIndex(t.index(), maxToolCalls, details);
          sink.accept(new ChatEvent.ToolCallDelta(index, t.id(), f == null ? null : f.name(),
              args));
        }
      }
    }

    /** Whether a finish reason arrived (the answer is complete even without {@code [DONE]}). */
    public boolean finished() {
      return finishReason != null;
    }

    /** The provider's response id, or null. */
    public @Nullable String id() {
      return id;
    }

    /** The model the chunks name (the first that names one), or null. */
    public @Nullable String model() {
      return model;
    }

    /** The raw finish reason, or null. */
    public @Nullable String rawFinishReason() {
      return finishReason;
    }

    /** The normalised finish reason. */
    public FinishReason finishReason() {
      return refused ? FinishReason.CONTENT_FILTER : OpenAiDecoder.finishReason(finishReason);
    }

    /** The reported usage, or null when the endpoint sent none. */
    public @Nullable Usage usage() {
      return usage;
    }
  }
}
