package dev.llmgateway.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.ResponseTooLargeException;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSource;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each transport reads no more of an answer than its {@link ReadLimits} allow, over a real socket
 * against a server that offers 1 GiB: what the client read is counted below the transport (an
 * OkHttp network interceptor), the heap the reading thread allocated is measured, and the server
 * sees its writes fail once the transport hung up. The probe shapes of issue 22: a streamed tool
 * call at index 150,000,000 (an {@link OutOfMemoryError} before the limits) and a 1 GB body.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BoundedReadsTest {
  private static final long GIB = 1L << 30;
  private static final int PIECE = 64 * 1024;
  /** One socket read past a limit: what a buffered source may hold beyond what was asked. */
  private static final long SLACK = 16 * 1024;
  /**
   * What a call may allocate besides the bytes it buffers: codecs, headers, the failure, and a
   * first call's one-time class set-up (measured: 0.2 to 0.4 MB warm, about 22 MB cold).
   */
  private static final long OVERHEAD = 64L << 20;

  private final MockWebServer server = new MockWebServer();
  private final AtomicLong bytesRead = new AtomicLong();
  private OkHttpClient client;

  /** The three wire formats, each with what an answer looks like in it. */
  enum Format {
    OPENAI("/v1", "data: ", "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
        + "\"code\":\"rate_limit_exceeded\"}}", "rate_limit_exceeded") {
      @Override
      HttpProviderBuilder<?> builder() {
        return OpenAiPresets.openAi();
      }
    },
    ANTHROPIC("/", "event: content_block_delta\ndata: ", "{\"type\":\"error\",\"error\":{\"type\":"
        + "\"rate_limit_error\",\"message\":\"Number of requests has exceeded your rate limit\"}}",
        "rate_limit_error") {
      @Override
      HttpProviderBuilder<?> builder() {
        return AnthropicProvider.builder();
      }
    },
    GEMINI("/v1beta", "data: ", "{\"error\":{\"code\":429,\"message\":\"Resource has been "
        + "exhausted\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis"
        + ".com/google.rpc.RetryInfo\",\"retryDelay\":\"7s\"}]}}", "RESOURCE_EXHAUSTED") {
      @Override
      HttpProviderBuilder<?> builder() {
        return GeminiProvider.builder();
      }
    };

    final String path;
    final String eventPrefix;
    final String rateLimitBody;
    final String rateLimitCode;

    Format(String path, String eventPrefix, String rateLimitBody, String rateLimitCode) {
      this.path = path;
      this.eventPrefix = eventPrefix;
      this.rateLimitBody = rateLimitBody;
      this.rateLimitCode = rateLimitCode;
    }

    abstract HttpProviderBuilder<?> builder();
  }

  @BeforeEach
  void start() throws IOException {
    server.start();
    client = HttpClients.defaults().newBuilder().addNetworkInterceptor(this::countBodyBytes)
        .build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  // ---- bodies

  @ParameterizedTest
  @EnumSource(Format.class)
  void aOneGigabyteBodyIsATypedErrorAfterReadingAtMostTheLimit(Format format) throws Exception {
    Endless body = Endless.chunked("{\"id\":\"x\",\"text\":\"", 'x');
    server.enqueue(body.response(200, "application/json"));
    long limit = 1L << 20;

    try (Provider provider = provider(format, b -> b.maxResponseBytes(limit))) {
      long[] allocated = new long[1];
      Throwable t = allocated(allocated, () -> catchThrowable(() -> chat(provider)));

      assertThat(t).isInstanceOfSatisfying(ResponseTooLargeException.class, e -> {
        assertThat(e.kind()).isEqualTo(ResponseTooLargeException.Kind.BODY);
        assertThat(e.limit()).isEqualTo(limit);
        assertThat(e.getMessage()).contains("1048576 bytes (maxResponseBytes)",
            "raise maxResponseBytes", "provider=" + provider.name(), "model=test-model")
            .doesNotContain("xxxx");
        assertThat(e.isRetriable()).isTrue();
      });
      assertThat(bytesRead.get()).as("body bytes the client read").isBetween(limit, limit + SLACK);
      assertThat(allocated[0]).as("bytes the reading thread allocated")
          .isLessThan(limit + OVERHEAD);
    }
    assertThat(body.awaitStopped()).as("the server's writes failed: the client hung up").isTrue();
    assertThat(body.written()).as("the server never wrote more than socket buffers hold")
        .isLessThan(64L << 20);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aDeclaredContentLengthOverTheLimitFailsBeforeReadingAnything(Format format)
      throws Exception {
    Endless body = Endless.sized(GIB, 'x');
    server.enqueue(body.response(200, "application/json"));

    try (Provider provider = provider(format, b -> b.maxResponseBytes(1L << 20))) {
      Throwable t = catchThrowable(() -> chat(provider));

      assertThat(t).isInstanceOfSatisfying(ResponseTooLargeException.class,
          e -> assertThat(e.getMessage()).contains("declares 1073741824 bytes (Content-Length)",
              "nothing was read"));
      assertThat(bytesRead.get()).isZero();
    }
    assertThat(body.awaitStopped()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aOneGigabyteErrorBodyIsCutAtItsLimitAndMappedFromItsHead(Format format) throws Exception {
    Endless body = Endless.chunked(format.rateLimitBody, ' ');
    server.enqueue(body.response(429, "application/json").newBuilder()
        .setHeader("retry-after", "7").build());

    try (Provider provider = provider(format, b -> b)) {
      long[] allocated = new long[1];
      Throwable t = allocated(allocated, () -> catchThrowable(() -> chat(provider)));

      assertThat(t).isInstanceOfSatisfying(RateLimitedException.class, e -> {
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(e.providerErrorCode()).as("read from the body's JSON")
            .isEqualTo(format.rateLimitCode);
      });
      long limit = ReadLimits.DEFAULT_MAX_ERROR_BODY_BYTES;
      assertThat(bytesRead.get()).as("error body bytes the client read")
          .isBetween(limit, limit + SLACK);
      assertThat(allocated[0]).isLessThan(limit + OVERHEAD);
    }
    assertThat(body.awaitStopped()).isTrue();
  }

  @Test
  void anEmbeddingsAnswerMayTakeItsAllowancePerInputBeyondTheResponseLimit() throws Exception {
    String vectors = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
        + "\"embedding\":[0.5]},{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.25]}],"
        + "\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}";
    server.enqueue(new MockResponse.Builder().code(200).setHeader("content-type",
        "application/json").body(vectors + " ".repeat(200 * 1024)).build());
    Endless endless = Endless.chunked(vectors, ' ');
    server.enqueue(endless.response(200, "application/json"));
    EmbeddingRequest request = EmbeddingRequest.of("text-embedding-3-small", "one", "two");

    try (Provider provider = provider(Format.OPENAI, b -> b.maxResponseBytes(1024))) {
      AttemptContext attempt = new AttemptContext("bounded",
          new Deployment("openai", "text-embedding-3-small"), 1, AttemptContext.NO_DEADLINE);
      assertThat(provider.embed(request, attempt).size()).as("a 200 KB answer for two inputs")
          .isEqualTo(2);

      assertThat(catchThrowable(() -> provider.embed(request, attempt)))
          .isInstanceOfSatisfying(ResponseTooLargeException.class, e -> {
            assertThat(e.limit()).isEqualTo(2 * ReadLimits.EMBEDDING_BYTES_PER_INPUT);
            assertThat(e.getMessage()).contains("131072 bytes for each of 2 inputs");
          });
    }
    assertThat(endless.awaitStopped()).isTrue();
  }

  // ---- streams

  @ParameterizedTest
  @EnumSource(Format.class)
  void aOneGigabyteStreamedEventEndsTheStreamWithATypedErrorAtTheLimit(Format format)
      throws Exception {
    Endless body = Endless.chunked(format.eventPrefix + "{\"text\":\"", 'x');
    server.enqueue(body.response(200, "text/event-stream"));
    int limit = 64 * 1024;

    try (Provider provider = provider(format, b -> b.maxSseEventBytes(limit))) {
      long[] allocated = new long[1];
      List<ChatEvent> events = allocated(allocated, () -> stream(provider));

      assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class,
          f -> assertThat(f.error()).isInstanceOfSatisfying(ResponseTooLargeException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ResponseTooLargeException.Kind.STREAM_EVENT);
                assertThat(e.limit()).isEqualTo(limit);
                assertThat(e.getMessage()).contains("maxSseEventBytes (65536 bytes)",
                    "provider=" + provider.name(), "model=test-model");
              }));
      assertThat(bytesRead.get()).as("stream bytes the client read")
          .isBetween((long) limit, limit + SLACK);
      assertThat(allocated[0]).isLessThan(limit + OVERHEAD);
    }
    assertThat(body.awaitStopped()).isTrue();
    assertThat(body.written()).isLessThan(64L << 20);
  }

  /**
   * The probe of issue 22: one chunk whose tool call sits at index 150,000,000 made the stream's
   * accumulator grow a list to that size ({@link OutOfMemoryError}).
   */
  @Test
  void aStreamedToolCallAtIndex150000000IsATypedErrorWithBoundedMemory() {
    server.enqueue(sse(openAiChunk("{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}"), openAiFinish(), "data: [DONE]"));
    server.enqueue(sse(openAiChunk("{\"index\":150000000,\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"\"}}"), "data: [DONE]"));

    try (Provider provider = provider(Format.OPENAI, b -> b)) {
      assertThat(stream(provider)).as("a warm-up: the same shape, served")
          .last().isInstanceOf(ChatEvent.Completed.class);
      long[] allocated = new long[1];
      List<ChatEvent> events = allocated(allocated, () -> stream(provider));

      assertThat(events).last().isInstanceOfSatisfying(ChatEvent.Failed.class,
          f -> assertThat(f.error()).isInstanceOfSatisfying(ResponseTooLargeException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ResponseTooLargeException.Kind.TOOL_CALLS);
                assertThat(e.limit()).isEqualTo(ReadLimits.DEFAULT_MAX_TOOL_CALLS);
                assertThat(e.getMessage()).contains("index 150000000", "maxToolCalls (128)",
                    "raise maxToolCalls", "provider=openai", "model=test-model");
              }));
      assertThat(allocated[0]).as("bytes the reading thread allocated").isLessThan(OVERHEAD);
    }
  }

  @Test
  void aStreamedToolCallAtTheLastIndexBelowTheLimitIsServed() {
    server.enqueue(sse(openAiChunk("{\"index\":3,\"id\":\"call_4\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}"), openAiFinish(), "data: [DONE]"));

    try (Provider provider = provider(Format.OPENAI, b -> b.maxToolCalls(4))) {
      List<ChatEvent> events = stream(provider);

      assertThat(events).last().isInstanceOfSatisfying(ChatEvent.Completed.class,
          c -> assertThat(c.response().toolCalls()).hasSize(4).last()
              .satisfies(call -> assertThat(call.id()).isEqualTo("call_4")));
    }
  }

  @Test
  void aNegativeStreamedToolCallIndexIsATypedErrorNotAnIllegalArgument() {
    server.enqueue(sse(openAiChunk("{\"index\":-1,\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"\"}}"), "data: [DONE]"));

    try (Provider provider = provider(Format.OPENAI, b -> b)) {
      assertThat(stream(provider)).last().isInstanceOfSatisfying(ChatEvent.Failed.class,
          f -> assertThat(f.error()).isExactlyInstanceOf(ProviderUnavailableException.class)
              .hasMessageContaining("negative index (-1)"));
    }
  }

  /** Anthropic's content block index only keys its tool calls: a huge one costs nothing. */
  @Test
  void anAnthropicToolUseBlockAtAHugeContentIndexIsServedAsTheFirstCall() {
    server.enqueue(sse("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{"
            + "\"id\":\"msg_1\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":150000000,"
            + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\","
            + "\"input\":{}}}",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":150000000,"
            + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
            + "\"tool_use\"},\"usage\":{\"output_tokens\":9}}",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}"));

    try (Provider provider = provider(Format.ANTHROPIC, b -> b)) {
      assertThat(stream(provider)).last().isInstanceOfSatisfying(ChatEvent.Completed.class,
          c -> assertThat(c.response().toolCalls()).singleElement()
              .satisfies(call -> assertThat(call.id()).isEqualTo("toolu_1")));
    }
  }

  @Test
  void limitsThatAreNotPositiveAreRefusedWhenSet() {
    assertThat(catchThrowable(() -> OpenAiPresets.openAi().maxResponseBytes(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxResponseBytes must be > 0, was 0");
    assertThat(catchThrowable(() -> AnthropicProvider.builder().maxToolCalls(-1)))
        .hasMessage("maxToolCalls must be > 0, was -1");
    assertThat(catchThrowable(() -> GeminiProvider.builder().maxSseEventBytes(0)))
        .hasMessage("maxSseEventBytes must be > 0, was 0");
    assertThat(catchThrowable(() -> GeminiProvider.builder().maxErrorBodyBytes(0)))
        .hasMessage("maxErrorBodyBytes must be > 0, was 0");
  }

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    ReadLimits d = ReadLimits.defaults();

    assertThat(d.maxResponseBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(d.maxErrorBodyBytes()).isEqualTo(64 * 1024);
    assertThat(d.maxSseEventBytes()).isEqualTo(1024 * 1024);
    assertThat(d.maxToolCalls()).isEqualTo(128);
    assertThat(d.withMaxToolCalls(4)).isEqualTo(ReadLimits.defaults().withMaxToolCalls(4))
        .isNotEqualTo(d).hasToString("ReadLimits[maxResponseBytes=33554432, "
            + "maxErrorBodyBytes=65536, maxSseEventBytes=1048576, maxToolCalls=4]");
  }

  @Test
  void theBuilderHandsItsLimitsToTheTransportOneByOneOrAllAtOnce() {
    ReadLimits shared = ReadLimits.defaults().withMaxResponseBytes(5).withMaxErrorBodyBytes(6)
        .withMaxSseEventBytes(7).withMaxToolCalls(8);

    assertThat(new SettingsOf().snapshot().readLimits()).isEqualTo(ReadLimits.defaults());
    assertThat(new SettingsOf().readLimits(shared).snapshot().readLimits()).isEqualTo(shared);
    assertThat(new SettingsOf().maxResponseBytes(5).maxErrorBodyBytes(6).maxSseEventBytes(7)
        .maxToolCalls(8).snapshot().readLimits()).isEqualTo(shared);
  }

  /** A transport's builder, showing the settings it hands over. */
  private static final class SettingsOf extends HttpProviderBuilder<SettingsOf> {
    SettingsOf() {
      super("test", "http://127.0.0.1:1", ModelCapabilities.CHAT_ALL);
    }

    @Override
    protected SettingsOf self() {
      return this;
    }

    HttpSettings snapshot() {
      return settings();
    }
  }

  // ---- helpers

  private Provider provider(Format format, UnaryOperator<HttpProviderBuilder<?>> limits) {
    HttpProviderBuilder<?> b = format.builder().baseUrl(server.url(format.path).toString())
        .apiKey("sk-bounded-test-1234").httpClient(client).executor(Runnable::run);
    HttpProviderBuilder<?> limited = limits.apply(b);
    if (limited instanceof OpenAiProvider.Builder o) {
      return o.build();
    }
    if (limited instanceof AnthropicProvider.Builder a) {
      return a.build();
    }
    return ((GeminiProvider.Builder) limited).build();
  }

  private static AttemptContext attempt(Provider provider) {
    return new AttemptContext("bounded", new Deployment(provider.name(), "test-model"), 1,
        AttemptContext.NO_DEADLINE);
  }

  private static ChatResponse chat(Provider provider) {
    return provider.chat(ChatRequest.of("test-model", "Hello"), attempt(provider));
  }

  private static List<ChatEvent> stream(Provider provider) {
    List<ChatEvent> events = new ArrayList<>();
    try (StreamIterator<ChatEvent> it = ChatStream.of(
        provider.stream(ChatRequest.of("test-model", "Hello"), attempt(provider))).iterator()) {
      it.forEachRemaining(events::add);
    }
    return events;
  }

  /** Runs the work, storing what the calling thread allocated meanwhile. */
  private static <T> T allocated(long[] bytes, Supplier<T> work) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    T result = work.get();
    bytes[0] = threads.getCurrentThreadAllocatedBytes() - before;
    return result;
  }

  private static String openAiChunk(String toolCall) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{"
        + "\"index\":0,\"delta\":{\"tool_calls\":[" + toolCall + "]},\"finish_reason\":null}]}";
  }

  private static String openAiFinish() {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{"
        + "\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}";
  }

  private static MockResponse sse(String... events) {
    StringBuilder body = new StringBuilder();
    for (String e : events) {
      body.append(e).append("\n\n");
    }
    return new MockResponse.Builder().code(200).setHeader("content-type", "text/event-stream")
        .body(body.toString()).build();
  }

  /** Counts the body bytes the transport pulls, below its own buffering. */
  private Response countBodyBytes(Interceptor.Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    ResponseBody body = response.body();
    ForwardingSource counting = new ForwardingSource(body.source()) {
      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        long n = super.read(sink, byteCount);
        if (n > 0) {
          bytesRead.addAndGet(n);
        }
        return n;
      }
    };
    return response.newBuilder().body(ResponseBody.create(Okio.buffer(counting),
        body.contentType(), body.contentLength())).build();
  }

  /**
   * A body of a head and 1 GiB of filler, made as it is written (one 64 KiB array), counting what
   * it wrote and noting when it stopped (the client hung up, or it ended).
   */
  private static final class Endless implements MockResponseBody {
    private final byte[] head;
    private final byte[] piece = new byte[PIECE];
    private final long contentLength;
    private final AtomicLong written = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Endless(String head, char filler, long contentLength) {
      this.head = head.getBytes(StandardCharsets.UTF_8);
      Arrays.fill(piece, (byte) filler);
      this.contentLength = contentLength;
    }

    /** Chunked, with no length declared: the client must count. */
    static Endless chunked(String head, char filler) {
      return new Endless(head, filler, -1);
    }

    /** Of a declared length, all filler. */
    static Endless sized(long length, char filler) {
      return new Endless("", filler, length);
    }

    MockResponse response(int code, String contentType) {
      MockResponse.Builder b = new MockResponse.Builder().code(code)
          .setHeader("content-type", contentType).body(this);
      if (contentLength < 0) {
        b.removeHeader("Content-Length").setHeader("Transfer-Encoding", "chunked");
      }
      return b.build();
    }

    @Override
    public long getContentLength() {
      return contentLength;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      try {
        boolean chunked = contentLength < 0;
        write(sink, head, chunked);
        for (long left = chunked ? GIB : contentLength; left > 0; left -= PIECE) {
          write(sink, piece, chunked);
        }
        if (chunked) {
          sink.writeUtf8("0\r\n");
        }
      } finally {
        stopped.countDown();
      }
    }

    private void write(BufferedSink sink, byte[] bytes, boolean chunked) throws IOException {
      if (bytes.length == 0) {
        return;
      }
      if (chunked) {
        sink.writeHexadecimalUnsignedLong(bytes.length).writeUtf8("\r\n");
      }
      sink.write(bytes);
      if (chunked) {
        sink.writeUtf8("\r\n");
      }
      sink.flush();
      written.addAndGet(bytes.length);
    }

    boolean awaitStopped() throws InterruptedException {
      return stopped.await(10, TimeUnit.SECONDS);
    }

    long written() {
      return written.get();
    }
  }
}
