package dev.llmgateway.benchmarks.load;

import dev.llmgateway.Caller;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.benchmarks.FullChain;
import dev.llmgateway.benchmarks.RawOpenAiClient;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.providers.HttpClients;
import dev.llmgateway.providers.openai.OpenAiPresets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The systems the {@link LoadRunner} compares, all over the same OkHttp client ({@link
 * HttpClients#defaults()}) to the same {@link Upstream}, all sending a system and a user message
 * with 64 output tokens. Each arm cycles through the same {@value FullChain#REQUESTS} distinct user
 * messages ({@link FullChain#prompt(int)}, from one counter per arm shared by its callers), so
 * that every call of B misses B's response cache; B throws on a call the cache answered.
 *
 * <ul>
 *   <li>{@code A}: {@link RawOpenAiClient}, hand-written OkHttp + Jackson records;
 *   <li>{@code B0}: a gateway with one {@code OpenAiPresets.openAi()} provider and nothing else;
 *   <li>{@code B}: the gateway with every capability that exists configured as in production
 *       ({@link FullChain}, as {@code ChainOverheadBenchmark}'s {@code gateway-full}): an
 *       authenticator resolving an API-key caller, an alias routed by rules to a sticky A/B split
 *       of two candidate lists, prices, a response cache, an around-attempt interceptor adding a
 *       {@code traceparent} header, a listener, a usage sink, retries, circuit breakers and
 *       timeouts;
 *   <li>{@code C} (optional): A's {@link RawOpenAiClient} with A's requests, sent to the Portkey
 *       gateway ({@link PortkeyProcess}) instead of the upstream, with the two headers Portkey
 *       needs to forward them to the upstream as an OpenAI provider ({@value
 *       PortkeyProcess#PROVIDER_HEADER}{@code : openai}, {@value
 *       PortkeyProcess#CUSTOM_HOST_HEADER}{@code : <upstream>/v1}), added by an OkHttp
 *       interceptor. Its OkHttp client is derived from the same default client (sharing its
 *       dispatcher) with its own connection pool that drops idle connections after {@value
 *       #PROXY_KEEP_ALIVE_SECONDS} s, before Node.js closes them (5 s), so that no call is sent
 *       on a connection the proxy is closing (the default client does not retry).
 * </ul>
 *
 * Each arm throws when a call fails or its text is not {@link Upstream#TEXT}.
 */
final class LoadArms {
  static final String SYSTEM = FullChain.SYSTEM;
  static final int MAX_OUTPUT_TOKENS = FullChain.MAX_OUTPUT_TOKENS;
  static final String MODEL = "gpt-4.1-mini";
  static final int PROXY_KEEP_ALIVE_SECONDS = 4;
  private static final String PROVIDER_KEY = "sk-upstream-bench";

  private LoadArms() {}

  /** One system under test. */
  interface Arm extends AutoCloseable {
    String name();

    /** A unary call. */
    void chat() throws IOException;

    /** A streamed call, read to its end, reporting content events to {@code times}. */
    void stream(StreamTimes times) throws IOException;

    /** CPU time so far of the proxy process the arm goes through; -1 for none (or unknown). */
    default long proxyCpuNanos() {
      return -1;
    }

    @Override
    void close();
  }

  /**
   * A, B0, B1, B and, if {@code proxy} is not null, C, against the upstream at {@code baseUrl} (e.g.
   * {@code http://127.0.0.1:N/v1}).
   */
  static List<Arm> all(String baseUrl, @Nullable PortkeyProcess proxy) {
    List<Arm> arms = new ArrayList<>(List.of(raw("A", HttpClients.defaults(), baseUrl, null),
        gateway("B0", baseUrl, false, false), gateway("B1", baseUrl, true, false),
        gateway("B", baseUrl, true, true)));
    if (proxy != null) {
      arms.add(proxied(baseUrl, proxy));
    }
    return arms;
  }

  /** Arm C: A's client and requests, through {@code proxy} to the upstream at {@code baseUrl}. */
  static Arm proxied(String baseUrl, PortkeyProcess proxy) {
    OkHttpClient client = HttpClients.defaults().newBuilder()
        .connectionPool(new ConnectionPool(HttpClients.MAX_IDLE_CONNECTIONS,
            PROXY_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS))
        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
            .header(PortkeyProcess.PROVIDER_HEADER, "openai")
            .header(PortkeyProcess.CUSTOM_HOST_HEADER, baseUrl)
            .build()))
        .build();
    return raw("C", client, proxy.baseUrl(), proxy);
  }

  private static Arm raw(String name, OkHttpClient http, String baseUrl,
      @Nullable PortkeyProcess proxy) {
    RawOpenAiClient client = new RawOpenAiClient(http, baseUrl, PROVIDER_KEY);
    RawOpenAiClient.CompletionRequest[] unary =
        new RawOpenAiClient.CompletionRequest[FullChain.REQUESTS];
    RawOpenAiClient.CompletionRequest[] streamed =
        new RawOpenAiClient.CompletionRequest[FullChain.REQUESTS];
    for (int i = 0; i < unary.length; i++) {
      unary[i] = RawOpenAiClient.request(MODEL, SYSTEM, FullChain.prompt(i), MAX_OUTPUT_TOKENS,
          null);
      streamed[i] = RawOpenAiClient.streaming(unary[i]);
    }
    AtomicInteger next = new AtomicInteger();
    return new Arm() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long proxyCpuNanos() {
        return proxy == null ? -1 : proxy.cpuNanos();
      }

      @Override
      public void chat() throws IOException {
        check(client.chat(FullChain.next(unary, next.getAndIncrement())).text());
      }

      @Override
      public void stream(StreamTimes times) throws IOException {
        RawOpenAiClient.Answer answer =
            client.stream(FullChain.next(streamed, next.getAndIncrement()), times::event);
        check(answer.text());
        times.id(answer.id());
      }

      @Override
      public void close() {
        if (proxy != null) {
          http.connectionPool().evictAll();
        }
      }
    };
  }

  private static Arm gateway(String name, String baseUrl, boolean full, boolean policies) {
    GatewayBuilder builder = Gateway.builder().provider(OpenAiPresets.openAi()
        .baseUrl(baseUrl).apiKey(PROVIDER_KEY).httpClient(HttpClients.defaults()).build());
    String model = MODEL;
    Caller caller = FullChain.caller();
    FullChain.@Nullable UsageFiles files = full ? FullChain.UsageFiles.create() : null;
    if (full) {
      model = FullChain.ALIAS;
      FullChain.configure(builder, "openai/" + MODEL, "openai/gpt-4.1", new FullChain.Tally(),
          files, policies);
    }
    Gateway gateway = builder.build();
    ChatRequest[] requests = FullChain.requests(model);
    AtomicInteger next = new AtomicInteger();
    return new Arm() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void chat() {
        ChatRequest request = FullChain.next(requests, next.getAndIncrement());
        ChatResponse answer = full ? gateway.chat(request, caller) : gateway.chat(request);
        checkMissed(answer);
        check(answer.text());
      }

      @Override
      public void stream(StreamTimes times) {
        ChatRequest request = FullChain.next(requests, next.getAndIncrement());
        try (StreamIterator<ChatEvent> events =
            (full ? gateway.stream(request, caller) : gateway.stream(request)).iterator()) {
          while (events.hasNext()) {
            ChatEvent event = events.next();
            if (event instanceof ChatEvent.TextDelta) {
              times.event();
            } else if (event instanceof ChatEvent.Completed c) {
              checkMissed(c.response());
              check(c.response().text());
              times.id(c.response().providerResponseId());
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
        if (files != null) {
          files.close();
        }
      }
    };
  }

  /** B's calls must all miss its cache: a hit would measure no upstream call. */
  private static void checkMissed(ChatResponse answer) {
    if (answer.cacheHit()) {
      throw new IllegalStateException("a call was answered by the gateway's cache: the arm must"
          + " cycle through more distinct requests");
    }
  }

  private static void check(@Nullable String text) {
    if (!Upstream.TEXT.equals(text)) {
      throw new IllegalStateException("expected the text '" + Upstream.TEXT + "', got '" + text
          + "'");
    }
  }
}
