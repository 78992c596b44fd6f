package dev.llmgateway.providers.anthropic.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.FinishReason;
import dev.llmgateway.GatewayException;
import dev.llmgateway.Message;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.internal.Bounded;
import dev.llmgateway.providers.internal.Estimates;
import dev.llmgateway.providers.internal.HttpFailures;
import dev.llmgateway.providers.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads Messages API responses and stream events into the canonical types.
 *
 * <p>Usage: Anthropic's {@code input_tokens} counts only the uncached part of the prompt, so the
 * canonical input is {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens};
 * cached input is {@code cache_read_input_tokens}, cache writes {@code
 * cache_creation_input_tokens}, one-hour writes {@code cache_creation.ephemeral_1h_input_tokens},
 * output {@code output_tokens} (thinking included). Anthropic does not report thinking tokens
 * separately, so reasoning tokens are 0. Stop reasons: {@code end_turn} and {@code stop_sequence}
 * are STOP, {@code max_tokens} and {@code model_context_window_exceeded} LENGTH, {@code tool_use}
 * TOOL_CALLS, {@code refusal} CONTENT_FILTER, anything else ({@code pause_turn}) OTHER; the raw
 * reason is kept. Server-tool blocks ({@code server_tool_use}, web search results) are skipped.
 * The model that answered ({@code model}, a stream's {@code message_start.message.model}) is the
 * response's {@code servedModel}.
 */
public final class AnthropicDecoder {
  private static final ObjectReader MESSAGE =
      Json.MAPPER.readerFor(AnthropicDtos.MessageDto.class);
  private static final ObjectReader STREAM_EVENT =
      Json.MAPPER.readerFor(AnthropicDtos.StreamEvent.class);
  private AnthropicDecoder() {}

  /**
   * A unary response body.
   *
   * @throws GatewayException for a body that is not the expected JSON, has no content, or has more
   *     than {@code maxToolCalls} {@code tool_use} blocks
   */
  public static ChatResponse.Builder chat(byte[] body, ChatRequest request, ErrorDetails details,
      int maxToolCalls) {
    AnthropicDtos.MessageDto m;
    try {
      m = MESSAGE.readValue(body);
    } catch (IOException e) {
      throw HttpFailures.malformed("the response body", details, e);
    }
    if (m == null || m.content() == null) {
      throw new ProviderUnavailableException("the response has no content", details, null);
    }
    List<ContentPart> parts = new ArrayList<>(2);
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>(1);
    for (AnthropicDtos.Block b : m.content()) {
      String type = b.type() == null ? "" : b.type();
      switch (type) {
        case "text":
          if (b.text() != null) {
            text.append(b.text());
          }
          break;
        case "thinking":
          if (b.thinking() != null || b.signature() != null) {
            parts.add(new ContentPart.Reasoning(b.thinking(), b.signature(), null,
                AnthropicProvider.FORMAT));
          }
          break;
        case "redacted_thinking":
          if (b.data() != null) {
            parts.add(new ContentPart.Reasoning(null, null, b.data(), AnthropicProvider.FORMAT));
          }
          break;
        case "tool_use":
          Bounded.toolCallCount(calls.size() + 1, maxToolCalls, details);
          calls.add(new ToolCall(b.id() == null ? "" : b.id(), b.name() == null ? "" : b.name(),
              b.input() == null || b.input().isNull() ? "{}" : b.input().toString()));
          break;
        default:
          break;
      }
    }
    if (text.length() > 0 || (parts.isEmpty() && calls.isEmpty())) {
      parts.add(ContentPart.text(text.toString()));
    }
    Message message = Message.assistant(parts, calls);
    return ChatResponse.builder()
        .message(message)
        .finishReason(finishReason(m.stopReason()))
        .rawFinishReason(m.stopReason())
        .usage(Estimates.ofAnswer(m.usage() == null ? null : usage(m.usage(), null), request,
            message))
        .providerResponseId(m.id())
        .servedModel(m.model());
  }

  /** Normalises a {@code stop_reason}. */
  public static FinishReason finishReason(@Nullable String raw) {
    if (raw == null) {
      return FinishReason.OTHER;
    }
    switch (raw) {
      case "end_turn":
      case "stop_sequence":
        return FinishReason.STOP;
      case "max_tokens":
      case "model_context_window_exceeded":
        return FinishReason.LENGTH;
      case "tool_use":
        return FinishReason.TOOL_CALLS;
      case "refusal":
        return FinishReason.CONTENT_FILTER;
      default:
        return FinishReason.OTHER;
    }
  }

  /**
   * Canonical usage of a {@code usage} object, fields missing from it taken from {@code earlier}
   * (a stream's {@code message_start}); {@link Usage#ZERO} when both are absent.
   */
  static Usage usage(AnthropicDtos.@Nullable UsageDto u, AnthropicDtos.@Nullable UsageDto earlier) {
    if (u == null && earlier == null) {
      return Usage.ZERO;
    }
    long input = pick(u == null ? null : u.inputTokens(),
        earlier == null ? null : earlier.inputTokens());
    long read = pick(u == null ? null : u.cacheReadInputTokens(),
        earlier == null ? null : earlier.cacheReadInputTokens());
    long written = pick(u == null ? null : u.cacheCreationInputTokens(),
        earlier == null ? null : earlier.cacheCreationInputTokens());
    long output = pick(u == null ? null : u.outputTokens(),
        earlier == null ? null : earlier.outputTokens());
    AnthropicDtos.CacheCreation cc = u != null && u.cacheCreation() != null ? u.cacheCreation()
        : earlier != null ? earlier.cacheCreation() : null;
    long oneHour = cc == null ? 0 : Math.min(written, Math.max(0, cc.ephemeral1h()));
    return new Usage(input + read + written, output, read, written, oneHour, 0, false);
  }

  private static long pick(@Nullable Long value, @Nullable Long fallback) {
    long v = value != null ? value : fallback != null ? fallback : 0;
    return Math.max(0, v);
  }

  /**
   * The state of one stream: turns each event into canonical events and remembers what the
   * terminal event needs. Not thread-safe.
   */
  public static final class StreamState {
    private final ErrorDetails details;
    private final int maxToolCalls;
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>(4);
    private @Nullable String id;
    private @Nullable String model;
    private AnthropicDtos.@Nullable UsageDto startUsage;
    private @Nullable Usage usage;
    private @Nullable String stopReason;
    private boolean stopped;

    /**
     * State for one stream.
     *
     * @param maxToolCalls the most {@code tool_use} blocks the answer may have
     */
    public StreamState(ErrorDetails details, int maxToolCalls) {
      this.details = details;
      this.maxToolCalls = maxToolCalls;
    }

    /**
     * Reads one event and hands its canonical events to {@code sink}.
     *
     * @param name the SSE {@code event:} name, or null
     * @throws GatewayException for data that is not valid JSON, an error event (mapped), or a
     *     {@code tool_use} block past {@code maxToolCalls}
     */
    public void event(@Nullable String name, String data, Consumer<ChatEvent> sink,
        Function<AnthropicDtos.ErrorDto, GatewayException> errors) {
      if ("ping".equals(name)) {
        return;
      }
      AnthropicDtos.StreamEvent e;
      try {
        e = STREAM_EVENT.readValue(data);
      } catch (JacksonException ex) {
        throw HttpFailures.malformed("a stream event", details, ex);
      }
      if (e == null) {
        return;
      }
      String type = e.type() != null ? e.type() : name == null ? "" : name;
      switch (type) {
        case "message_start":
          if (e.message() != null) {
            id = e.message().id();
            model = e.message().model();
            startUsage = e.message().usage();
            if (startUsage != null) {
              usage = AnthropicDecoder.usage(startUsage, null);
            }
          }
          break;
        case "content_block_start":
          blockStart(e, sink);
          break;
        case "content_block_delta":
          delta(e, sink);
          break;
        case "message_delta":
          if (e.delta() != null && e.delta().stopReason() != null) {
            stopReason = e.delta().stopReason();
          }
          if (e.usage() != null) {
            usage = AnthropicDecoder.usage(e.usage(), startUsage);
            sink.accept(new ChatEvent.UsageReport(usage));
          }
          break;
        case "message_stop":
          stopped = true;
          break;
        case "error":
          throw errors.apply(e.error() != null ? e.error()
              : new AnthropicDtos.ErrorDto(null, null));
        default:
          break; // ping, content_block_stop, and event types added later
      }
    }

    private void blockStart(AnthropicDtos.StreamEvent e, Consumer<ChatEvent> sink) {
      AnthropicDtos.Block b = e.contentBlock();
      if (b == null || b.type() == null) {
        return;
      }
      switch (b.type()) {
        case "text":
          if (b.text() != null && !b.text().isEmpty()) {
            sink.accept(new ChatEvent.TextDelta(b.text()));
          }
          break;
        case "thinking":
          if (b.thinking() != null && !b.thinking().isEmpty()) {
            sink.accept(new ChatEvent.ReasoningDelta(b.thinking(), null, null,
                AnthropicProvider.FORMAT));
          }
          break;
        case "redacted_thinking":
          if (b.data() != null) {
            sink.accept(new ChatEvent.ReasoningDelta(null, null, b.data(),
                AnthropicProvider.FORMAT));
          }
          break;
        case "tool_use":
          int index = toolIndexByBlock.size();
          Bounded.toolCallCount(index + 1, maxToolCalls, details);
          toolIndexByBlock.put(e.index() == null ? -1 : e.index(), index);
          sink.accept(new ChatEvent.ToolCallDelta(index, b.id() == null ? "" : b.id(),
              b.name() == null ? "" : b.name(), ""));
          break;
        default:
          break;
      }
    }

    private void delta(AnthropicDtos.StreamEvent e, Consumer<ChatEvent> sink) {
      AnthropicDtos.Delta d = e.delta();
      if (d == null || d.type() == null) {
        return;
      }
      switch (d.type()) {
        case "text_delta":
          if (d.text() != null && !d.text().isEmpty()) {
            sink.accept(new ChatEvent.TextDelta(d.text()));
          }
          break;
        case "thinking_delta":
          if (d.thinking() != null && !d.thinking().isEmpty()) {
            sink.accept(new ChatEvent.ReasoningDelta(d.thinking(), null, null,
                AnthropicProvider.FORMAT));
          }
          break;
        case "signature_delta":
          if (d.signature() != null) {
            sink.accept(new ChatEvent.ReasoningDelta(null, d.signature(), null,
                AnthropicProvider.FORMAT));
          }
          break;
        case "input_json_delta":
          Integer index = toolIndexByBlock.get(e.index() == null ? -1 : e.index());
          if (index != null && d.partialJson() != null && !d.partialJson().isEmpty()) {
            sink.accept(new ChatEvent.ToolCallDelta(index, null, null, d.partialJson()));
          }
          break;
        default:
          break;
      }
    }

    /** Whether {@code message_stop} arrived. */
    public boolean stopped() {
      return stopped;
    }

    /** Whether a stop reason arrived (the answer is complete even without {@code message_stop}). */
    public boolean finished() {
      return stopped || stopReason != null;
    }

    /** The message id, or null. */
    public @Nullable String id() {
      return id;
    }

    /** The model {@code message_start} named, or null. */
    public @Nullable String model() {
      return model;
    }

    /** The raw stop reason, or null. */
    public @Nullable String rawStopReason() {
      return stopReason;
    }

    /** The normalised stop reason. */
    public FinishReason finishReason() {
      return AnthropicDecoder.finishReason(stopReason);
    }

    /** The usage reported so far, or null when none was. */
    public @Nullable Usage usage() {
      return usage;
    }
  }
}
