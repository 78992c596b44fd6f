package dev.llmgateway.benchmarks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * The baseline for the Anthropic transport: a streamed Messages call written by hand, as a careful
 * user would write it without the gateway. The request is a Jackson record, written with one
 * shared {@link ObjectMapper}; the stream is read line by line with {@link
 * BufferedSource#readUtf8Line()}, each {@code data:} line parsed into a small event record, the
 * {@code text_delta} texts joined, and the usage taken from {@code message_start} (input) and
 * {@code message_delta} (output). It keeps only what such a user needs: id, text, stop reason and
 * token counts.
 *
 * <p>Thread-safe.
 */
final class RawAnthropicClient {
  /** Shared, configured once, as Jackson recommends. */
  static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  static final String API_VERSION = "2023-06-01";

  private static final MediaType JSON = MediaType.get("application/json");
  private static final String DATA = "data: ";

  private final OkHttpClient client;
  private final HttpUrl url;
  private final String apiKey;

  RawAnthropicClient(OkHttpClient client, String baseUrl, String apiKey) {
    this.client = client;
    this.url = HttpUrl.get(baseUrl).newBuilder().addPathSegments("v1/messages").build();
    this.apiKey = apiKey;
  }

  /** A streamed request for {@link #stream}. */
  static MessagesRequest request(String model, String system, String user, int maxTokens,
      double temperature) {
    return new MessagesRequest(model, maxTokens, system, List.of(new RequestMessage("user", user)),
        temperature, true);
  }

  /** A streamed call, read to its end. */
  Answer stream(MessagesRequest body) throws IOException {
    Request request = new Request.Builder()
        .url(url)
        .header("x-api-key", apiKey)
        .header("anthropic-version", API_VERSION)
        .header("Accept", "text/event-stream")
        .post(RequestBody.create(MAPPER.writeValueAsBytes(body), JSON))
        .build();
    try (Response response = client.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("HTTP " + response.code() + ": " + response.body().string());
      }
      BufferedSource source = response.body().source();
      StringBuilder text = new StringBuilder();
      String id = null;
      String stopReason = null;
      long inputTokens = -1;
      long outputTokens = -1;
      boolean stopped = false;
      for (String line; !stopped && (line = source.readUtf8Line()) != null; ) {
        if (!line.startsWith(DATA)) {
          continue; // event: names, blank lines
        }
        Event event = MAPPER.readValue(line.substring(DATA.length()), Event.class);
        if (event.type() == null) {
          continue;
        }
        switch (event.type()) {
          case "message_start":
            if (event.message() != null) {
              id = event.message().id();
              if (event.message().usage() != null) {
                inputTokens = orElse(event.message().usage().inputTokens(), inputTokens);
                outputTokens = orElse(event.message().usage().outputTokens(), outputTokens);
              }
            }
            break;
          case "content_block_delta":
            if (event.delta() != null && "text_delta".equals(event.delta().type())
                && event.delta().text() != null) {
              text.append(event.delta().text());
            }
            break;
          case "message_delta":
            if (event.delta() != null && event.delta().stopReason() != null) {
              stopReason = event.delta().stopReason();
            }
            if (event.usage() != null) {
              inputTokens = orElse(event.usage().inputTokens(), inputTokens);
              outputTokens = orElse(event.usage().outputTokens(), outputTokens);
            }
            break;
          case "message_stop":
            stopped = true;
            break;
          case "error":
            throw new IOException("the stream reported an error: " + event.error());
          default:
            break; // ping, content_block_start, content_block_stop
        }
      }
      if (!stopped) {
        throw new IOException("the stream ended before message_stop");
      }
      if (inputTokens < 0 || outputTokens < 0) {
        throw new IOException("the stream carried no usage");
      }
      return new Answer(id, text.toString(), stopReason, inputTokens, outputTokens);
    }
  }

  private static long orElse(@Nullable Long value, long fallback) {
    return value != null ? value : fallback;
  }

  record MessagesRequest(
      String model,
      @JsonProperty("max_tokens") int maxTokens,
      String system,
      List<RequestMessage> messages,
      double temperature,
      boolean stream) {}

  record RequestMessage(String role, String content) {}

  /** One stream event's {@code data}: only the fields of its type are set. */
  record Event(@Nullable String type, @Nullable EventMessage message, @Nullable Delta delta,
      @Nullable Usage usage, @Nullable ErrorBody error) {}

  record EventMessage(@Nullable String id, @Nullable Usage usage) {}

  record Delta(@Nullable String type, @Nullable String text,
      @JsonProperty("stop_reason") @Nullable String stopReason) {}

  record Usage(@JsonProperty("input_tokens") @Nullable Long inputTokens,
      @JsonProperty("output_tokens") @Nullable Long outputTokens) {}

  record ErrorBody(@Nullable String type, @Nullable String message) {}

  /** What the user keeps of an answer. */
  record Answer(@Nullable String id, @Nullable String text, @Nullable String stopReason,
      long inputTokens, long outputTokens) {}
}
