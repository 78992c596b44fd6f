package dev.llmgateway.testing.internal.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * Answers requests in the Gemini API (v1beta) wire format. See {@link
 * dev.llmgateway.testing.wire.GeminiMockServer} for what it serves. Thread-safe.
 */
public final class GeminiResponder implements ScriptedServer.Responder {
  /** The request body of an answer that quotes none of it (an oversized error). */
  private static final JsonNode NO_BODY = MissingNode.getInstance();
  private enum Method { GENERATE, STREAM, EMBED }

  /**
   * A thought summary that opens a scripted answer.
   *
   * @param text the summary
   * @param signature the thought part's {@code thoughtSignature}, or null for none
   */
  public record Thought(String text, @Nullable String signature) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String JSON = "application/json; charset=UTF-8";
  private static final String EVENT_STREAM = "text/event-stream";
  private static final long STALL_SECONDS = 60;
  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /**
   * What the responder read from one request.
   *
   * @param method generate, stream or embed
   * @param model the model of the path
   * @param served the model the answer names ({@link ScriptedServer#modelServing(String)})
   * @param responseId the id the answer carries
   */
  private record Call(Method method, String model, String served, String responseId) {}

  private final Map<Scripted, Thought> thoughts =
      Collections.synchronizedMap(new IdentityHashMap<>());

  /** Opens the given (not yet taken) answer with a thought part. */
  public void think(Scripted answer, Thought thought) {
    thoughts.put(answer, thought);
  }

  @Override
  public MockResponse respond(RecordedRequest request, int number, ScriptedServer server) {
    List<String> path = request.getUrl().pathSegments();
    Call call = null;
    if ("POST".equals(request.getMethod()) && path.size() == 3 && path.get(0).equals("v1beta")
        && path.get(1).equals("models")) {
      String last = path.get(2);
      int colon = last.lastIndexOf(':');
      if (colon > 0) {
        String verb = last.substring(colon + 1);
        Method method = verb.equals("generateContent") ? Method.GENERATE
            : verb.equals("streamGenerateContent")
                && "sse".equals(request.getUrl().queryParameter("alt")) ? Method.STREAM
            : verb.equals("batchEmbedContents") ? Method.EMBED : null;
        if (method != null) {
          String model = last.substring(0, colon);
          call = new Call(method, model, model, random(22));
        }
      }
    }
    if (call == null) {
      return json(404, error(404, "Requested entity was not found.", "NOT_FOUND"));
    }
    JsonNode body;
    try {
      ByteString bytes = request.getBody();
      body = MAPPER.readTree(bytes == null ? "" : bytes.utf8());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      return json(400, error(400, "Invalid JSON payload received. Unexpected token.",
          "INVALID_ARGUMENT"));
    }
    Scripted next = server.next();
    if (next == null) {
      return json(500, error(500, "GeminiMockServer: no response was scripted for request #"
          + number + " (" + request.getMethod() + " " + request.getTarget() + ")", "INTERNAL"));
    }
    call = new Call(call.method(), call.model(), server.modelServing(next, call.model()),
        call.responseId());
    if (next instanceof Scripted.Error e) {
      Duration delay = e.retryAfter();
      return delay != null ? json(429, resourceExhausted(call,
          "GenerateRequestsPerMinutePerProjectPerModel", "10", delay))
          : error(call, e.error(), server, body);
    }
    if (next instanceof Scripted.Fault f) {
      return fault(call, f, server);
    }
    if (next instanceof Scripted.Embeddings e) {
      if (call.method() != Method.EMBED) {
        return mismatch(call, "an embeddings answer", number);
      }
      ObjectNode n = MAPPER.createObjectNode();
      ArrayNode embeddings = n.putArray("embeddings");
      for (float[] v : e.vectors()) {
        ArrayNode values = embeddings.addObject().putArray("values");
        for (float f : v) {
          values.add(f);
        }
      }
      return json(200, bytes(n));
    }
    if (call.method() == Method.EMBED) {
      return mismatch(call, "a chat answer", number);
    }
    Thought thought = thoughts.remove(next);
    if (next instanceof Scripted.Text t) {
      if (call.method() == Method.STREAM) {
        List<Supplier<byte[]>> events = new ArrayList<>();
        if (thought != null) {
          events.add(fixed(event(response(call, List.of(thoughtPart(thought)), null, null))));
        }
        events.addAll(textEvents(call, t.deltas(), t.usage(), true));
        return stream(events, server, t.pace(), LiveBody.Ending.COMPLETE);
      }
      List<ObjectNode> parts = new ArrayList<>(2);
      if (thought != null) {
        parts.add(thoughtPart(thought));
      }
      parts.add(textPart(t.text()));
      return json(200, bytes(response(call, parts, "STOP", t.usage())));
    }
    Scripted.ToolCalls t = (Scripted.ToolCalls) next;
    if (call.method() == Method.STREAM) {
      List<ObjectNode> parts = new ArrayList<>();
      if (thought != null) {
        parts.add(thoughtPart(thought));
      }
      boolean pieces = t.fragments() > 1 && body.path("toolConfig").path("functionCallingConfig")
          .path("streamFunctionCallArguments").asBoolean(false);
      for (ToolCall c : t.calls()) {
        if (pieces) {
          parts.addAll(GeminiPieces.of(c, t.fragments()));
        } else {
          parts.add(functionCallPart(c));
        }
      }
      List<Supplier<byte[]>> events = new ArrayList<>(parts.size());
      for (int i = 0; i < parts.size(); i++) {
        boolean last = i == parts.size() - 1;
        events.add(fixed(event(response(call, List.of(parts.get(i)), last ? "STOP" : null,
            last ? t.usage() : null))));
      }
      return stream(events, server, t.pace(), LiveBody.Ending.COMPLETE);
    }
    List<ObjectNode> parts = new ArrayList<>();
    if (thought != null) {
      parts.add(thoughtPart(thought));
    }
    for (ToolCall c : t.calls()) {
      parts.add(functionCallPart(c));
    }
    return json(200, bytes(response(call, parts, "STOP", t.usage())));
  }

  private MockResponse mismatch(Call call, String what, int number) {
    return json(400, error(400, "GeminiMockServer: " + what + " was scripted for request #"
        + number + ", but it went to :" + call.method().name().toLowerCase(java.util.Locale.ROOT),
        "INVALID_ARGUMENT"));
  }

  // ---- bodies

  /** A {@code GenerateContentResponse}: usage only when given, finish reason only when given. */
  private static ObjectNode response(Call call, List<ObjectNode> parts,
      @Nullable String finishReason, @Nullable Usage usage) {
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode candidate = n.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    ArrayNode array = content.putArray("parts");
    parts.forEach(array::add);
    content.put("role", "model");
    if (finishReason != null) {
      candidate.put("finishReason", finishReason);
    }
    candidate.put("index", 0);
    if (usage != null) {
      n.set("usageMetadata", usage(usage));
    }
    n.put("modelVersion", call.served());
    n.put("responseId", call.responseId());
    return n;
  }

  /**
   * Gemini's counts: {@code promptTokenCount} includes the cached tokens, {@code
   * candidatesTokenCount} excludes the thoughts, which have a count of their own.
   */
  static ObjectNode usage(Usage usage) {
    ObjectNode u = MAPPER.createObjectNode();
    long candidates = usage.outputTokens() - usage.reasoningTokens();
    u.put("promptTokenCount", usage.inputTokens());
    if (candidates > 0) {
      u.put("candidatesTokenCount", candidates);
    }
    u.put("totalTokenCount", usage.inputTokens() + usage.outputTokens());
    if (usage.cachedInputTokens() > 0) {
      u.put("cachedContentTokenCount", usage.cachedInputTokens());
    }
    u.putArray("promptTokensDetails").addObject().put("modality", "TEXT")
        .put("tokenCount", usage.inputTokens());
    if (usage.reasoningTokens() > 0) {
      u.put("thoughtsTokenCount", usage.reasoningTokens());
    }
    return u;
  }

  private static ObjectNode textPart(String text) {
    return MAPPER.createObjectNode().put("text", text);
  }

  private static ObjectNode thoughtPart(Thought thought) {
    ObjectNode part = MAPPER.createObjectNode().put("text", thought.text()).put("thought", true);
    if (thought.signature() != null) {
      part.put("thoughtSignature", thought.signature());
    }
    return part;
  }

  /** A whole call, its signature (if it has one) as its part's {@code thoughtSignature}. */
  private static ObjectNode functionCallPart(ToolCall call) {
    ObjectNode part = MAPPER.createObjectNode();
    ObjectNode f = part.putObject("functionCall");
    f.put("id", call.id());
    f.put("name", call.name());
    try {
      f.set("args", MAPPER.readTree(call.arguments()));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the arguments of " + call.id() + " are not JSON", e);
    }
    if (call.signature() != null) {
      part.put("thoughtSignature", call.signature());
    }
    return part;
  }

  /** Google's message for a request it cannot parse or accept. */
  private static final String INVALID_ARGUMENT = "Request contains an invalid argument.";

  private static byte[] error(int code, String message, String status) {
    ObjectNode n = MAPPER.createObjectNode();
    n.set("error", errorNode(code, message, status));
    return bytes(n);
  }

  private static ObjectNode errorNode(int code, String message, String status) {
    ObjectNode e = MAPPER.createObjectNode();
    e.put("code", code);
    e.put("message", message);
    e.put("status", status);
    return e;
  }

  // ---- streams

  private List<Supplier<byte[]>> textEvents(Call call, List<String> deltas, Usage usage,
      boolean finish) {
    List<Supplier<byte[]>> events = new ArrayList<>(deltas.size() + 1);
    for (int i = 0; i < deltas.size(); i++) {
      boolean last = finish && i == deltas.size() - 1;
      String delta = deltas.get(i);
      events.add(() -> event(response(call, List.of(textPart(delta)), last ? "STOP" : null,
          last ? usage : null)));
    }
    if (finish && deltas.isEmpty()) {
      events.add(fixed(event(response(call, List.of(textPart("")), "STOP", usage))));
    }
    return events;
  }

  private static byte[] event(JsonNode chunk) {
    return ("data: " + new String(bytes(chunk), StandardCharsets.UTF_8) + "\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static MockResponse stream(List<Supplier<byte[]>> events, ScriptedServer server,
      Duration pace, LiveBody.Ending ending) {
    return live(200, EVENT_STREAM, server.live(events, LiveBody.Framing.CHUNKED, ending, pace),
        -1, ending != LiveBody.Ending.COMPLETE);
  }

  private static MockResponse live(int code, String contentType, LiveBody body,
      long contentLength, boolean closeAfter) {
    MockResponse.Builder b = base(code, contentType).removeHeader("Content-Length");
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

  private MockResponse fault(Call call, Scripted.Fault f, ScriptedServer server) {
    boolean streamed = call.method() == Method.STREAM;
    Usage usage = Usage.of(12, f.deltasBefore().size());
    switch (f.fault()) {
      case DROP_BEFORE_HEADERS:
        return ScriptedServer.dropBeforeHeaders();
      case STALL_BEFORE_HEADERS:
        return base(200, streamed ? EVENT_STREAM : JSON)
            .headersDelay(STALL_SECONDS, TimeUnit.SECONDS).body("").build();
      case HTML_ERROR_PAGE:
        return new MockResponse.Builder().code(502).setHeader("Content-Type", "text/html")
            .body("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n")
            .build();
      case EMPTY_BODY:
        return base(200, JSON).body("").build();
      case MALFORMED_BODY:
        return base(200, JSON).body("{\"candidates\": 12").build();
      case OVERSIZED_ERROR_BODY:
        return server.padded(error(call, MockError.OVERLOADED, server, NO_BODY));
      default:
        break;
    }
    if (streamed) {
      List<Supplier<byte[]>> events = textEvents(call, f.deltasBefore(), usage, false);
      LiveBody.Ending ending = LiveBody.Ending.COMPLETE;
      switch (f.fault()) {
        case STALL_MID_STREAM:
          ending = LiveBody.Ending.STALL;
          break;
        case DROP_MID_STREAM:
          ending = LiveBody.Ending.DROP;
          break;
        case MALFORMED_CHUNK:
          events.add(fixed("data: {not json\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
          events.add(fixed(event(response(call, List.of(textPart("")), "STOP", usage))));
          break;
        case IN_BAND_ERROR:
          ObjectNode e = MAPPER.createObjectNode();
          e.set("error", errorNode(500, "An internal error has occurred. Please retry or report "
              + "in https://developers.generativeai.google/guide/troubleshooting", "INTERNAL"));
          events.add(fixed(event(e)));
          break;
        case IN_BAND_INVALID_REQUEST:
          ObjectNode invalid = MAPPER.createObjectNode();
          invalid.set("error", errorNode(400, INVALID_ARGUMENT, "INVALID_ARGUMENT"));
          events.add(fixed(event(invalid)));
          break;
        case OVERSIZED_BODY:
          events.addAll(ScriptedServer.oversizedEvent());
          break;
        default: // TRUNCATED_STREAM: the body ends without a finish reason
          break;
      }
      return stream(events, server, f.pace(), ending);
    }
    byte[] whole = bytes(response(call, List.of(textPart(String.join("", f.deltasBefore()))),
        "STOP", usage));
    byte[] half = Arrays.copyOf(whole, whole.length / 2);
    switch (f.fault()) {
      case STALL_MID_STREAM:
      case DROP_MID_STREAM:
        LiveBody.Ending ending = f.fault() == MockFault.STALL_MID_STREAM
            ? LiveBody.Ending.STALL : LiveBody.Ending.DROP;
        LiveBody body = server.live(List.of(fixed(half)), LiveBody.Framing.RAW, ending,
            Duration.ZERO);
        return live(200, JSON, body, whole.length, true);
      case MALFORMED_CHUNK:
        return base(200, JSON).body("{not json").build();
      case OVERSIZED_BODY:
        return live(200, JSON, server.live(ScriptedServer.oversizedJson(),
            LiveBody.Framing.CHUNKED, LiveBody.Ending.COMPLETE, Duration.ZERO), -1, true);
      case IN_BAND_ERROR:
        return json(200, error(500, "An internal error has occurred. Please retry or report in "
            + "https://developers.generativeai.google/guide/troubleshooting", "INTERNAL"));
      case IN_BAND_INVALID_REQUEST:
        return json(400, error(400, INVALID_ARGUMENT, "INVALID_ARGUMENT"));
      default: // TRUNCATED_STREAM
        return base(200, JSON).body(new String(half, StandardCharsets.UTF_8)).build();
    }
  }

  // ---- errors

  private MockResponse error(Call call, MockError error, ScriptedServer server,
      JsonNode body) {
    switch (error) {
      case QUOTES_PROMPT:
        return json(400, error(400, "Invalid value at 'contents[0].parts[0].text' (TYPE_STRING), "
            + "\"" + Prompts.lastText(body) + "\"", "INVALID_ARGUMENT"));
      case CONTEXT_LENGTH:
        return json(400, error(400, "The input token count (1290211) exceeds the maximum number "
            + "of tokens allowed (1048576).", "INVALID_ARGUMENT"));
      case INVALID_REQUEST:
        return json(400, error(400, "Invalid JSON payload received. Unknown name \"temprature\" "
            + "at 'generation_config': Cannot find field.", "INVALID_ARGUMENT"));
      case CONTENT_FILTERED:
        return contentFiltered(call, server);
      case AUTHENTICATION:
        return json(400, apiKeyInvalid());
      case PERMISSION:
        return json(403, error(403, "Permission denied: Consumer 'api_key:[redacted]' has been "
            + "suspended.", "PERMISSION_DENIED"));
      case MODEL_NOT_FOUND:
        return json(404, error(404, "models/" + call.model() + " is not found for API version "
            + "v1beta, or is not supported for generateContent. Call ListModels to see the list "
            + "of available models and their supported methods.", "NOT_FOUND"));
      case RATE_LIMITED:
        return json(429, resourceExhausted(call, "GenerateRequestsPerMinutePerProjectPerModel",
            "10", Delays.DEFAULT_RETRY_AFTER));
      case RATE_LIMITED_BY_PROXY:
        return base(429, JSON)
            .setHeader("Retry-After", Delays.ceilSeconds(Delays.DEFAULT_RETRY_AFTER))
            .body(new String(error(400, INVALID_ARGUMENT, "INVALID_ARGUMENT"),
                StandardCharsets.UTF_8)).build();
      case QUOTA_EXHAUSTED:
        return json(429, resourceExhausted(call,
            "GenerateRequestsPerDayPerProjectPerModel-FreeTier", "250",
            Delays.DEFAULT_RETRY_AFTER));
      case SERVER_ERROR:
        return json(500, error(500, "An internal error has occurred. Please retry or report in "
            + "https://developers.generativeai.google/guide/troubleshooting", "INTERNAL"));
      case UNAVAILABLE:
        return json(503, error(503, "The service is currently unavailable.", "UNAVAILABLE"));
      case OVERLOADED:
        return json(503, error(503, "The model is overloaded. Please try again later.",
            "UNAVAILABLE"));
      default:
        throw new IllegalArgumentException("unknown error " + error);
    }
  }

  /** A 200 whose prompt was blocked: no candidates, {@code promptFeedback.blockReason}. */
  private MockResponse contentFiltered(Call call, ScriptedServer server) {
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode feedback = n.putObject("promptFeedback");
    feedback.put("blockReason", "SAFETY");
    ArrayNode ratings = feedback.putArray("safetyRatings");
    for (String category : List.of("HARM_CATEGORY_SEXUALLY_EXPLICIT", "HARM_CATEGORY_HATE_SPEECH",
        "HARM_CATEGORY_HARASSMENT")) {
      ratings.addObject().put("category", category).put("probability", "NEGLIGIBLE");
    }
    ratings.addObject().put("category", "HARM_CATEGORY_DANGEROUS_CONTENT")
        .put("probability", "HIGH").put("blocked", true);
    ObjectNode usage = n.putObject("usageMetadata");
    usage.put("promptTokenCount", 23).put("totalTokenCount", 23);
    n.put("modelVersion", call.served());
    n.put("responseId", call.responseId());
    if (call.method() == Method.STREAM) {
      return stream(List.of(fixed(event(n))), server, Duration.ZERO, LiveBody.Ending.COMPLETE);
    }
    return json(200, bytes(n));
  }

  private static byte[] apiKeyInvalid() {
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode e = errorNode(400, "API key not valid. Please pass a valid API key.",
        "INVALID_ARGUMENT");
    ArrayNode details = e.putArray("details");
    ObjectNode info = details.addObject();
    info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
    info.put("reason", "API_KEY_INVALID");
    info.put("domain", "googleapis.com");
    info.putObject("metadata").put("service", "generativelanguage.googleapis.com");
    details.addObject().put("@type", "type.googleapis.com/google.rpc.LocalizedMessage")
        .put("locale", "en-US").put("message", "API key not valid. Please pass a valid API key.");
    n.set("error", e);
    return bytes(n);
  }

  /**
   * A 429 with a {@code QuotaFailure} naming the quota, {@code Help} and a {@code RetryInfo}
   * asking for the delay.
   */
  private static byte[] resourceExhausted(Call call, String quotaId, String limit,
      Duration delay) {
    String retryDelay = Delays.protoJson(delay);
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode e = errorNode(429, "You exceeded your current quota, please check your plan and "
        + "billing details. For more information on this error, head to: "
        + "https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head "
        + "to: https://ai.dev/usage?tab=rate-limit. \n* Quota exceeded for metric: "
        + "generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: " + limit
        + ", model: " + call.model() + "\nPlease retry in " + retryDelay + ".",
        "RESOURCE_EXHAUSTED");
    ArrayNode details = e.putArray("details");
    ObjectNode quota = details.addObject();
    quota.put("@type", "type.googleapis.com/google.rpc.QuotaFailure");
    ObjectNode violation = quota.putArray("violations").addObject();
    violation.put("quotaMetric",
        "generativelanguage.googleapis.com/generate_content_free_tier_requests");
    violation.put("quotaId", quotaId);
    violation.putObject("quotaDimensions").put("location", "global").put("model", call.model());
    violation.put("quotaValue", limit);
    details.addObject().put("@type", "type.googleapis.com/google.rpc.Help").putArray("links")
        .addObject().put("description", "Learn more about Gemini API quotas")
        .put("url", "https://ai.google.dev/gemini-api/docs/rate-limits");
    details.addObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo")
        .put("retryDelay", retryDelay);
    n.set("error", e);
    return bytes(n);
  }

  // ---- helpers

  private static MockResponse json(int code, byte[] body) {
    return base(code, JSON).body(new String(body, StandardCharsets.UTF_8)).build();
  }

  /** Status, content type and the headers Google's front end sends. */
  private static MockResponse.Builder base(int code, String contentType) {
    return new MockResponse.Builder().code(code)
        .setHeader("Content-Type", contentType)
        .setHeader("Vary", "Origin, X-Origin, Referer")
        .setHeader("Server", "scaffolding on HTTPServer2")
        .setHeader("X-Content-Type-Options", "nosniff");
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Supplier<byte[]> fixed(byte[] bytes) {
    return () -> bytes;
  }

  private static String random(int length) {
    StringBuilder sb = new StringBuilder(length);
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < length; i++) {
      sb.append(ALPHANUMERIC.charAt(r.nextInt(ALPHANUMERIC.length())));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "GeminiResponder";
  }
}
