package dev.llmgateway.testing.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockFault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * Answers requests in the OpenAI Chat Completions / Embeddings / Moderations wire format, as OpenAI itself or as
 * Azure OpenAI. See {@link dev.llmgateway.testing.wire.OpenAiMockServer} for what it serves.
 * Thread-safe.
 */
public final class OpenAiResponder implements ScriptedServer.Responder {
  /** The request body of an answer that quotes none of it (an oversized error). */
  private static final JsonNode NO_BODY = MissingNode.getInstance();

  /** Which service the mock plays. */
  public enum Flavour {
    /** OpenAI: {@code /v1/chat/completions}, {@code /v1/embeddings}. */
    OPENAI,
    /**
     * Azure OpenAI: {@code /openai/deployments/{deployment}/...?api-version=} and {@code
     * /openai/v1/...}.
     */
    AZURE
  }

  private enum Endpoint { CHAT, EMBEDDINGS, MODERATIONS }

  private static final String JSON = "application/json";
  private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";
  private static final long STALL_SECONDS = 60;
  private static final int OPENAI_REQUEST_LIMIT = 10_000;
  private static final int OPENAI_TOKEN_LIMIT = 2_000_000;
  private static final int AZURE_REQUEST_LIMIT = 300;
  private static final int AZURE_TOKEN_LIMIT = 50_000;

  private final Flavour flavour;
  private final boolean azure;
  private final OpenAiJson json;

  /** A responder playing the given service. */
  public OpenAiResponder(Flavour flavour) {
    this.flavour = flavour;
    this.azure = flavour == Flavour.AZURE;
    this.json = new OpenAiJson(azure);
  }

  /**
   * What the responder read from one request.
   *
   * @param number the request's number, from 1
   * @param endpoint chat or embeddings
   * @param model the body's model, or the Azure deployment of the path
   * @param served the model the answer names ({@link ScriptedServer#modelServing(String)})
   * @param stream whether the body asked to stream
   * @param includeUsage whether it asked {@code stream_options.include_usage}
   * @param key the API key or token sent, or null
   * @param requestId the id this response carries in {@code x-request-id}
   * @param apiVersion Azure's {@code api-version}, or null
   */
  private record Call(int number, Endpoint endpoint, String model, String served, boolean stream,
      boolean includeUsage, @Nullable String key, String requestId, @Nullable String apiVersion) {}

  @Override
  public MockResponse respond(RecordedRequest request, int number, ScriptedServer server) {
    HttpUrl url = request.getUrl();
    String requestId = azure ? UUID.randomUUID().toString() : "req_" + OpenAiJson.hex(32);
    List<String> path = url.pathSegments();
    String apiVersion = url.queryParameter("api-version");
    Endpoint endpoint = null;
    String deployment = null;
    if ("POST".equals(request.getMethod())) {
      if (!azure) {
        endpoint = path.size() > 1 && path.get(0).equals("v1") ? endpoint(path, 1) : null;
        if (endpoint == null && path.equals(List.of("v1", "moderations"))) {
          endpoint = Endpoint.MODERATIONS; // OpenAI's only: Azure OpenAI serves none
        }
      } else if (path.size() > 2 && path.get(0).equals("openai") && path.get(1).equals("v1")) {
        endpoint = endpoint(path, 2);
      } else if (path.size() > 3 && path.get(0).equals("openai")
          && path.get(1).equals("deployments") && apiVersion != null) {
        endpoint = endpoint(path, 3);
        deployment = path.get(2);
      }
    }
    if (endpoint == null) {
      byte[] body = azure ? OpenAiJson.azureError("404", "Resource not found")
          : json.openAiError("Invalid URL (" + request.getMethod() + " " + url.encodedPath() + ")",
              "invalid_request_error", null, null);
      return base(number, requestId, 404, JSON).body(text(body)).build();
    }
    JsonNode body;
    try {
      ByteString bytes = request.getBody();
      body = OpenAiJson.MAPPER.readTree(bytes == null ? "" : bytes.utf8());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      return base(number, requestId, 400, JSON).body(text(json.openAiError(
          "We could not parse the JSON body of your request. (HINT: This likely means you "
              + "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
              + "but what was sent was not valid JSON. If you have trouble figuring out how to "
              + "fix this, please contact us through our help center at help.openai.com.)",
          "invalid_request_error", null, null))).build();
    }
    String model = deployment != null ? deployment : body.path("model").asText(null);
    if (endpoint == Endpoint.MODERATIONS && model == null) {
      model = "omni-moderation-latest"; // the API's documented default
    }
    if (model == null || model.isEmpty()) {
      return base(number, requestId, 400, JSON).body(text(json.openAiError(
          "you must provide a model parameter", "invalid_request_error", null, null))).build();
    }
    Scripted next = server.next();
    if (next == null) {
      return base(number, requestId, 500, JSON).body(text(json.openAiError(
          "OpenAiMockServer: no response was scripted for request #" + number + " ("
              + request.getMethod() + " " + request.getTarget() + ")",
          "server_error", null, "mock_script_exhausted"))).build();
    }
    Call call = new Call(number, endpoint, model, server.modelServing(next, model),
        body.path("stream").asBoolean(false),
        body.path("stream_options").path("include_usage").asBoolean(false), key(request),
        requestId, apiVersion);
    if (next instanceof Scripted.Moderation m) {
      if (endpoint != Endpoint.MODERATIONS) {
        return mismatch(call, "a moderation answer", request);
      }
      List<String> inputs = moderationInputs(body);
      if (inputs == null) {
        return base(call, 400, JSON).body(text(json.openAiError("Invalid type for 'input': "
            + "expected a string or an array of strings.", "invalid_request_error", "input",
            "invalid_type"))).build();
      }
      return base(call, 200, JSON).body(text(json.moderation(call.served(),
          flags(inputs, m.flaggedInputs())))).build();
    }
    if (endpoint == Endpoint.MODERATIONS && !(next instanceof Scripted.Error)
        && !(next instanceof Scripted.Fault)) {
      return mismatch(call, "an answer that is not a moderation", request);
    }
    if (next instanceof Scripted.Embeddings e) {
      if (endpoint != Endpoint.EMBEDDINGS) {
        return mismatch(call, "an embeddings answer", request);
      }
      return base(call, 200, JSON).body(text(json.embeddings(call.served(), e.vectors(),
          e.inputTokens(), "base64".equals(body.path("encoding_format").asText(null)))))
          .build();
    }
    if (next instanceof Scripted.Error e) {
      Duration delay = e.retryAfter();
      return delay != null ? rateLimited(call, delay) : error(call, e.error(), body);
    }
    if (next instanceof Scripted.Fault f) {
      return fault(call, f, server);
    }
    if (endpoint != Endpoint.CHAT) {
      return mismatch(call, "a chat answer", request);
    }
    if (next instanceof Scripted.Text t) {
      if (call.stream()) {
        return stream(call, textEvents(call, t.deltas(), t.usage(), true), server, t.pace());
      }
      OpenAiJson.Meta m = OpenAiJson.Meta.of(call.served(), false);
      return base(call, 200, JSON)
          .body(text(json.completion(m, t.text(), List.of(), "stop", t.usage()))).build();
    }
    Scripted.ToolCalls t = (Scripted.ToolCalls) next;
    if (call.stream()) {
      return stream(call, toolCallEvents(call, t), server, t.pace());
    }
    OpenAiJson.Meta m = OpenAiJson.Meta.of(call.served(), false);
    return base(call, 200, JSON)
        .body(text(json.completion(m, null, t.calls(), "tool_calls", t.usage()))).build();
  }

  /** The texts of a moderation request's {@code input} (a string or an array of them), or null. */
  private static @Nullable List<String> moderationInputs(JsonNode body) {
    JsonNode input = body.path("input");
    if (input.isTextual()) {
      return List.of(input.asText());
    }
    if (!input.isArray() || input.isEmpty()) {
      return null;
    }
    List<String> texts = new ArrayList<>(input.size());
    for (JsonNode n : input) {
      if (!n.isTextual()) {
        return null;
      }
      texts.add(n.asText());
    }
    return texts;
  }

  /**
   * The categories each input is flagged for: {@link Scripted.Moderation#SCRIPTED_CATEGORY} for
   * the scripted indexes, and the category of every marker the input contains.
   */
  private static List<Set<String>> flags(List<String> inputs, Set<Integer> scripted) {
    List<Set<String>> flags = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      Set<String> on = new LinkedHashSet<>();
      if (scripted.contains(i)) {
        on.add(Scripted.Moderation.SCRIPTED_CATEGORY);
      }
      String text = inputs.get(i);
      int at = text.indexOf(Scripted.Moderation.MARKER_START);
      while (at >= 0) {
        int from = at + Scripted.Moderation.MARKER_START.length();
        int end = text.indexOf("]]", from);
        if (end < 0) {
          break;
        }
        if (end > from) {
          on.add(text.substring(from, end));
        }
        at = text.indexOf(Scripted.Moderation.MARKER_START, end);
      }
      flags.add(on);
    }
    return flags;
  }

  /** The endpoint the path names from segment {@code from} on, or null. */
  private static @Nullable Endpoint endpoint(List<String> path, int from) {
    List<String> rest = path.subList(from, path.size());
    if (rest.equals(List.of("chat", "completions"))) {
      return Endpoint.CHAT;
    }
    if (rest.equals(List.of("embeddings"))) {
      return Endpoint.EMBEDDINGS;
    }
    return null;
  }

  private MockResponse mismatch(Call call, String what, RecordedRequest request) {
    return base(call, 400, JSON).body(text(json.openAiError("OpenAiMockServer: " + what
        + " was scripted for request #" + call.number() + ", but it went to "
        + request.getUrl().encodedPath(), "invalid_request_error", null, "mock_script_mismatch")))
        .build();
  }

  // ---- streams

  private List<Supplier<byte[]>> textEvents(Call call, List<String> deltas, Usage usage,
      boolean finish) {
    OpenAiJson.Meta m = OpenAiJson.Meta.of(call.served(), call.includeUsage());
    List<Supplier<byte[]>> events = new ArrayList<>(deltas.size() + 5);
    prelude(events);
    events.add(fixed(json.roleEvent(m)));
    for (String delta : deltas) {
      events.add(() -> json.textEvent(m, delta));
    }
    if (finish) {
      ending(events, m, "stop", usage);
    }
    return events;
  }

  private List<Supplier<byte[]>> toolCallEvents(Call call, Scripted.ToolCalls t) {
    OpenAiJson.Meta m = OpenAiJson.Meta.of(call.served(), call.includeUsage());
    List<Supplier<byte[]>> events = new ArrayList<>();
    prelude(events);
    for (int i = 0; i < t.calls().size(); i++) {
      ToolCall c = t.calls().get(i);
      events.add(fixed(json.toolCallStartEvent(m, i, c)));
      for (String fragment : split(c.arguments(), t.fragments())) {
        int index = i;
        events.add(() -> json.toolArgumentsEvent(m, index, fragment));
      }
    }
    ending(events, m, "tool_calls", t.usage());
    return events;
  }

  /** Azure streams open with the prompt's content-filter annotations. */
  private void prelude(List<Supplier<byte[]>> events) {
    if (azure) {
      events.add(fixed(json.promptFilterEvent()));
    }
  }

  private void ending(List<Supplier<byte[]>> events, OpenAiJson.Meta m, String finishReason,
      Usage usage) {
    events.add(fixed(json.finishEvent(m, finishReason, usage)));
    if (m.includeUsage()) {
      events.add(fixed(json.usageEvent(m, usage)));
    }
    events.add(fixed(OpenAiJson.doneEvent()));
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

  /** Splits text into {@code parts} pieces of about equal length, never inside a surrogate pair. */
  static List<String> split(String text, int parts) {
    int n = Math.max(1, Math.min(parts, text.codePointCount(0, text.length())));
    int codePoints = text.codePointCount(0, text.length());
    List<String> out = new ArrayList<>(n);
    int start = 0;
    for (int i = 1; i <= n; i++) {
      int end = text.offsetByCodePoints(0, (int) ((long) codePoints * i / n));
      out.add(text.substring(start, end));
      start = end;
    }
    return out;
  }

  // ---- faults

  private MockResponse fault(Call call, Scripted.Fault f, ScriptedServer server) {
    MockFault fault = f.fault();
    boolean streamed = call.stream() && call.endpoint() == Endpoint.CHAT;
    Usage usage = Usage.of(12, f.deltasBefore().size());
    switch (fault) {
      case DROP_BEFORE_HEADERS:
        return ScriptedServer.dropBeforeHeaders();
      case STALL_BEFORE_HEADERS:
        return base(call, 200, streamed ? EVENT_STREAM : JSON)
            .headersDelay(STALL_SECONDS, TimeUnit.SECONDS).body("").build();
      case HTML_ERROR_PAGE:
        return new MockResponse.Builder().code(502)
            .setHeader("Content-Type", "text/html")
            .setHeader("Server", "cloudflare")
            .setHeader("CF-RAY", OpenAiJson.hex(16) + "-IAD")
            .body("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
                + "</body>\r\n</html>\r\n")
            .build();
      case EMPTY_BODY:
        return base(call, 200, JSON).body("").build();
      case MALFORMED_BODY:
        return base(call, 200, JSON).body("{\"id\": 12").build();
      case OVERSIZED_ERROR_BODY:
        return server.padded(error(call, MockError.OVERLOADED, NO_BODY));
      default:
        break;
    }
    if (streamed) {
      List<Supplier<byte[]>> events = textEvents(call, f.deltasBefore(), usage, false);
      LiveBody.Ending ending = LiveBody.Ending.COMPLETE;
      switch (fault) {
        case STALL_MID_STREAM:
          ending = LiveBody.Ending.STALL;
          break;
        case DROP_MID_STREAM:
          ending = LiveBody.Ending.DROP;
          break;
        case MALFORMED_CHUNK:
          events.add(fixed("data: {not json\n\n".getBytes(StandardCharsets.UTF_8)));
          ending(events, OpenAiJson.Meta.of(call.served(), call.includeUsage()), "stop", usage);
          break;
        case IN_BAND_ERROR:
          events.add(fixed(json.errorEvent(json.openAiErrorNode(
              "The server had an error while processing your request. Sorry about that!",
              "server_error", null, null))));
          events.add(fixed(OpenAiJson.doneEvent()));
          break;
        case IN_BAND_INVALID_REQUEST:
          events.add(fixed(json.namedErrorEvent(toolUseFailed(true))));
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
    // a unary request: the same faults, in a body of one piece
    byte[] whole = call.endpoint() == Endpoint.MODERATIONS
        ? json.moderation(call.served(), List.of(Set.of(), Set.of("violence")))
        : json.completion(OpenAiJson.Meta.of(call.served(), false),
            String.join("", f.deltasBefore()), List.of(), "stop", usage);
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
        return base(call, 200, JSON).body(text(json.openAiError(
            "The server had an error while processing your request. Sorry about that!",
            "server_error", null, null))).build();
      case IN_BAND_INVALID_REQUEST:
        return base(call, 400, JSON).body(text(OpenAiJson.bytesOf(toolUseFailed(false))))
            .build();
      default: // TRUNCATED_STREAM
        return base(call, 200, JSON).body(text(half)).build();
    }
  }

  /**
   * Groq's error for a tool call the model got wrong: {@code invalid_request_error}, {@code
   * tool_use_failed} and the model's {@code failed_generation}; inside a stream it also carries
   * the {@code status_code} the error would have had.
   */
  private static ObjectNode toolUseFailed(boolean inStream) {
    ObjectNode n = OpenAiJson.MAPPER.createObjectNode();
    ObjectNode e = n.putObject("error");
    e.put("message", "Failed to call a function. Please adjust your prompt. See "
        + "'failed_generation' for more details.");
    e.put("type", "invalid_request_error");
    e.put("code", "tool_use_failed");
    e.put("failed_generation", "<function=get_weather{\"city\": \"Paris\"}</function>");
    if (inStream) {
      e.put("status_code", 400);
    }
    return n;
  }

  // ---- errors

  private MockResponse error(Call call, MockError error, JsonNode body) {
    switch (error) {
      case QUOTES_PROMPT:
        return errorResponse(call, 400, json.openAiError("Invalid value for 'messages': '"
            + Prompts.lastText(body) + "' is not allowed.", "invalid_request_error", "messages",
            "invalid_value"));
      case CONTEXT_LENGTH:
        return errorResponse(call, 400, json.openAiError("This model's maximum context length is "
            + "128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the "
            + "length of the messages.", "invalid_request_error", "messages",
            "context_length_exceeded"));
      case INVALID_REQUEST:
        return errorResponse(call, 400, json.openAiError("Invalid type for 'messages[0].content': "
            + "expected one of a string or array of objects, but got an integer instead.",
            "invalid_request_error", "messages[0].content", "invalid_type"));
      case CONTENT_FILTERED:
        return errorResponse(call, 400, azure ? OpenAiJson.azureContentFilterError()
            : json.openAiError("Your request was rejected as a result of our safety system. Your "
                + "prompt may contain text that is not allowed by our safety system.",
                "invalid_request_error", "prompt", "content_filter"));
      case AUTHENTICATION:
        return errorResponse(call, 401, authenticationError(call.key()));
      case PERMISSION:
        return errorResponse(call, 403, azure
            ? OpenAiJson.azureError("PermissionDenied",
                "Principal does not have access to API/Operation.")
            : json.openAiError("Country, region, or territory not supported", "request_forbidden",
                null, "unsupported_country_region_territory"));
      case MODEL_NOT_FOUND:
        return errorResponse(call, 404, azure
            ? OpenAiJson.azureError("DeploymentNotFound", "The API deployment for this resource "
                + "does not exist. If you created the deployment within the last 5 minutes, please "
                + "wait a moment and try again.")
            : json.openAiError("The model `" + call.model() + "` does not exist or you do not "
                + "have access to it.", "invalid_request_error", null, "model_not_found"));
      case RATE_LIMITED:
        return rateLimited(call, null);
      case RATE_LIMITED_BY_PROXY:
        return base(call, 429, JSON)
            .setHeader("retry-after", Delays.ceilSeconds(Delays.DEFAULT_RETRY_AFTER))
            .body(text(json.openAiError("Too many requests from this client; slow down.",
                "invalid_request_error", null, null))).build();
      case QUOTA_EXHAUSTED:
        return errorResponse(call, 429, json.openAiError("You exceeded your current quota, please "
            + "check your plan and billing details. For more information on this error, read the "
            + "docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
            "insufficient_quota", null, "insufficient_quota"));
      case SERVER_ERROR:
        return errorResponse(call, 500, json.openAiError("The server had an error processing your "
            + "request. Sorry about that! You can retry your request, or contact us through our "
            + "help center at help.openai.com if you keep seeing this error. (Please include the "
            + "request ID " + call.requestId() + " in your email.)", "server_error", null, null));
      case UNAVAILABLE:
        return errorResponse(call, 503, azure
            ? OpenAiJson.azureError("ServiceUnavailable", "The service is temporarily unable to "
                + "process your request. Please try again later.")
            : json.openAiError("The service is temporarily unavailable. Please try again later.",
                "server_error", null, null));
      case OVERLOADED:
        return errorResponse(call, 503, json.openAiError(
            "The engine is currently overloaded, please try again later.", "server_error", null,
            null));
      default:
        throw new IllegalArgumentException("unknown error " + error);
    }
  }

  private byte[] authenticationError(@Nullable String key) {
    if (azure) {
      return OpenAiJson.azureError("401", "Access denied due to invalid subscription key or wrong "
          + "API endpoint. Make sure to provide a valid key for an active subscription and use a "
          + "correct regional API endpoint for your resource.");
    }
    if (key == null || key.isEmpty()) {
      return json.openAiError("You didn't provide an API key. You need to provide your API key "
          + "in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), "
          + "or as the password field (with blank username) if you're accessing the API from your "
          + "browser and are prompted for a username and password. You can obtain an API key from "
          + "https://platform.openai.com/account/api-keys.", "invalid_request_error", null, null);
    }
    return json.openAiError("Incorrect API key provided: " + mask(key) + ". You can find your API "
        + "key at https://platform.openai.com/account/api-keys.", "invalid_request_error", null,
        "invalid_api_key");
  }

  /**
   * Masks a key as OpenAI does in its 401 message: the first 8 characters, stars, the last 4
   * ({@code sk-abc12***...wxyz}); shorter keys keep less.
   */
  static String mask(String key) {
    int keepStart = Math.min(8, key.length() / 3);
    int keepEnd = Math.min(4, key.length() / 4);
    int stars = Math.max(3, key.length() - keepStart - keepEnd);
    return key.substring(0, keepStart) + "*".repeat(stars)
        + key.substring(key.length() - keepEnd);
  }

  /**
   * A 429 asking for the chosen delay, or for 2 s when none was chosen: {@code retry-after} in
   * whole seconds (rounded up), and the exact delay in {@code retry-after-ms} (Azure: always;
   * OpenAI: when chosen, as the header OpenAI's own SDKs read first) and OpenAI's reset header.
   */
  private MockResponse rateLimited(Call call, @Nullable Duration chosen) {
    Duration delay = chosen != null ? chosen : Delays.DEFAULT_RETRY_AFTER;
    long seconds = Delays.ceilSeconds(delay);
    MockResponse.Builder b = base(call, 429, JSON).setHeader("retry-after", seconds);
    byte[] body;
    if (azure) {
      b.setHeader("retry-after-ms", Delays.ceilMillis(delay))
          .setHeader("x-ratelimit-remaining-tokens", "0");
      String version = call.apiVersion() != null ? call.apiVersion() : "v1";
      body = OpenAiJson.azureError("429", "Requests to the ChatCompletions_Create Operation under "
          + "Azure OpenAI API version " + version + " have exceeded token rate limit of your "
          + "current OpenAI S0 pricing tier. Please retry after " + seconds + " second"
          + (seconds == 1 ? "" : "s") + ". Please go here: "
          + "https://aka.ms/oai/quotaincrease if you would like to further increase the default "
          + "rate limit.");
    } else {
      if (chosen != null) {
        b.setHeader("retry-after-ms", Delays.ceilMillis(delay));
      }
      b.setHeader("x-ratelimit-remaining-requests", "0")
          .setHeader("x-ratelimit-reset-requests", Delays.goStyle(delay));
      body = json.openAiError("Rate limit reached for " + call.model() + " in organization "
          + "org-Vh3kQ9sLm2RtW8xYp4NbZc1A on requests per min (RPM): Limit " + OPENAI_REQUEST_LIMIT
          + ", Used " + OPENAI_REQUEST_LIMIT + ", Requested 1. Please try again in "
          + Delays.goStyle(delay) + ". Visit "
          + "https://platform.openai.com/account/rate-limits to learn more.", "requests", null,
          "rate_limit_exceeded");
    }
    return b.body(text(body)).build();
  }

  private MockResponse errorResponse(Call call, int code, byte[] body) {
    return base(call, code, JSON).body(text(body)).build();
  }

  // ---- headers

  private MockResponse.Builder base(Call call, int code, String contentType) {
    return base(call.number(), call.requestId(), code, contentType);
  }

  /** Status, content type, request id and rate-limit headers as the service sends them. */
  private MockResponse.Builder base(int number, String requestId, int code, String contentType) {
    MockResponse.Builder b = new MockResponse.Builder().code(code)
        .setHeader("Content-Type", contentType)
        .setHeader("x-request-id", requestId);
    if (azure) {
      b.setHeader("apim-request-id", requestId)
          .setHeader("x-ms-region", "East US 2")
          .setHeader("x-ratelimit-limit-requests", AZURE_REQUEST_LIMIT)
          .setHeader("x-ratelimit-limit-tokens", AZURE_TOKEN_LIMIT)
          .setHeader("x-ratelimit-remaining-requests", Math.max(0, AZURE_REQUEST_LIMIT - number))
          .setHeader("x-ratelimit-remaining-tokens", Math.max(0, AZURE_TOKEN_LIMIT - 20 * number));
    } else {
      b.setHeader("openai-version", "2020-10-01")
          .setHeader("openai-processing-ms", 100 + number % 400)
          .setHeader("x-ratelimit-limit-requests", OPENAI_REQUEST_LIMIT)
          .setHeader("x-ratelimit-limit-tokens", OPENAI_TOKEN_LIMIT)
          .setHeader("x-ratelimit-remaining-requests", Math.max(0, OPENAI_REQUEST_LIMIT - number))
          .setHeader("x-ratelimit-remaining-tokens", Math.max(0, OPENAI_TOKEN_LIMIT - 20 * number))
          .setHeader("x-ratelimit-reset-requests", "6ms")
          .setHeader("x-ratelimit-reset-tokens", "0s");
    }
    return b;
  }

  /** The key of {@code Authorization: Bearer} or Azure's {@code api-key}, or null. */
  private static @Nullable String key(RecordedRequest request) {
    String auth = request.getHeaders().get("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    return request.getHeaders().get("api-key");
  }

  private static String text(byte[] utf8) {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static Supplier<byte[]> fixed(byte[] bytes) {
    return () -> bytes;
  }

  @Override
  public String toString() {
    return "OpenAiResponder[" + flavour.name().toLowerCase(Locale.ROOT) + "]";
  }
}
