package dev.llmgateway.providers.gemini.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentFilteredException;
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
import dev.llmgateway.providers.ReadLimits;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.internal.Bounded;
import dev.llmgateway.providers.internal.ErrorTexts;
import dev.llmgateway.providers.internal.Estimates;
import dev.llmgateway.providers.internal.HttpFailures;
import dev.llmgateway.providers.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads Gemini responses into the canonical types.
 *
 * <p>Parts: text becomes text; a {@code thought: true} part a {@link ContentPart.Reasoning} with
 * its own {@code thoughtSignature}; a {@code thoughtSignature} on any other text part a
 * signature-only reasoning part right before the text part that carried it. Every reasoning part
 * is recorded as {@link GeminiProvider#FORMAT}'s. A {@code functionCall} becomes a {@link ToolCall}
 * with Gemini's {@code id}, or {@link GeminiToolIds#generated(int)} when it sent none, its {@code
 * args} as JSON text, and the {@code thoughtSignature} of its part as the call's own signature. A
 * call whose arguments arrive in pieces ({@code partialArgs}, {@code willContinue}) is assembled
 * into one call with its name and complete arguments (see {@link GeminiCallAssembly}).
 *
 * <p>Usage: {@code promptTokenCount} already includes {@code cachedContentTokenCount}; {@code
 * candidatesTokenCount} does not include {@code thoughtsTokenCount}. So input = prompt + tool-use
 * prompt tokens, cached = cached content, output = candidates + thoughts, reasoning = thoughts. An
 * answer without {@code usageMetadata} is billed by the gateway's estimate, flagged {@code
 * estimated}; an embeddings answer reports its input in {@code usageMetadata.promptTokenCount}
 * where the endpoint sends it (Vertex AI documents it on {@code embedContent}), else it is
 * estimated too ({@link Estimates}).
 *
 * <p>Finish: {@code STOP} (or any reason) with function calls is {@link FinishReason#TOOL_CALLS};
 * {@code MAX_TOKENS} is {@link FinishReason#LENGTH}; safety, recitation, blocklist, prohibited
 * content and SPII (text or image) are {@link FinishReason#CONTENT_FILTER}; anything else {@link
 * FinishReason#OTHER}; the raw reason is kept. A prompt blocked before any candidate ({@code
 * promptFeedback.blockReason}) is a {@link ContentFilteredException}. The model that answered
 * ({@code modelVersion}, on every streamed chunk too) is the response's {@code servedModel}.
 */
public final class GeminiDecoder {
  private static final ObjectReader RESPONSE =
      Json.MAPPER.readerFor(GeminiDtos.Response.class);
  private static final ObjectReader EMBEDDINGS =
      Json.MAPPER.readerFor(GeminiDtos.BatchEmbeddings.class);
  private GeminiDecoder() {}

  /**
   * A unary response body.
   *
   * @throws GatewayException for a body that is not the expected JSON, has no candidates, a
   *     blocked prompt, more than {@code maxToolCalls} function calls, or function calls in pieces
   *     that it cannot place or that outgrow {@code maxResponseBytes}
   */
  public static ChatResponse.Builder chat(byte[] body, ChatRequest request, ErrorDetails details,
      ReadLimits limits) {
    GeminiDtos.Response r = read(body, details, "the response body");
    if (r == null) {
      throw new ProviderUnavailableException("the response is empty JSON", details, null);
    }
    blocked(r, details);
    GeminiDtos.Candidate c = first(r);
    if (c == null) {
      throw new ProviderUnavailableException("the response has no candidates", details, null);
    }
    Parts parts = new Parts(details, limits);
    if (c.content() != null && c.content().parts() != null) {
      for (GeminiDtos.Part p : c.content().parts()) {
        parts.add(p, null);
      }
    }
    Message message = parts.message();
    return ChatResponse.builder()
        .message(message)
        .finishReason(finishReason(c.finishReason(), parts.hasCalls()))
        .rawFinishReason(c.finishReason())
        .usage(Estimates.ofAnswer(r.usageMetadata() == null ? null : usage(r.usageMetadata()),
            request, message))
        .providerResponseId(r.responseId())
        .servedModel(r.modelVersion());
  }

  private static GeminiDtos.@Nullable Response read(byte[] json, ErrorDetails details,
      String what) {
    try {
      return RESPONSE.readValue(json);
    } catch (IOException e) { // a JacksonException: ObjectReader declares IOException
      throw HttpFailures.malformed(what, details, e);
    }
  }

  private static GeminiDtos.@Nullable Response read(String json, ErrorDetails details,
      String what) {
    try {
      return RESPONSE.readValue(json);
    } catch (JacksonException e) {
      throw HttpFailures.malformed(what, details, e);
    }
  }

  private static void blocked(GeminiDtos.Response r, ErrorDetails details) {
    if ((r.candidates() == null || r.candidates().isEmpty()) && r.promptFeedback() != null
        && r.promptFeedback().blockReason() != null) {
      String reason = ErrorTexts.identifier(r.promptFeedback().blockReason());
      throw new ContentFilteredException("Gemini blocked the prompt (blockReason " + reason + ")",
          details.withHttp(details.httpStatus(), reason, details.requestId()), null);
    }
  }

  private static GeminiDtos.@Nullable Candidate first(GeminiDtos.Response r) {
    if (r.candidates() == null) {
      return null;
    }
    for (GeminiDtos.Candidate c : r.candidates()) {
      if (c.index() == null || c.index() == 0) {
        return c;
      }
    }
    return null;
  }

  /** Normalises a {@code finishReason}. */
  public static FinishReason finishReason(@Nullable String raw, boolean calls) {
    if (calls && (raw == null || raw.equals("STOP"))) {
      return FinishReason.TOOL_CALLS;
    }
    if (raw == null) {
      return FinishReason.OTHER;
    }
    switch (raw) {
      case "STOP":
        return FinishReason.STOP;
      case "MAX_TOKENS":
        return FinishReason.LENGTH;
      case "SAFETY":
      case "RECITATION":
      case "BLOCKLIST":
      case "PROHIBITED_CONTENT":
      case "SPII":
      case "IMAGE_SAFETY":
      case "IMAGE_PROHIBITED_CONTENT":
      case "IMAGE_RECITATION":
        return FinishReason.CONTENT_FILTER;
      default:
        return calls ? FinishReason.TOOL_CALLS : FinishReason.OTHER;
    }
  }

  /** Canonical usage of a {@code usageMetadata} object; {@link Usage#ZERO} when absent. */
  static Usage usage(GeminiDtos.@Nullable UsageMetadata u) {
    if (u == null) {
      return Usage.ZERO;
    }
    long cached = u.cachedContentTokenCount();
    long input = Math.max(u.promptTokenCount() + u.toolUsePromptTokenCount(), cached);
    long reasoning = u.thoughtsTokenCount();
    return new Usage(input, u.candidatesTokenCount() + reasoning, cached, 0, reasoning, false);
  }

  /**
   * A {@code batchEmbedContents} body: the vectors in request order, and the input tokens its
   * {@code usageMetadata.promptTokenCount} reports; only when it reports none is the usage the
   * gateway's estimate.
   */
  public static EmbeddingResponse embeddings(byte[] body, EmbeddingRequest request,
      Deployment deployment, ErrorDetails details) {
    int expected = request.inputs().size();
    GeminiDtos.BatchEmbeddings e;
    try {
      e = EMBEDDINGS.readValue(body);
    } catch (IOException ex) {
      throw HttpFailures.malformed("the embeddings body", details, ex);
    }
    int got = e == null || e.embeddings() == null ? 0 : e.embeddings().size();
    if (got != expected) {
      throw new ProviderUnavailableException("the embeddings response has " + got
          + " vectors for " + expected + " inputs", details, null);
    }
    List<float[]> vectors = new ArrayList<>(got);
    for (int i = 0; i < got; i++) {
      float[] values = e.embeddings().get(i).values();
      if (values == null) {
        throw new ProviderUnavailableException("embedding " + i + " has no values", details, null);
      }
      vectors.add(values);
    }
    GeminiDtos.UsageMetadata u = e.usageMetadata();
    Long reported = u == null || u.promptTokenCount() <= 0 ? null : u.promptTokenCount();
    return EmbeddingResponse.of(vectors, Estimates.ofEmbeddings(reported, request), deployment);
  }

  /**
   * The parts of one answer in order, kept so that every thought signature goes back on the part
   * that carried it: a text or thought part's signature as a {@link ContentPart.Reasoning} in
   * place, a function call's on its {@link ToolCall}. Adjacent text (or thought text) of a stream is
   * joined; a function call streamed in pieces is assembled ({@link GeminiCallAssembly}) and handed
   * on whole, once it is complete. At most {@code maxToolCalls} function calls. Not thread-safe.
   */
  static final class Parts {
    private final ErrorDetails details;
    private final int maxToolCalls;
    private final GeminiCallAssembly.Budget budget;
    private final List<ContentPart> content = new ArrayList<>(4);
    private final List<ToolCall> calls = new ArrayList<>(1);
    private @Nullable StringBuilder text; // the open text part, last in content
    private @Nullable StringBuilder thought; // the open unsigned thought part, last in content
    private @Nullable GeminiCallAssembly call; // the function call being streamed in pieces

    Parts(ErrorDetails details, ReadLimits limits) {
      this.details = details;
      this.maxToolCalls = limits.maxToolCalls();
      this.budget = new GeminiCallAssembly.Budget(limits.maxResponseBytes(), details);
    }

    /** Adds a part, handing its events to {@code sink} when streaming. */
    void add(GeminiDtos.Part p, @Nullable Consumer<ChatEvent> sink) {
      String signature = p.thoughtSignature();
      if (p.functionCall() != null) {
        closeText();
        closeThought();
        functionCall(p.functionCall(), signature, sink);
        return;
      }
      closeCall(sink); // any other part ends a call streamed in pieces
      if (p.text() == null) {
        if (signature != null) { // a signature on a part of some kind we do not read
          closeText();
          closeThought();
          content.add(new ContentPart.Reasoning(null, signature, null, GeminiProvider.FORMAT));
          emit(sink, new ChatEvent.ReasoningDelta(null, signature, null, GeminiProvider.FORMAT));
        }
        return;
      }
      if (p.thought()) {
        closeText();
        if (thought == null) {
          thought = new StringBuilder();
        }
        thought.append(p.text());
        emit(sink, new ChatEvent.ReasoningDelta(p.text(), signature, null, GeminiProvider.FORMAT));
        if (signature != null) {
          content.add(new ContentPart.Reasoning(thought.toString(), signature, null,
              GeminiProvider.FORMAT));
          thought = null;
        }
        return;
      }
      closeThought();
      if (signature != null) {
        closeText();
        content.add(new ContentPart.Reasoning(null, signature, null, GeminiProvider.FORMAT));
        emit(sink, new ChatEvent.ReasoningDelta(null, signature, null, GeminiProvider.FORMAT));
      }
      if (text == null) {
        text = new StringBuilder();
      }
      text.append(p.text());
      if (!p.text().isEmpty()) {
        emit(sink, new ChatEvent.TextDelta(p.text()));
      }
      if (signature != null) {
        closeText(); // keep a signed part on its own, as it was sent
      }
    }

    /**
     * A {@code functionCall} part: a whole call, or the first, a middle or the last piece of a
     * call streamed in pieces. A piece naming no function continues the open call; with none open
     * it is an empty end marker (ignored) or broken.
     */
    private void functionCall(GeminiDtos.FunctionCall f, @Nullable String signature,
        @Nullable Consumer<ChatEvent> sink) {
      if (call != null) {
        if (call.continuedBy(f)) {
          call.add(f, signature);
          if (!f.willContinue()) {
            closeCall(sink);
          }
          return;
        }
        closeCall(sink);
      }
      if (f.name() == null || f.name().isEmpty()) {
        if (f.id() == null && f.args() == null && f.partialArgs() == null && signature == null) {
          return; // the empty functionCall that ends a streamed call, after its end
        }
        throw new ProviderUnavailableException(
            "a function call arrived without the name of its function", details, null);
      }
      Bounded.toolCallCount(calls.size() + 1, maxToolCalls, details);
      call = new GeminiCallAssembly(f.id(), f.name(), signature, budget);
      if (f.partialArgs() == null && !f.willContinue()) {
        String args = f.args() == null || f.args().isNull() ? "{}" : f.args().toString();
        finish(call, args, sink);
        return;
      }
      call.add(f, null);
      if (!f.willContinue()) {
        closeCall(sink);
      }
    }

    /** Hands on the call streamed in pieces, if one is open: it is complete. */
    void closeCall(@Nullable Consumer<ChatEvent> sink) {
      if (call != null) {
        finish(call, call.arguments(), sink);
      }
    }

    private void finish(GeminiCallAssembly c, String args, @Nullable Consumer<ChatEvent> sink) {
      int index = calls.size();
      String id = c.id() == null || c.id().isEmpty() ? GeminiToolIds.generated(index) : c.id();
      String signature = c.signature();
      String format = signature == null ? null : GeminiProvider.FORMAT;
      calls.add(new ToolCall(id, c.name(), args, signature, format));
      emit(sink, new ChatEvent.ToolCallDelta(index, id, c.name(), args, signature, format));
      call = null;
    }

    private static void emit(@Nullable Consumer<ChatEvent> sink, ChatEvent event) {
      if (sink != null) {
        sink.accept(event);
      }
    }

    private void closeText() {
      if (text != null) {
        content.add(ContentPart.text(text.toString()));
        text = null;
      }
    }

    private void closeThought() {
      if (thought != null) {
        content.add(new ContentPart.Reasoning(thought.toString(), null, null,
            GeminiProvider.FORMAT));
        thought = null;
      }
    }

    boolean hasCalls() {
      return !calls.isEmpty() || call != null;
    }

    /** The assistant message: content in order, and the calls, each with its signature. */
    Message message() {
      closeText();
      closeThought();
      closeCall(null);
      List<ContentPart> parts = new ArrayList<>(content.size() + 1);
      parts.addAll(content);
      boolean anyText = false;
      for (ContentPart p : parts) {
        anyText |= p instanceof ContentPart.Text;
      }
      if (!anyText && calls.isEmpty()) {
        parts.add(ContentPart.text(""));
      }
      return Message.assistant(parts, calls);
    }
  }

  /**
   * The state of one stream: turns each {@code data:} chunk into events and remembers what the
   * terminal event needs. Not thread-safe.
   */
  public static final class StreamState {
    private final ErrorDetails details;
    private final Parts parts;
    private @Nullable String id;
    private @Nullable String modelVersion;
    private @Nullable String finishReason;
    private @Nullable Usage usage;

    /**
     * State for one stream.
     *
     * @param limits how much the answer may hold: its function calls, and the characters of the
     *     arguments of calls streamed in pieces
     */
    public StreamState(ErrorDetails details, ReadLimits limits) {
      this.details = details;
      this.parts = new Parts(details, limits);
    }

    /**
     * Reads one chunk and hands its events to {@code sink}.
     *
     * @throws GatewayException for a chunk that is not valid JSON, an error chunk (mapped), a
     *     blocked prompt, a function call past {@code maxToolCalls}, a function call streamed in
     *     pieces past {@code maxResponseBytes} or in pieces it cannot place
     */
    public void chunk(String data, Consumer<ChatEvent> sink,
        Function<GeminiDtos.ErrorDto, GatewayException> errors) {
      GeminiDtos.Response r = read(data, details, "a stream chunk");
      if (r == null) {
        return;
      }
      if (r.error() != null) {
        throw errors.apply(r.error());
      }
      blocked(r, details);
      if (id == null && r.responseId() != null) {
        id = r.responseId();
      }
      if (modelVersion == null && r.modelVersion() != null && !r.modelVersion().isEmpty()) {
        modelVersion = r.modelVersion(); // every chunk names it
      }
      GeminiDtos.Candidate c = first(r);
      if (c != null) {
        if (c.content() != null && c.content().parts() != null) {
          for (GeminiDtos.Part p : c.content().parts()) {
            parts.add(p, sink);
          }
        }
        if (c.finishReason() != null) {
          finishReason = c.finishReason();
          parts.closeCall(sink); // a call streamed in pieces is complete at the finish
        }
      }
      if (r.usageMetadata() != null) {
        usage = GeminiDecoder.usage(r.usageMetadata()); // running counts: the last is final
      }
    }

    /** Whether a finish reason arrived (Gemini streams have no end marker). */
    public boolean finished() {
      return finishReason != null;
    }

    /** The assembled answer, each signature on the part that carried it. */
    public Message message() {
      return parts.message();
    }

    /** The provider's response id, or null. */
    public @Nullable String id() {
      return id;
    }

    /** The {@code modelVersion} the chunks name (the first that names one), or null. */
    public @Nullable String modelVersion() {
      return modelVersion;
    }

    /** The raw finish reason, or null. */
    public @Nullable String rawFinishReason() {
      return finishReason;
    }

    /** The normalised finish reason. */
    public FinishReason finishReason() {
      return GeminiDecoder.finishReason(finishReason, parts.hasCalls());
    }

    /** The last reported usage, or null when none came. */
    public @Nullable Usage usage() {
      return usage;
    }
  }
}
