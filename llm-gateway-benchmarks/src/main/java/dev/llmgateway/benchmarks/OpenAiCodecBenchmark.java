package dev.llmgateway.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.providers.HttpClients;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.spi.AttemptContext;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the OpenAI transport costs to encode a request and decode its answer, against a
 * hand-written OkHttp + Jackson call, with no server in the process: both sides use one OkHttp
 * client (derived from {@link HttpClients#defaults()}) whose application interceptor, {@link
 * CannedOpenAi}, reads the request body and answers with canned bytes: a 623-byte completion
 * (every field of OpenAI's answer, compact) for {@code chat}, and for {@code stream} a 3.5 KB SSE
 * body of eight content chunks, a finish chunk, a usage chunk and {@code [DONE]}. No socket, no
 * HTTP framing: what is measured is building and encoding the request, OkHttp's call machinery,
 * and decoding the answer. Both sides send the same request (system and user message, 64 output
 * tokens, temperature 0.2; checked at set-up, as are the answers).
 *
 * <ul>
 *   <li>{@code raw}: {@link RawOpenAiClient}, the call as a careful user writes it without the
 *       gateway: Jackson records, one shared {@code ObjectMapper}, the stream read with {@code
 *       readUtf8Line()} on the calling thread;
 *   <li>{@code transport}: {@link OpenAiProvider} called directly ({@code chat}, and {@code
 *       stream} collected with {@link ChatStream#collect()}), as the gateway calls it; the stream
 *       is read on the provider's own executor thread and handed to the caller;
 *   <li>{@code transport-direct}: the same with a direct executor ({@code Runnable::run}), so the
 *       stream is read on the calling thread like {@code raw}'s: the difference to {@code raw} is
 *       the decoding and event plumbing alone. ({@code chat} does not use the executor; its row is
 *       {@code transport} again.)
 * </ul>
 *
 * Run from the project root:
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar OpenAiCodec -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OpenAiCodecBenchmark {
  private static final String BASE_URL = "https://api.openai.com/v1";
  private static final String API_KEY = "sk-bench";
  private static final String MODEL = "gpt-4.1-mini";
  private static final String SYSTEM = "You are a helpful assistant.";
  private static final String USER = "Say hello.";
  private static final int MAX_OUTPUT_TOKENS = 64;
  private static final double TEMPERATURE = 0.2;

  @Param({"raw", "transport", "transport-direct"})
  public String target;

  private CannedOpenAi server;
  private Deployment deployment;
  private ChatRequest request;
  private RawOpenAiClient.CompletionRequest rawRequest;
  private RawOpenAiClient.CompletionRequest rawStreamRequest;
  private @Nullable RawOpenAiClient raw;
  private @Nullable OpenAiProvider provider;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = new CannedOpenAi();
    OkHttpClient client = HttpClients.defaults().newBuilder().addInterceptor(server).build();
    deployment = new Deployment("openai", MODEL);
    request = ChatRequest.builder(MODEL)
        .system(SYSTEM)
        .user(USER)
        .maxOutputTokens(MAX_OUTPUT_TOKENS)
        .temperature(TEMPERATURE)
        .build();
    rawRequest = RawOpenAiClient.request(MODEL, SYSTEM, USER, MAX_OUTPUT_TOKENS, TEMPERATURE);
    rawStreamRequest = RawOpenAiClient.streaming(rawRequest);
    switch (target) {
      case "raw":
        raw = new RawOpenAiClient(client, BASE_URL, API_KEY);
        break;
      case "transport":
        provider = OpenAiProvider.builder().httpClient(client).apiKey(API_KEY).build();
        break;
      case "transport-direct":
        provider = OpenAiProvider.builder().httpClient(client).apiKey(API_KEY)
            .executor(Runnable::run).build();
        break;
      default:
        throw new IllegalArgumentException("unknown target '" + target + "'");
    }
    check("chat", rawRequest);
    check("stream", rawStreamRequest);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (provider != null) {
      provider.close();
    }
  }

  /** A unary call, read to the canonical answer. */
  @Benchmark
  public Object chat() throws IOException {
    if (raw != null) {
      return raw.chat(rawRequest);
    }
    return provider.chat(request, AttemptContext.standalone(deployment));
  }

  /** The same call streamed and read to its end. */
  @Benchmark
  public Object stream() throws IOException {
    if (raw != null) {
      return raw.stream(rawStreamRequest);
    }
    return ChatStream.of(provider.stream(request, AttemptContext.standalone(deployment)))
        .collect();
  }

  /** Fails the trial unless the arm sent the expected request and read the canned answer. */
  private void check(String method, RawOpenAiClient.CompletionRequest expected)
      throws IOException {
    Object answer;
    server.capture(true);
    try {
      answer = method.equals("chat") ? chat() : stream();
      byte[] body = server.lastRequestBody();
      JsonNode sent = body == null ? null : RawOpenAiClient.MAPPER.readTree(body);
      JsonNode wanted = RawOpenAiClient.MAPPER.valueToTree(expected);
      if (!wanted.equals(sent)) {
        throw new IllegalStateException(
            target + " " + method + " sent " + sent + ", expected " + wanted);
      }
    } finally {
      server.capture(false);
    }
    RawOpenAiClient.Answer got = answer instanceof ChatResponse r
        ? new RawOpenAiClient.Answer(r.providerResponseId(), r.text(), r.rawFinishReason(),
            r.usage().inputTokens(), r.usage().outputTokens())
        : (RawOpenAiClient.Answer) answer;
    if (!CannedOpenAi.TEXT.equals(got.text())
        || !CannedOpenAi.FINISH_REASON.equals(got.finishReason())
        || got.id() == null
        || got.promptTokens() != CannedOpenAi.PROMPT_TOKENS
        || got.completionTokens() != CannedOpenAi.COMPLETION_TOKENS) {
      throw new IllegalStateException(target + " " + method + " read " + got);
    }
  }
}
