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
 * An OkHttp application interceptor that plays the OpenAI server without a socket. It reads the
 * whole request body, as a server would, so that the caller pays for encoding it, and answers
 * with canned bytes shaped like the transport's test fixtures ({@code
 * fixtures/openai/chat-response-basic.json} and {@code chat-stream-basic.sse}): a compact unary
 * completion ({@link #COMPLETION}), or, when the request accepts {@code text/event-stream}, a
 * stream ({@link #STREAM}) of eight content chunks, a finish chunk, a usage chunk and {@code
 * [DONE]}. Both answers say {@link #TEXT} with usage {@link #PROMPT_TOKENS} / {@link
 * #COMPLETION_TOKENS}, and come with the response headers OpenAI sends ({@code x-request-id}, six
 * {@code x-ratelimit-*}).
 *
 * <p>Thread-safe. While {@link #capture(boolean) capturing} it keeps the last request body, for
 * the benchmark's set-up checks.
 */
final class CannedOpenAi implements Interceptor {
  static final String TEXT = "Hello! How can I help you today?";
  static final String FINISH_REASON = "stop";
  static final long PROMPT_TOKENS = 19;
  static final long COMPLETION_TOKENS = 10;
  static final String REQUEST_ID = "req_8f2b0c4e1d7a4b3c9e6f5a2d1c0b9a8e";

  /** The text of the eight content chunks; joined they make {@link #TEXT}. */
  private static final String[] DELTAS =
      {"Hello", "!", " How", " can", " I", " help", " you", " today?"};

  /** The unary body (compact JSON). */
  static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-C6gT2rYwQ8bN1vKx5LmZp0HdJ3sFa\","
      + "\"object\":\"chat.completion\",\"created\":1755612345,"
      + "\"model\":\"gpt-4.1-mini-2025-04-14\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"" + TEXT + "\",\"refusal\":null,"
      + "\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"" + FINISH_REASON + "\"}],"
      + "\"usage\":" + usage() + ",\"service_tier\":\"default\","
      + "\"system_fingerprint\":\"fp_b3f1157249\"}").getBytes(UTF_8);

  /** The streamed body. */
  static final byte[] STREAM = stream().getBytes(UTF_8);

  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType EVENT_STREAM = MediaType.get("text/event-stream; charset=utf-8");
  private static final Headers COMPLETION_HEADERS = headers(JSON);
  private static final Headers STREAM_HEADERS = headers(EVENT_STREAM);

  private volatile boolean capture;
  private volatile byte @Nullable [] lastRequestBody;

  /** Turns keeping the last request body on or off. */
  void capture(boolean capture) {
    this.capture = capture;
    this.lastRequestBody = null;
  }

  /** The last request body seen while capturing, or null. */
  byte @Nullable [] lastRequestBody() {
    return lastRequestBody;
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
      lastRequestBody = received.readByteArray();
    } else {
      received.clear();
    }
    boolean stream = "text/event-stream".equals(request.header("Accept"));
    return new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(200)
        .message("OK")
        .headers(stream ? STREAM_HEADERS : COMPLETION_HEADERS)
        .body(ResponseBody.create(stream ? STREAM : COMPLETION, stream ? EVENT_STREAM : JSON))
        .build();
  }

  private static String usage() {
    return "{\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":" + COMPLETION_TOKENS
        + ",\"total_tokens\":" + (PROMPT_TOKENS + COMPLETION_TOKENS)
        + ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
        + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
  }

  private static String stream() {
    StringBuilder sse = new StringBuilder(4096);
    for (int i = 0; i < DELTAS.length; i++) {
      String delta = (i == 0 ? "{\"role\":\"assistant\",\"content\":\"" : "{\"content\":\"")
          + DELTAS[i] + (i == 0 ? "\",\"refusal\":null}" : "\"}");
      chunk(sse, "[{\"index\":0,\"delta\":" + delta
          + ",\"logprobs\":null,\"finish_reason\":null}],\"usage\":null", "p9K3xT");
    }
    chunk(sse, "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"" + FINISH_REASON
        + "\"}],\"usage\":null", "");
    chunk(sse, "[],\"usage\":" + usage(), "Tg3Wc");
    return sse.append("data: [DONE]\n\n").toString();
  }

  private static void chunk(StringBuilder sse, String choicesAndUsage, String obfuscation) {
    sse.append("data: {\"id\":\"chatcmpl-C6gWq5NdR2vHx8KtL0mZb7YsP3jFc\",")
        .append("\"object\":\"chat.completion.chunk\",\"created\":1755612435,")
        .append("\"model\":\"gpt-4.1-mini-2025-04-14\",\"service_tier\":\"default\",")
        .append("\"system_fingerprint\":\"fp_b3f1157249\",\"choices\":")
        .append(choicesAndUsage)
        .append(",\"obfuscation\":\"").append(obfuscation).append("\"}\n\n");
  }

  private static Headers headers(MediaType contentType) {
    return new Headers.Builder()
        .add("Content-Type", contentType.toString())
        .add("x-request-id", REQUEST_ID)
        .add("openai-processing-ms", "312")
        .add("openai-version", "2020-10-01")
        .add("x-ratelimit-limit-requests", "10000")
        .add("x-ratelimit-limit-tokens", "10000000")
        .add("x-ratelimit-remaining-requests", "9999")
        .add("x-ratelimit-remaining-tokens", "9999976")
        .add("x-ratelimit-reset-requests", "6ms")
        .add("x-ratelimit-reset-tokens", "0s")
        .build();
  }
}
