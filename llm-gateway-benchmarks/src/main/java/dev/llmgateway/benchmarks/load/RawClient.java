package dev.llmgateway.benchmarks.load;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * Arm A of the {@link LoadRunner}: a Chat Completions call written by hand over OkHttp and Jackson
 * records, as a careful user writes it without the gateway. It is the JMH baseline {@code
 * dev.llmgateway.benchmarks.RawOpenAiClient} adapted to the load runner: the same records and
 * shared {@link ObjectMapper}, and a stream read line by line on the calling thread, but it tells
 * a {@link StreamTimes} when each content chunk arrives.
 *
 * <p>Thread-safe.
 */
final class RawClient {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String DATA = "data: ";

  private final OkHttpClient client;
  private final HttpUrl url;
  private final String authorization;

  RawClient(OkHttpClient client, String baseUrl, String apiKey) {
    this.client = client;
    this.url = HttpUrl.get(baseUrl).newBuilder().addPathSegments("chat/completions").build();
    this.authorization = "Bearer " + apiKey;
  }

  /** The request {@link #chat} and {@link #stream} send (the latter with stream options). */
  static CompletionRequest request(String model, boolean stream) {
    return new CompletionRequest(model,
        List.of(new RequestMessage("system", LoadArms.SYSTEM),
            new RequestMessage("user", LoadArms.USER)),
        LoadArms.MAX_OUTPUT_TOKENS, stream ? Boolean.TRUE : null,
        stream ? new StreamOptions(true) : null);
  }

  /** A unary call; returns the answer's text. */
  @Nullable String chat(CompletionRequest body) throws IOException {
    try (Response response = client.newCall(post(body, false)).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("HTTP " + response.code() + ": " + response.body().string());
      }
      Completion c = MAPPER.readValue(response.body().byteStream(), Completion.class);
      return c.choices().get(0).message().content();
    }
  }

  /** A streamed call read to its end; returns the joined text. */
  String stream(CompletionRequest body, StreamTimes times) throws IOException {
    try (Response response = client.newCall(post(body, true)).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("HTTP " + response.code() + ": " + response.body().string());
      }
      BufferedSource source = response.body().source();
      StringBuilder text = new StringBuilder();
      Usage usage = null;
      for (String line; (line = source.readUtf8Line()) != null; ) {
        if (!line.startsWith(DATA)) {
          continue;
        }
        String data = line.substring(DATA.length());
        if (data.equals("[DONE]")) {
          break;
        }
        Chunk chunk = MAPPER.readValue(data, Chunk.class);
        if (chunk.choices() != null) {
          for (ChunkChoice choice : chunk.choices()) {
            if (choice.delta() != null && choice.delta().content() != null) {
              times.event();
              text.append(choice.delta().content());
            }
          }
        }
        if (chunk.usage() != null) {
          usage = chunk.usage();
        }
      }
      if (usage == null) {
        throw new IOException("the stream carried no usage");
      }
      return text.toString();
    }
  }

  private Request post(CompletionRequest body, boolean stream) throws IOException {
    Request.Builder b = new Request.Builder()
        .url(url)
        .header("Authorization", authorization)
        .post(RequestBody.create(MAPPER.writeValueAsBytes(body), JSON));
    if (stream) {
      b.header("Accept", "text/event-stream");
    }
    return b.build();
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CompletionRequest(
      String model,
      List<RequestMessage> messages,
      @JsonProperty("max_completion_tokens") int maxCompletionTokens,
      @Nullable Boolean stream,
      @JsonProperty("stream_options") @Nullable StreamOptions streamOptions) {}

  record RequestMessage(String role, String content) {}

  record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {}

  record Completion(String id, List<Choice> choices, Usage usage) {}

  record Choice(ResponseMessage message, @JsonProperty("finish_reason") String finishReason) {}

  record ResponseMessage(@Nullable String content) {}

  record Usage(@JsonProperty("prompt_tokens") long promptTokens,
      @JsonProperty("completion_tokens") long completionTokens) {}

  record Chunk(String id, @Nullable List<ChunkChoice> choices, @Nullable Usage usage) {}

  record ChunkChoice(@Nullable Delta delta,
      @JsonProperty("finish_reason") @Nullable String finishReason) {}

  record Delta(@Nullable String content) {}
}
