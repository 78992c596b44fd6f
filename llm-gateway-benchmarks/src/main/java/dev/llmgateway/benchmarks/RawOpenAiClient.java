package dev.llmgateway.benchmarks;

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
 * The baseline for the OpenAI transport: a Chat Completions call written by hand, as a careful
 * user would write it without the gateway. The request and the response are Jackson records,
 * written and read with one shared {@link ObjectMapper}; a stream is read line by line with
 * {@link BufferedSource#readUtf8Line()}, each {@code data:} line parsed into a chunk record and the
 * content joined. It keeps only what such a user needs: id, text, finish reason and token counts.
 *
 * <p>Thread-safe.
 */
public final class RawOpenAiClient {
  /** Shared, configured once, as Jackson recommends. */
  static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static final MediaType JSON = MediaType.get("application/json");
  private static final String DATA = "data: ";

  private final OkHttpClient client;
  private final HttpUrl url;
  private final String authorization;

  private static final Runnable NO_EVENT_HOOK = () -> {};

  /** A client for the API at {@code baseUrl} (up to {@code /v1}). */
  public RawOpenAiClient(OkHttpClient client, String baseUrl, String apiKey) {
    this.client = client;
    this.url = HttpUrl.get(baseUrl).newBuilder().addPathSegments("chat/completions").build();
    this.authorization = "Bearer " + apiKey;
  }

  /** A request for {@link #chat}; {@link #streaming} makes the one for {@link #stream}. */
  public static CompletionRequest request(String model, String system, String user,
      int maxTokens, @Nullable Double temperature) {
    return new CompletionRequest(model,
        List.of(new RequestMessage("system", system), new RequestMessage("user", user)),
        maxTokens, temperature, null, null);
  }

  /** The same request, streamed with usage at the end. */
  public static CompletionRequest streaming(CompletionRequest r) {
    return new CompletionRequest(r.model(), r.messages(), r.maxCompletionTokens(),
        r.temperature(), true, new StreamOptions(true));
  }

  /** A unary call. */
  public Answer chat(CompletionRequest body) throws IOException {
    try (Response response = client.newCall(post(body, false)).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("HTTP " + response.code() + ": " + response.body().string());
      }
      Completion c = MAPPER.readValue(response.body().byteStream(), Completion.class);
      Choice choice = c.choices().get(0);
      return new Answer(c.id(), choice.message().content(), choice.finishReason(),
          c.usage().promptTokens(), c.usage().completionTokens());
    }
  }

  /** A streamed call, read to its end. */
  public Answer stream(CompletionRequest body) throws IOException {
    return stream(body, NO_EVENT_HOOK);
  }

  /** A streamed call, read to its end, telling {@code onContent} of each content delta. */
  public Answer stream(CompletionRequest body, Runnable onContent) throws IOException {
    try (Response response = client.newCall(post(body, true)).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("HTTP " + response.code() + ": " + response.body().string());
      }
      BufferedSource source = response.body().source();
      StringBuilder text = new StringBuilder();
      String id = null;
      String finishReason = null;
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
        if (id == null) {
          id = chunk.id();
        }
        if (chunk.choices() != null) {
          for (ChunkChoice choice : chunk.choices()) {
            if (choice.delta() != null && choice.delta().content() != null) {
              onContent.run();
              text.append(choice.delta().content());
            }
            if (choice.finishReason() != null) {
              finishReason = choice.finishReason();
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
      return new Answer(id, text.toString(), finishReason, usage.promptTokens(),
          usage.completionTokens());
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
  public record CompletionRequest(
      String model,
      List<RequestMessage> messages,
      @JsonProperty("max_completion_tokens") int maxCompletionTokens,
      @Nullable Double temperature,
      @Nullable Boolean stream,
      @JsonProperty("stream_options") @Nullable StreamOptions streamOptions) {}

  public record RequestMessage(String role, String content) {}

  public record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {}

  record Completion(String id, List<Choice> choices, Usage usage) {}

  record Choice(ResponseMessage message, @JsonProperty("finish_reason") String finishReason) {}

  record ResponseMessage(@Nullable String content) {}

  record Usage(@JsonProperty("prompt_tokens") long promptTokens,
      @JsonProperty("completion_tokens") long completionTokens) {}

  record Chunk(String id, @Nullable List<ChunkChoice> choices, @Nullable Usage usage) {}

  record ChunkChoice(@Nullable Delta delta,
      @JsonProperty("finish_reason") @Nullable String finishReason) {}

  record Delta(@Nullable String content) {}

  /** What the user keeps of an answer. */
  public record Answer(@Nullable String id, @Nullable String text, @Nullable String finishReason,
      long promptTokens, long completionTokens) {}
}
