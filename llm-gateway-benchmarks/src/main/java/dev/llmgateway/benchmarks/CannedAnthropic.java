package dev.llmgateway.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * An OkHttp application interceptor that plays the Anthropic Messages server without a socket. It
 * reads the whole request body, as a server would, so that the caller pays for encoding it, and
 * answers every request with a canned stream ({@link #STREAM}) shaped like the transport's test
 * fixture {@code fixtures/anthropic/messages-stream-full.sse}, text only: {@code message_start}
 * (with its usage), {@code content_block_start} of a text block, a {@code ping}, eight {@code
 * text_delta} events, {@code content_block_stop}, {@code message_delta} with the stop reason and
 * usage, and {@code message_stop}. The stream says {@link #TEXT} with usage {@link #INPUT_TOKENS}
 * / {@link #OUTPUT_TOKENS}, and comes with the response headers Anthropic sends ({@code
 * request-id}, twelve {@code anthropic-ratelimit-*}).
 *
 * <p>Thread-safe. While {@link #capture(boolean) capturing} it keeps the last request body and
 * its {@code x-api-key} and {@code anthropic-version} headers, for the benchmark's set-up checks.
 */
final class CannedAnthropic implements Interceptor {
  static final String TEXT = "Hello! How can I help you today?";
  static final String STOP_REASON = "end_turn";
  static final String MESSAGE_ID = "msg_01Pb2NKyQVyv4XUd1ec1a2Ff";
  static final long INPUT_TOKENS = 19;
  static final long OUTPUT_TOKENS = 10;
  static final String REQUEST_ID = "req_011CSHoMuV4ChAg8Ss1j7QiP";

  /** The text of the eight {@code text_delta} events; joined they make {@link #TEXT}. */
  private static final String[] DELTAS =
      {"Hello", "!", " How", " can", " I", " help", " you", " today?"};

  /** The streamed body. */
  static final byte[] STREAM = stream().getBytes(UTF_8);

  private static final MediaType EVENT_STREAM = MediaType.get("text/event-stream; charset=utf-8");
  private static final Headers STREAM_HEADERS = headers();

  private volatile boolean capture;
  private volatile @Nullable Captured last;

  /** What one request carried: its body and the two headers the Messages API requires. */
  record Captured(byte[] body, @Nullable String apiKey, @Nullable String version) {}

  /** Turns keeping the last request on or off. */
  void capture(boolean capture) {
    this.capture = capture;
    this.last = null;
  }

  /** The last request seen while capturing, or null. */
  @Nullable Captured last() {
    return last;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    RequestBody body = request.body();
    if (body == null) {
      throw new IOException("expected a POST with a body, got " + request.method());
    }
    Buffer received = new Buffer();
    body.writeTo(received);
    if (capture) {
      last = new Captured(received.readByteArray(), request.header("x-api-key"),
          request.header("anthropic-version"));
    } else {
      received.clear();
    }
    return new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(200)
        .message("OK")
        .headers(STREAM_HEADERS)
        .body(ResponseBody.create(STREAM, EVENT_STREAM))
        .build();
  }

  private static String stream() {
    StringBuilder sse = new StringBuilder(4096);
    event(sse, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + MESSAGE_ID
        + "\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + INPUT_TOKENS
        + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0},"
        + "\"output_tokens\":1,\"service_tier\":\"standard\"}}}");
    event(sse, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    event(sse, "ping", "{\"type\":\"ping\"}");
    for (String delta : DELTAS) {
      event(sse, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + delta + "\"}}");
    }
    event(sse, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(sse, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
        + STOP_REASON + "\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":" + INPUT_TOKENS
        + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
        + "\"output_tokens\":" + OUTPUT_TOKENS + "}}");
    event(sse, "message_stop", "{\"type\":\"message_stop\"}");
    return sse.toString();
  }

  private static void event(StringBuilder sse, String name, String data) {
    sse.append("event: ").append(name).append('\n')
        .append("data: ").append(data).append("\n\n");
  }

  private static Headers headers() {
    return new Headers.Builder()
        .add("Content-Type", EVENT_STREAM.toString())
        .add("Cache-Control", "no-cache")
        .add("request-id", REQUEST_ID)
        .add("anthropic-organization-id", "5d2b1a3e-8c4f-4e6a-9b7d-0f1e2a3b4c5d")
        .add("anthropic-ratelimit-requests-limit", "4000")
        .add("anthropic-ratelimit-requests-remaining", "3999")
        .add("anthropic-ratelimit-requests-reset", "2026-08-07T19:20:01Z")
        .add("anthropic-ratelimit-input-tokens-limit", "2000000")
        .add("anthropic-ratelimit-input-tokens-remaining", "1999981")
        .add("anthropic-ratelimit-input-tokens-reset", "2026-08-07T19:20:01Z")
        .add("anthropic-ratelimit-output-tokens-limit", "400000")
        .add("anthropic-ratelimit-output-tokens-remaining", "399936")
        .add("anthropic-ratelimit-output-tokens-reset", "2026-08-07T19:20:01Z")
        .add("anthropic-ratelimit-tokens-limit", "2400000")
        .add("anthropic-ratelimit-tokens-remaining", "2399917")
        .add("anthropic-ratelimit-tokens-reset", "2026-08-07T19:20:01Z")
        .build();
  }
}
