package dev.llmgateway.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.providers.HttpClients;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
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
 * What the Anthropic transport costs to encode a streamed Messages request and decode its answer,
 * against a hand-written OkHttp + Jackson call, with no server in the process: both sides use one
 * OkHttp client (derived from {@link HttpClients#defaults()}) whose application interceptor,
 * {@link CannedAnthropic}, reads the request body and answers with canned bytes: a 1,882-byte SSE
 * body of {@code message_start}, {@code content_block_start}, a {@code ping}, eight {@code
 * text_delta} events, {@code content_block_stop}, {@code message_delta} with usage and {@code
 * message_stop}.
 * No socket, no HTTP framing: what is measured is building and encoding the request, OkHttp's call
 * machinery, and decoding the stream. Both sides send the same request (system and user message,
 * 64 output tokens, temperature 0.2, {@code stream: true}, with {@code x-api-key} and {@code
 * anthropic-version}; checked at set-up, as are the answers).
 *
 * <ul>
 *   <li>{@code raw}: {@link RawAnthropicClient}, the call as a careful user writes it without the
 *       gateway: Jackson records, one shared {@code ObjectMapper}, the stream read with {@code
 *       readUtf8Line()} on the calling thread;
 *   <li>{@code transport}: {@link AnthropicProvider} called directly, the stream collected with
 *       {@link ChatStream#collect()}, as the gateway calls it; the stream is read on the
 *       provider's own executor thread and handed to the caller;
 *   <li>{@code transport-direct}: the same with a direct executor ({@code Runnable::run}), so the
 *       stream is read on the calling thread like {@code raw}'s: the difference to {@code raw} is
 *       the decoding and event plumbing alone.
 * </ul>
 *
 * Run from the project root:
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar AnthropicStream -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AnthropicStreamBenchmark {
  private static final String BASE_URL = "https://api.anthropic.com";
  private static final String API_KEY = "sk-ant-bench";
  private static final String MODEL = "claude-sonnet-4-5";
  private static final String SYSTEM = "You are a helpful assistant.";
  private static final String USER = "Say hello.";
  private static final int MAX_OUTPUT_TOKENS = 64;
  private static final double TEMPERATURE = 0.2;

  @Param({"raw", "transport", "transport-direct"})
  public String target;

  private CannedAnthropic server;
  private Deployment deployment;
  private ChatRequest request;
  private RawAnthropicClient.MessagesRequest rawRequest;
  private @Nullable RawAnthropicClient raw;
  private @Nullable AnthropicProvider provider;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = new CannedAnthropic();
    OkHttpClient client = HttpClients.defaults().newBuilder().addInterceptor(server).build();
    deployment = new Deployment("anthropic", MODEL);
    request = ChatRequest.builder(MODEL)
        .system(SYSTEM)
        .user(USER)
        .maxOutputTokens(MAX_OUTPUT_TOKENS)
        .temperature(TEMPERATURE)
        .build();
    rawRequest = RawAnthropicClient.request(MODEL, SYSTEM, USER, MAX_OUTPUT_TOKENS, TEMPERATURE);
    switch (target) {
      case "raw":
        raw = new RawAnthropicClient(client, BASE_URL, API_KEY);
        break;
      case "transport":
        provider = AnthropicProvider.builder().httpClient(client).apiKey(API_KEY).build();
        break;
      case "transport-direct":
        provider = AnthropicProvider.builder().httpClient(client).apiKey(API_KEY)
            .executor(Runnable::run).build();
        break;
      default:
        throw new IllegalArgumentException("unknown target '" + target + "'");
    }
    check();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (provider != null) {
      provider.close();
    }
  }

  /** A streamed call, read to its end. */
  @Benchmark
  public Object stream() throws IOException {
    if (raw != null) {
      return raw.stream(rawRequest);
    }
    return ChatStream.of(provider.stream(request, AttemptContext.standalone(deployment)))
        .collect();
  }

  /** Fails the trial unless the arm sent the expected request and read the canned answer. */
  private void check() throws IOException {
    Object answer;
    server.capture(true);
    try {
      answer = stream();
      CannedAnthropic.Captured sent = server.last();
      JsonNode body = sent == null ? null : RawAnthropicClient.MAPPER.readTree(sent.body());
      JsonNode wanted = RawAnthropicClient.MAPPER.valueToTree(rawRequest);
      if (!wanted.equals(body)) {
        throw new IllegalStateException(target + " sent " + body + ", expected " + wanted);
      }
      if (!API_KEY.equals(sent.apiKey())
          || !RawAnthropicClient.API_VERSION.equals(sent.version())) {
        throw new IllegalStateException(target + " sent x-api-key " + sent.apiKey()
            + ", anthropic-version " + sent.version());
      }
    } finally {
      server.capture(false);
    }
    RawAnthropicClient.Answer got = answer instanceof ChatResponse r
        ? new RawAnthropicClient.Answer(r.providerResponseId(), r.text(), r.rawFinishReason(),
            r.usage().inputTokens(), r.usage().outputTokens())
        : (RawAnthropicClient.Answer) answer;
    if (!CannedAnthropic.TEXT.equals(got.text())
        || !CannedAnthropic.STOP_REASON.equals(got.stopReason())
        || !CannedAnthropic.MESSAGE_ID.equals(got.id())
        || got.inputTokens() != CannedAnthropic.INPUT_TOKENS
        || got.outputTokens() != CannedAnthropic.OUTPUT_TOKENS) {
      throw new IllegalStateException(target + " read " + got);
    }
  }
}
