package dev.llmgateway.testing.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockFault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * Answers requests in the Anthropic Messages wire format. See {@link
 * dev.llmgateway.testing.wire.AnthropicMockServer} for what it serves. Thread-safe.
 */
public final class AnthropicResponder implements ScriptedServer.Responder {
  /** The request body of an answer that quotes none of it (an oversized error). */
  private static final JsonNode NO_BODY = MissingNode.getInstance();
  /**
   * Thinking that opens a scripted answer.
   *
   * @param text the visible thinking
   * @param signature its signature
   * @param redactedData a redacted block after it, or null
   */
  public record Thinking(String text, String signature, @Nullable String redactedData) {}

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String JSON = "application/json";
  private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";
  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long STALL_SECONDS = 60;
  private static final int REQUEST_LIMIT = 4000;
  private static final int TOKEN_LIMIT = 400_000;

  private final Map<Scripted, Thinking> thinking =
      Collections.synchronizedMap(new IdentityHashMap<>());

  /** Opens the given (not yet taken) answer with thinking. */
  public void think(Scripted answer, Thinking t) {
    thinking.put(answer, t);
  }

  private record Call(int number, String model, String served, boolean stream,
      String requestId) {}

  @Override
  public MockResponse respond(RecordedRequest request, int number, ScriptedServer server) {
    String requestId = "req_011C" + random(20);
    if (!"POST".equals(request.getMethod())
        || !request.getUrl().encodedPath().equals("/v1/messages")) {
      return base(number, requestId, 404, JSON)
          .body(error("not_found_error", "Not Found", requestId)).build();
    }
    JsonNode body;
    try {
      ByteString bytes = request.getBody();
      body = MAPPER.readTree(bytes == null ? "" : bytes.utf8());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      return base(number, requestId, 400, JSON).body(error("invalid_request_error",
          "There was an error parsing the body of your request.", requestId)).build();
    }
    String model = body.path("model").asText("");
    if (model.isEmpty() || !body.path("max_tokens").isInt()) {
      return base(number, requestId, 400, JSON).body(error("invalid_request_error",
          model.isEmpty() ? "model: Field required" : "max_tokens: Field required", requestId))
          .build();
    }
    Scripted next = server.next();
    Call call = new Call(number, model, next == null ? model : server.modelServing(next, model),
        body.path("stream").asBoolean(false), requestId);
    if (next == null) {
      return base(call, 500, JSON).body(error("api_error", "AnthropicMockServer: no response was "
          + "scripted for request #" + number + " (POST /v1/messages)", requestId)).build();
    }
    Thinking think = thinking.remove(next);
    if (next instanceof Scripted.Error e) {
      Duration delay = e.retryAfter();
      return delay != null ? rateLimited(call, delay) : error(call, e.error(), request, body);
    }
    if (next instanceof Scripted.Fault f) {
      return fault(call, f, server, request);
    }
    if (next instanceof Scripted.Embeddings) {
      return base(call, 400, JSON).body(error("invalid_request_error", "AnthropicMockServer: "
          + "an embeddings answer was scripted for request #" + number + ", but Anthropic has no "
          + "embeddings API", requestId)).build();
    }
    if (next instanceof Scripted.Text t) {
      if (call.stream()) {
        return stream(call, textEvents(call, think, t.deltas(), t.usage(), true), server,
            t.pace());
      }
      return base(call, 200, JSON).body(message(call, think, t.text(), List.of(), "end_turn",
          t.usage())).build();
    }
    Scripted.ToolCalls t = (Scripted.ToolCalls) next;
    if (call.stream()) {
      return stream(call, toolCallEvents(call, think, t), server, t.pace());
    }
    return base(call, 200, JSON).body(message(call, think, null, t.calls(), "tool_use",
        t.usage())).build();
  }

  // ---- bodies

  private static String message(Call call, @Nullable Thinking think, @Nullable String text,
      List<ToolCall> calls, String stopReason, Usage usage) {
    ObjectNode m = messageNode(call, usage, false);
    ArrayNode content = m.putArray("content");
    if (think != null) {
      ObjectNode b = content.addObject();
      b.put("type", "thinking");
      b.put("thinking", think.text());
      b.put("signature", think.signature());
      if (think.redactedData() != null) {
        content.addObject().put("type", "redacted_thinking").put("data", think.redactedData());
      }
    }
    if (text != null) {
      content.addObject().put("type", "text").put("text", text);
    }
    for (ToolCall c : calls) {
      ObjectNode b = content.addObject();
      b.put("type", "tool_use");
      b.put("id", c.id());
      b.put("name", c.name());
      b.set("input", tree(c.arguments()));
    }
    m.put("stop_reason", stopReason);
    m.putNull("stop_sequence");
    m.set("usage", usage(usage, false));
    return m.toString();
  }

  private static ObjectNode messageNode(Call call, Usage usage, boolean start) {
    ObjectNode m = MAPPER.createObjectNode();
    m.put("id", "msg_01" + random(22));
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", call.served());
    if (start) {
      m.putArray("content");
      m.putNull("stop_reason");
      m.putNull("stop_sequence");
      m.set("usage", usage(usage, true));
    }
    return m;
  }

  /**
   * Anthropic's usage of canonical counts: {@code input_tokens} is the uncached part only; cache
   * reads and writes are counted beside it. Canonical reasoning tokens have no Anthropic field.
   */
  static ObjectNode usage(Usage u, boolean start) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("input_tokens", u.inputTokens() - u.cachedInputTokens() - u.cacheWriteTokens());
    n.put("cache_creation_input_tokens", u.cacheWriteTokens());
    n.put("cache_read_input_tokens", u.cachedInputTokens());
    ObjectNode cc = n.putObject("cache_creation");
    cc.put("ephemeral_5m_input_tokens", u.cacheWriteTokens() - u.cacheWrite1hTokens());
    cc.put("ephemeral_1h_input_tokens", u.cacheWrite1hTokens());
    n.put("output_tokens", start ? 1 : u.outputTokens());
    n.put("service_tier", "standard");
    return n;
  }

  private static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("tool arguments are not JSON: " + json, e);
    }
  }

  /** The message of a request whose tool input the API refuses, for the in-band client error. */
  private static final String INVALID_TOOL_INPUT =
      "messages.1.content.0.tool_use.input: Input should be a valid dictionary";

  static String error(String type, String message, String requestId) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", "error");
    n.putObject("error").put("type", type).put("message", message);
    n.put("request_id", requestId);
    return n.toString();
  }

  // ---- streams

  private static byte[] event(String name, ObjectNode data) {
    return ("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static Supplier<byte[]> fixed(byte[] bytes) {
    return () -> bytes;
  }

  private static ObjectNode node(String type) {
    return MAPPER.createObjectNode().put("type", type);
  }

  private static void start(List<Supplier<byte[]>> events, Call call, Usage usage) {
    ObjectNode start = node("message_start");
    start.set("message", messageNode(call, usage, true));
    events.add(fixed(event("message_start", start)));
  }

  /** Thinking blocks from index 0; returns the next block index. */
  private static int thinking(List<Supplier<byte[]>> events, @Nullable Thinking think) {
    if (think == null) {
      return 0;
    }
    ObjectNode block = node("thinking").put("thinking", "").put("signature", "");
    events.add(fixed(event("content_block_start", blockStart(0, block))));
    for (String piece : OpenAiResponder.split(think.text(), 2)) {
      events.add(fixed(event("content_block_delta",
          blockDelta(0, node("thinking_delta").put("thinking", piece)))));
    }
    events.add(fixed(event("content_block_delta",
        blockDelta(0, node("signature_delta").put("signature", think.signature())))));
    events.add(fixed(event("content_block_stop", node("content_block_stop").put("index", 0))));
    if (think.redactedData() == null) {
      return 1;
    }
    events.add(fixed(event("content_block_start",
        blockStart(1, node("redacted_thinking").put("data", think.redactedData())))));
    events.add(fixed(event("content_block_stop", node("content_block_stop").put("index", 1))));
    return 2;
  }

  private static ObjectNode blockStart(int index, ObjectNode block) {
    ObjectNode n = node("content_block_start").put("index", index);
    n.set("content_block", block);
    return n;
  }

  private static ObjectNode blockDelta(int index, ObjectNode delta) {
    ObjectNode n = node("content_block_delta").put("index", index);
    n.set("delta", delta);
    return n;
  }

  private static void ending(List<Supplier<byte[]>> events, String stopReason, Usage usage) {
    ObjectNode delta = node("message_delta");
    delta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
    ObjectNode u = usage(usage, false);
    u.remove("cache_creation");
    u.remove("service_tier");
    delta.set("usage", u);
    events.add(fixed(event("message_delta", delta)));
    events.add(fixed(event("message_stop", node("message_stop"))));
  }

  private static List<Supplier<byte[]>> textEvents(Call call, @Nullable Thinking think,
      List<String> deltas, Usage usage, boolean finish) {
    List<Supplier<byte[]>> events = new ArrayList<>(deltas.size() + 8);
    start(events, call, usage);
    int index = thinking(events, think);
    events.add(fixed(event("content_block_start",
        blockStart(index, node("text").put("text", "")))));
    events.add(fixed(event("ping", node("ping"))));
    for (String d : deltas) {
      events.add(() -> event("content_block_delta",
          blockDelta(index, node("text_delta").put("text", d))));
    }
    if (finish) {
      events.add(fixed(event("content_block_stop",
          node("content_block_stop").put("index", index))));
      ending(events, "end_turn", usage);
    }
    return events;
  }

  private static List<Supplier<byte[]>> toolCallEvents(Call call, @Nullable Thinking think,
      Scripted.ToolCalls t) {
    List<Supplier<byte[]>> events = new ArrayList<>();
    start(events, call, t.usage());
    int index = thinking(events, think);
    for (ToolCall c : t.calls()) {
      int i = index++;
      ObjectNode block = node("tool_use").put("id", c.id()).put("name", c.name());
      block.putObject("input");
      events.add(fixed(event("content_block_start", blockStart(i, block))));
      events.add(fixed(event("content_block_delta",
          blockDelta(i, node("input_json_delta").put("partial_json", "")))));
      for (String fragment : OpenAiResponder.split(c.arguments(), t.fragments())) {
        events.add(() -> event("content_block_delta",
            blockDelta(i, node("input_json_delta").put("partial_json", fragment))));
      }
      events.add(fixed(event("content_block_stop", node("content_block_stop").put("index", i))));
    }
    ending(events, "tool_use", t.usage());
    return events;
  }

  private MockResponse stream(Call call, List<Supplier<byte[]>> events, ScriptedServer server,
      Duration pace) {
    return live(call, 200, EVENT_STREAM, server.live(events, LiveBody.Framing.CHUNKED,
        LiveBody.Ending.COMPLETE, pace), -1, false);
  }

  private MockResponse live(Call call, int code, String contentType, LiveBody body,
      long contentLength, boolean closeAfter) {
    MockResponse.Builder b = base(call, code, contentType).removeHeader("Content-Length");
    if (contentLength >= 0) {
      b.setHeader("Content-Length", contentLength);
    } else {
      b.setHeader("Transfer-Encoding", "chunked");
    }
    b.socketHandler(body);
    if (closeAfter) {
      b.onResponseEnd(new SocketEffect.CloseSocket(true, false, false));
    }
    return b.build();
  }

  // ---- faults

  private MockResponse fault(Call call, Scripted.Fault f, ScriptedServer server,
      RecordedRequest request) {
    MockFault fault = f.fault();
    Usage usage = Usage.of(12, f.deltasBefore().size());
    switch (fault) {
      case DROP_BEFORE_HEADERS:
        return ScriptedServer.dropBeforeHeaders();
      case STALL_BEFORE_HEADERS:
        return base(call, 200, call.stream() ? EVENT_STREAM : JSON)
            .headersDelay(STALL_SECONDS, TimeUnit.SECONDS).body("").build();
      case HTML_ERROR_PAGE:
        return new MockResponse.Builder().code(502)
            .setHeader("Content-Type", "text/html")
            .setHeader("Server", "cloudflare")
            .setHeader("CF-RAY", random(16).toLowerCase(java.util.Locale.ROOT) + "-SJC")
            .body("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
                + "</body>\r\n</html>\r\n")
            .build();
      case EMPTY_BODY:
        return base(call, 200, JSON).body("").build();
      case MALFORMED_BODY:
        return base(call, 200, JSON).body("{\"id\": 12").build();
      case OVERSIZED_ERROR_BODY:
        return server.padded(error(call, MockError.OVERLOADED, request, NO_BODY));
      default:
        break;
    }
    if (call.stream()) {
      List<Supplier<byte[]>> events = textEvents(call, null, f.deltasBefore(), usage, false);
      LiveBody.Ending ending = LiveBody.Ending.COMPLETE;
      switch (fault) {
        case STALL_MID_STREAM:
          ending = LiveBody.Ending.STALL;
          break;
        case DROP_MID_STREAM:
          ending = LiveBody.Ending.DROP;
          break;
        case MALFORMED_CHUNK:
          events.add(fixed("event: content_block_delta\ndata: {not json\n\n"
              .getBytes(StandardCharsets.UTF_8)));
          ending(events, "end_turn", usage);
          break;
        case IN_BAND_ERROR:
          ObjectNode e = node("error");
          e.putObject("error").put("type", "overloaded_error").put("message", "Overloaded");
          events.add(fixed(event("error", e)));
          break;
        case IN_BAND_INVALID_REQUEST:
          ObjectNode invalid = node("error");
          invalid.putObject("error").put("type", "invalid_request_error")
              .put("message", INVALID_TOOL_INPUT);
          events.add(fixed(event("error", invalid)));
          break;
        case OVERSIZED_BODY:
          events.addAll(ScriptedServer.oversizedEvent());
          break;
        default: // TRUNCATED_STREAM: the body just ends
          break;
      }
      LiveBody body = server.live(events, LiveBody.Framing.CHUNKED, ending, f.pace());
      return live(call, 200, EVENT_STREAM, body, -1, ending != LiveBody.Ending.COMPLETE
          || fault == MockFault.OVERSIZED_BODY);
    }
    byte[] whole = message(call, null, String.join("", f.deltasBefore()), List.of(), "end_turn",
        usage).getBytes(StandardCharsets.UTF_8);
    byte[] half = Arrays.copyOf(whole, whole.length / 2);
    switch (fault) {
      case STALL_MID_STREAM:
      case DROP_MID_STREAM:
        LiveBody.Ending ending = fault == MockFault.STALL_MID_STREAM
            ? LiveBody.Ending.STALL : LiveBody.Ending.DROP;
        LiveBody body = server.live(List.of(fixed(half)), LiveBody.Framing.RAW, ending,
            Duration.ZERO);
        return live(call, 200, JSON, body, whole.length, true);
      case MALFORMED_CHUNK:
        return base(call, 200, JSON).body("{not json").build();
      case OVERSIZED_BODY:
        return live(call, 200, JSON, server.live(ScriptedServer.oversizedJson(),
            LiveBody.Framing.CHUNKED, LiveBody.Ending.COMPLETE, Duration.ZERO), -1, true);
      case IN_BAND_ERROR:
        return base(call, 200, JSON).body(error("api_error", "Internal server error",
            call.requestId())).build();
      case IN_BAND_INVALID_REQUEST:
        return errorResponse(call, 400, error("invalid_request_error", INVALID_TOOL_INPUT,
            call.requestId()));
      default: // TRUNCATED_STREAM
        return base(call, 200, JSON).body(new String(half, StandardCharsets.UTF_8)).build();
    }
  }

  // ---- errors

  private MockResponse error(Call call, MockError error, RecordedRequest request,
      JsonNode body) {
    String id = call.requestId();
    switch (error) {
      case QUOTES_PROMPT:
        return errorResponse(call, 400, error("invalid_request_error",
            "messages.0.content: the text '" + Prompts.lastText(body) + "' is not allowed", id));
      case CONTEXT_LENGTH:
        return errorResponse(call, 400, error("invalid_request_error",
            "prompt is too long: 208310 tokens > 200000 maximum", id));
      case INVALID_REQUEST:
        return errorResponse(call, 400, error("invalid_request_error",
            "messages.0.content: Input should be a valid list", id));
      case CONTENT_FILTERED:
        return errorResponse(call, 400, error("invalid_request_error",
            "Output blocked by content filtering policy", id));
      case AUTHENTICATION:
        return errorResponse(call, 401, error("authentication_error", "invalid x-api-key", id));
      case PERMISSION:
        return errorResponse(call, 403, error("permission_error",
            "Your API key does not have permission to use the specified resource.", id));
      case MODEL_NOT_FOUND:
        return errorResponse(call, 404, error("not_found_error", "model: " + call.model(), id));
      case RATE_LIMITED:
        return rateLimited(call, Delays.DEFAULT_RETRY_AFTER);
      case RATE_LIMITED_BY_PROXY:
        return base(call, 429, JSON)
            .setHeader("retry-after", Delays.ceilSeconds(Delays.DEFAULT_RETRY_AFTER))
            .body(error("invalid_request_error", "Number of request tokens has exceeded your "
                + "per-minute rate limit", id)).build();
      case QUOTA_EXHAUSTED:
        return errorResponse(call, 400, error("invalid_request_error", "Your credit balance is "
            + "too low to access the Anthropic API. Please go to Plans & Billing to upgrade or "
            + "purchase credits.", id));
      case SERVER_ERROR:
        return errorResponse(call, 500, error("api_error", "Internal server error", id));
      case UNAVAILABLE:
        return errorResponse(call, 503, error("api_error", "Service Unavailable", id));
      case OVERLOADED:
        return errorResponse(call, 529, error("overloaded_error", "Overloaded", id));
      default:
        throw new IllegalArgumentException("unknown error " + error + " for " + request);
    }
  }

  /** A 429 whose {@code retry-after} is the delay in whole seconds, rounded up, as Anthropic's. */
  private MockResponse rateLimited(Call call, Duration delay) {
    return base(call, 429, JSON).setHeader("retry-after", Delays.ceilSeconds(delay))
        .setHeader("anthropic-ratelimit-requests-remaining", 0)
        .body(error("rate_limit_error", "This request would exceed the rate limit for your "
            + "organization of " + REQUEST_LIMIT + " requests per minute. For details, refer "
            + "to: https://docs.claude.com/en/api/rate-limits. You can see the response "
            + "headers for current usage. Please reduce the prompt length or the maximum "
            + "tokens requested, or try again later.", call.requestId())).build();
  }

  private MockResponse errorResponse(Call call, int code, String body) {
    return base(call, code, JSON).body(body).build();
  }

  // ---- headers

  private MockResponse.Builder base(Call call, int code, String contentType) {
    return base(call.number(), call.requestId(), code, contentType);
  }

  /** Status, content type, request id and rate-limit headers as the API sends them. */
  private static MockResponse.Builder base(int number, String requestId, int code,
      String contentType) {
    return new MockResponse.Builder().code(code)
        .setHeader("Content-Type", contentType)
        .setHeader("request-id", requestId)
        .setHeader("anthropic-organization-id", "5f2e1c4a-9b7d-4e3f-8a6c-1d2b3c4d5e6f")
        .setHeader("anthropic-ratelimit-requests-limit", REQUEST_LIMIT)
        .setHeader("anthropic-ratelimit-requests-remaining", Math.max(0, REQUEST_LIMIT - number))
        .setHeader("anthropic-ratelimit-requests-reset", "2026-08-07T19:20:01Z")
        .setHeader("anthropic-ratelimit-tokens-limit", TOKEN_LIMIT)
        .setHeader("anthropic-ratelimit-tokens-remaining", Math.max(0, TOKEN_LIMIT - 20 * number))
        .setHeader("anthropic-ratelimit-tokens-reset", "2026-08-07T19:20:01Z");
  }

  static String random(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "AnthropicResponder";
  }
}
