package dev.llmgateway.benchmarks.load;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.benchmarks.RawOpenAiClient;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.Route;
import dev.llmgateway.providers.HttpClients;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.StreamIterator;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The systems the {@link LoadRunner} compares, all over the same OkHttp client ({@link
 * HttpClients#defaults()}) to the same {@link Upstream}, all sending a system and a user message
 * with 64 output tokens:
 *
 * <ul>
 *   <li>{@code A}: {@link RawOpenAiClient}, hand-written OkHttp + Jackson records;
 *   <li>{@code B0}: a gateway with one {@code OpenAiPresets.openAi()} provider and nothing else;
 *   <li>{@code B}: the gateway with every capability that exists configured as in production: an
 *       authenticator resolving an API-key caller, an alias with a fallback route, an
 *       around-attempt interceptor adding a {@code traceparent} header, a listener, a usage sink,
 *       attempt and total timeouts (as {@code ChainOverheadBenchmark}'s {@code gateway-full}).
 * </ul>
 *
 * Each arm throws when a call fails or its text is not {@link Upstream#TEXT}.
 */
final class LoadArms {
  static final String SYSTEM = "You are a helpful assistant.";
  static final String USER = "Say hello.";
  static final int MAX_OUTPUT_TOKENS = 64;
  static final String MODEL = "gpt-4.1-mini";
  private static final String PROVIDER_KEY = "sk-upstream-bench";
  private static final String GATEWAY_KEY = "gw-key-benchmark";
  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private LoadArms() {}

  /** One system under test. */
  interface Arm extends AutoCloseable {
    String name();

    /** A unary call. */
    void chat() throws IOException;

    /** A streamed call, read to its end, reporting content events to {@code times}. */
    void stream(StreamTimes times) throws IOException;

    @Override
    void close();
  }

  /** A, B0 and B against the upstream at {@code baseUrl} (e.g. {@code http://127.0.0.1:N/v1}). */
  static List<Arm> all(String baseUrl) {
    return List.of(raw(baseUrl), gateway("B0", baseUrl, false), gateway("B", baseUrl, true));
  }

  private static Arm raw(String baseUrl) {
    RawOpenAiClient client = new RawOpenAiClient(HttpClients.defaults(), baseUrl, PROVIDER_KEY);
    RawOpenAiClient.CompletionRequest unary =
        RawOpenAiClient.request(MODEL, SYSTEM, USER, MAX_OUTPUT_TOKENS, null);
    RawOpenAiClient.CompletionRequest streamed = RawOpenAiClient.streaming(unary);
    return new Arm() {
      @Override
      public String name() {
        return "A";
      }

      @Override
      public void chat() throws IOException {
        check(client.chat(unary).text());
      }

      @Override
      public void stream(StreamTimes times) throws IOException {
        check(client.stream(streamed, times::event).text());
      }

      @Override
      public void close() {}
    };
  }

  private static Arm gateway(String name, String baseUrl, boolean full) {
    GatewayBuilder builder = Gateway.builder().provider(OpenAiPresets.openAi()
        .baseUrl(baseUrl).apiKey(PROVIDER_KEY).httpClient(HttpClients.defaults()).build());
    String model = MODEL;
    Caller caller = Caller.apiKey(GATEWAY_KEY);
    if (full) {
      model = "smart";
      Map<String, Principal> keys = Map.of(GATEWAY_KEY,
          Principal.builder().org("acme").team("search").keyId("key-1").build());
      LongAdder calls = new LongAdder();
      LongAdder tokens = new LongAdder();
      builder
          .alias("smart", Route.fallback("openai/" + MODEL, "openai/gpt-4.1"))
          .authenticator(credential -> {
            Principal p = credential instanceof Caller.ApiKey k ? keys.get(k.secret()) : null;
            if (p == null) {
              throw new AuthenticationException("unknown API key");
            }
            return p;
          })
          .interceptor(InterceptorPosition.AROUND_ATTEMPT, chain -> {
            chain.attempt().header("traceparent", TRACEPARENT);
            return chain.proceed(chain.request());
          })
          .listener(new GatewayListener() {
            @Override
            public void onCallStart(CallContext call) {
              calls.increment();
            }
          })
          .usageSink(record -> tokens.add(record.usage().totalTokens()))
          .attemptTimeout(Duration.ofSeconds(30))
          .totalTimeout(Duration.ofSeconds(60));
    }
    Gateway gateway = builder.build();
    ChatRequest request = ChatRequest.builder(model)
        .system(SYSTEM)
        .user(USER)
        .maxOutputTokens(MAX_OUTPUT_TOKENS)
        .build();
    return new Arm() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void chat() {
        check(full ? gateway.chat(request, caller).text() : gateway.chat(request).text());
      }

      @Override
      public void stream(StreamTimes times) {
        try (StreamIterator<ChatEvent> events =
            (full ? gateway.stream(request, caller) : gateway.stream(request)).iterator()) {
          while (events.hasNext()) {
            ChatEvent event = events.next();
            if (event instanceof ChatEvent.TextDelta) {
              times.event();
            } else if (event instanceof ChatEvent.Completed c) {
              check(c.response().text());
              return;
            } else if (event instanceof ChatEvent.Failed f) {
              throw f.error();
            }
          }
        }
        throw new IllegalStateException(name + ": the stream ended without a terminal event");
      }

      @Override
      public void close() {
        gateway.close();
      }
    };
  }

  private static void check(@Nullable String text) {
    if (!Upstream.TEXT.equals(text)) {
      throw new IllegalStateException("expected the text '" + Upstream.TEXT + "', got '" + text
          + "'");
    }
  }
}
