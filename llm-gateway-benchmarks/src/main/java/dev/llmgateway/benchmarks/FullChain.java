package dev.llmgateway.benchmarks;

import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.policy.ContentPolicy;
import dev.llmgateway.core.policy.InjectionPolicy;
import dev.llmgateway.core.policy.PiiPolicy;
import dev.llmgateway.core.policy.Policies;
import dev.llmgateway.core.policy.PolicySet;
import dev.llmgateway.core.policy.content.ContentFilter;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.auth.ApiKeys;
import dev.llmgateway.core.auth.CreatedKey;
import dev.llmgateway.core.auth.KeySpec;
import dev.llmgateway.core.access.AccessPolicy;
import dev.llmgateway.core.access.AccessRule;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.resilience.CircuitBreakerPolicy;
import dev.llmgateway.core.resilience.HedgePolicy;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Condition;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.StickyKey;
import dev.llmgateway.core.route.Variant;
import dev.llmgateway.core.usage.JsonLinesUsageSink;
import dev.llmgateway.core.usage.UsageDelivery;
import dev.llmgateway.otel.GenAiTelemetry;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.UsageSink;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import java.util.concurrent.atomic.LongAdder;

/**
 * The full-chain arm of every benchmark ({@code B}): every capability that exists, configured as a
 * production user would, each new capability adding itself here so its price is always known.
 * Today:
 *
 * <ul>
 *   <li>API keys ({@link ApiKeys}, the in-memory store) holding {@value #KEYS} keys, one per user
 *       of 100 teams; the arm's caller presents one of them ({@link #API_KEY}), which resolves to
 *       a principal with an org, a team, a user ({@value #USER_ID}) and its key id. Every call
 *       checks the key's form, hashes it and looks the hash up among the {@value #KEYS};
 *   <li>access control ({@link #access()}): a rule for everyone, one for the org, one for the
 *       team and one for the key, so every call looks up three rules, checks the alias, the
 *       request's output tokens and features, and has its candidates filtered by provider (none is
 *       denied);
 *   <li>rate limits ({@code AdmissionBenchmark.limits()}): the team's requests per minute, the
 *       org's tokens per minute (the input estimated at admission, settled to the usage at the
 *       end) and the key's calls in flight, on the in-memory store, never reached;
 *   <li>input and output policies ({@link #policies()}): the prompt's five PII values become
 *       placeholders and are restored in the answer, the prompt is scanned for injection and
 *       both prompt and answer go through a content filter; every prompt is about 1 KB ({@link
 *       #prompt(int)});
 *   <li>a monthly budget per team ({@code AdmissionBenchmark.budgets()}), never reached: every call
 *       reads its balance at admission, reserves the most its plan can cost (input counted by
 *       jtokkit for the OpenAI model, 4,096 output tokens at the dearer candidate's price) and
 *       settles its record's cost at the end;
 *   <li>routing: the alias {@value #ALIAS} is a rules route whose three rules (keywords, a
 *       pattern, a code block) the arm's prompts never match, so every call walks all three and
 *       goes on to {@code otherwise}: an A/B split sticky by user between the variant {@value
 *       #CONTROL} ({@code Route.fallback(primary, fallback)}) and the variant {@value #CHEAPEST}
 *       ({@code Route.cheapest(primary, fallback)}), 50/50, each hedging after 10 s. The arm's
 *       user lands in {@value #CHEAPEST}, the variant that does more work per call (it estimates
 *       each candidate's cost and sorts them);
 *   <li>a price for each of the two deployments ({@link GatewayBuilder#price}), so every response
 *       and usage record carries its cost;
 *   <li>a response cache of {@value #CACHE_ENTRIES} entries living 10 minutes, which every call of
 *       the arm misses (below);
 *   <li>an around-attempt interceptor adding {@code traceparent}, a listener, two usage sinks:
 *       {@link Tally}, inline, and (given {@link UsageFiles}) a {@link JsonLinesUsageSink}
 *       delivered asynchronously with the default delivery, writing into a temporary directory
 *       that {@link UsageFiles#close()} deletes; retries (3 attempts, 200 ms to 5 s backoff), circuit breakers (the defaults),
 *       attempt, first-token, idle and total timeouts — armed, never triggered by the benchmarks.
 * </ul>
 *
 * <p><b>Every call misses the cache.</b> A hit answers without calling the provider, which would
 * make the arm measure something else; what a miss costs is the key, the lookup, the insert of a
 * pending entry, the copy of the answer it stores and the eviction of another entry once the cache
 * is full, as in a busy production cache. So the arm's calls cycle through {@value #REQUESTS}
 * distinct requests ({@link #requests}, {@link #next}), 64 times the cache's maximum size: by the
 * time a request comes round again, 65,535 others were inserted since. The cache is Caffeine's
 * W-TinyLFU, which can keep part of a loop: measured on this very access pattern (Caffeine as the
 * gateway configures it, keys of the same shape), a loop 16 times the cache's size got 2 % hits,
 * 32 and 64 times got none in 50 and 100 million calls. The comparison arms ({@code direct},
 * {@code gateway-empty}) cycle through the same requests, so every arm pays the same for reading
 * them. {@code FullChainTest} checks three full cycles for hits, and the benchmarks' teardown
 * fails a trial in which any call hit ({@link Tally#cacheHits()}).
 */
public final class FullChain {
  /** How many API keys the arm's key store holds. */
  public static final int KEYS = 10_000;
  /**
   * The API keys of the arm: {@value #KEYS} keys, made once per JVM and shared by every gateway
   * {@link #configure} builds (an {@code ApiKeys} is thread-safe and needs no gateway).
   */
  public static final ApiKeys API_KEYS = ApiKeys.builder().audit(event -> { }).build();
  /** The raw API key the arm's caller presents: one of the {@value #KEYS}, for {@link #USER_ID}. */
  public static final String API_KEY = createKeys();
  /** The user the API key belongs to; the A/B split is sticky by it. */
  public static final String USER_ID = "user-1";
  /** The alias the arm's requests name. */
  public static final String ALIAS = "smart";
  /** The A/B variant going to the deployments in the order given. */
  public static final String CONTROL = "control";
  /** The A/B variant going to the cheaper deployment first; the arm's user lands here. */
  public static final String CHEAPEST = "cheapest";
  /** The trace header the around-attempt interceptor adds. */
  public static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  /** The system message of every request. */
  public static final String SYSTEM = "You are a helpful assistant.";
  /** The output token limit of every request. */
  public static final int MAX_OUTPUT_TOKENS = 64;
  /** How many distinct requests the arms cycle through; a power of two. */
  public static final int REQUESTS = 1 << 16;
  /** The response cache's maximum size: a 64th of {@link #REQUESTS}. */
  public static final int CACHE_ENTRIES = REQUESTS / 64;

  private FullChain() {}

  /** Fills {@link #API_KEYS}; returns the raw key of {@link #USER_ID}, made in the middle. */
  private static String createKeys() {
    String arms = null;
    for (int i = 0; i < KEYS; i++) {
      String user = i == KEYS / 2 ? USER_ID : "user-" + (KEYS + i);
      CreatedKey key = API_KEYS.create(KeySpec.of(Principal.builder().org("acme")
          .team(i == KEYS / 2 ? "search" : "team-" + (i % 100)).user(user).build()), "bench");
      if (i == KEYS / 2) {
        arms = key.secret();
      }
    }
    return java.util.Objects.requireNonNull(arms);
  }

  /**
   * The arm's access policy: everyone is denied some models, the org {@code acme} some providers
   * (a deployment filter the plan applies to both candidates, denying neither), the team {@code
   * search} may call {@value #ALIAS} with at most 1,024 output tokens and tools, the key {@code
   * arm-key}, for the arm's own key, at most 512 output tokens; the arm's requests pass all four.
   */
  public static AccessPolicy access() {
    return AccessPolicy.builder()
        .everyone(AccessRule.builder("gateway-deny").denyModels("o1-pro*", "*-preview").build())
        .org("acme", AccessRule.builder("acme").denyProviders("unvetted-*").build())
        .team("search", AccessRule.builder("search").allowAliases(ALIAS, "cheap-*")
            .maxOutputTokens(1_024).features(AccessRule.Feature.TOOLS).build())
        .key(API_KEYS.authenticate(caller()).keyId(),
            AccessRule.builder("arm-key").maxOutputTokens(512).build())
        .build();
  }

  /** The caller of the arm's calls. */
  public static Caller caller() {
    return Caller.apiKey(API_KEY);
  }

  /**
   * The user message of the {@code i}-th distinct request: about 1 KB of a customer's note with
   * five PII values (an e-mail address and a phone number that vary with {@code i}, an IBAN, a
   * payment card, an IP address), which the full chain's PII policy replaces by placeholders; it
   * matches none of the alias's rules and no injection or content-filter heuristic.
   */
  public static String prompt(int i) {
    return Prompts.ALL[i & (REQUESTS - 1)];
  }

  /**
   * The {@value #REQUESTS} prompts, made once per JVM and shared by every arm (about 70 MB: the
   * load runner's five arms used to hold a copy each).
   */
  private static final class Prompts {
    static final String[] ALL = new String[REQUESTS];

    static {
      for (int i = 0; i < REQUESTS; i++) {
        ALL[i] = make(i);
      }
    }
  }

  private static String make(int i) {
    String n = Integer.toString(i);
    StringBuilder s = new StringBuilder(1_100)
        .append("Visitor ").append(n).append(" writes: hello team, I would like to change the"
            + " contact details on my account. Please send the confirmation to visitor")
        .append(n).append("@example.com and call me back on +44 20 7946 0")
        .append(String.format(java.util.Locale.ROOT, "%03d", i % 1_000))
        .append(" during office hours. The refund for my last order should go to my bank"
            + " account DE89 3704 0044 0532 0130 00, not to the card 4111 1111 1111 1111 that I"
            + " used before. My router shows 192.0.2.").append(1 + i % 250)
        .append(" as its address, in case the support ticket needs it.");
    while (s.length() < 1_000) {
      s.append(" Thank you very much for your help and your patience with this request.");
    }
    return s.toString();
  }

  /**
   * The {@value #REQUESTS} distinct requests the arms cycle through, each the system message and
   * {@link #prompt(int)} with at most {@value #MAX_OUTPUT_TOKENS} output tokens, for {@code
   * model}.
   */
  public static ChatRequest[] requests(String model) {
    ChatRequest[] requests = new ChatRequest[REQUESTS];
    for (int i = 0; i < REQUESTS; i++) {
      requests[i] = ChatRequest.builder(model)
          .system(SYSTEM)
          .user(prompt(i))
          .maxOutputTokens(MAX_OUTPUT_TOKENS)
          .build();
    }
    return requests;
  }

  /** The {@code i}-th element of an array of {@value #REQUESTS}, wrapping round. */
  public static <T> T next(T[] requests, int i) {
    return requests[i & (REQUESTS - 1)];
  }

  /**
   * Adds every capability to a builder that already has its provider(s), with a new {@link
   * Tally} as the usage sink.
   *
   * @param primary the alias's cheaper deployment ({@code provider/model})
   * @param fallback its other deployment
   */
  public static GatewayBuilder configure(GatewayBuilder builder, String primary,
      String fallback) {
    return configure(builder, primary, fallback, new Tally());
  }

  /**
   * Adds every capability to a builder that already has its provider(s).
   *
   * @param primary the alias's cheaper deployment ({@code provider/model})
   * @param fallback its other deployment
   * @param tally the usage sink, to read what the calls did
   */
  public static GatewayBuilder configure(GatewayBuilder builder, String primary,
      String fallback, Tally tally) {
    return configure(builder, primary, fallback, tally, null);
  }

  /**
   * Adds every capability to a builder that already has its provider(s), metering into {@code
   * files} too when given (close the gateway before the files).
   *
   * @param primary the alias's cheaper deployment ({@code provider/model})
   * @param fallback its other deployment
   * @param tally the usage sink, to read what the calls did (inline)
   * @param files the JSON Lines usage files, or null for none
   */
  public static GatewayBuilder configure(GatewayBuilder builder, String primary,
      String fallback, Tally tally, @Nullable UsageFiles files) {
    return configure(builder, primary, fallback, tally, files, true);
  }

  /**
   * As {@link #configure(GatewayBuilder, String, String, Tally, UsageFiles)}, with the input and
   * output policies only when {@code withPolicies}: the chain without them shows what the
   * governance and routing steps cost apart from scanning the prompt's text.
   */
  public static GatewayBuilder configure(GatewayBuilder builder, String primary,
      String fallback, Tally tally, @Nullable UsageFiles files, boolean withPolicies) {
    if (withPolicies) {
      builder.policies(policies());
    }
    if (files != null) {
      builder.usageSink(files.sink());
    }
    LongAdder calls = new LongAdder();
    HedgePolicy hedge = HedgePolicy.after(Duration.ofSeconds(10));
    Route route = Route.rules()
        .when("reasoning", Condition.keywords("prove", "step by step", "derive"),
            Route.to(fallback))
        .when("sql", Condition.pattern("(?i)\\b(select|update|delete)\\b.+\\bfrom\\b"),
            Route.to(fallback))
        .when("code", Condition.codeBlock(), Route.to(fallback))
        .otherwise(Route.split(StickyKey.user(),
            Variant.of(CONTROL, 50, Route.fallback(primary, fallback).hedge(hedge)),
            Variant.of(CHEAPEST, 50, Route.cheapest(primary, fallback).hedge(hedge))));
    return builder
        .alias(ALIAS, route)
        .price(primary, Price.perMillion("0.40", "1.60"))
        .price(fallback, Price.perMillion("2.00", "8.00"))
        .cache(ResponseCache.builder().maximumSize(CACHE_ENTRIES)
            .ttl(Duration.ofMinutes(10)).build())
        .authenticator(API_KEYS)
        .access(access())
        .rateLimits(AdmissionBenchmark.limits())
        .budgets(AdmissionBenchmark.budgets())
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
        .listener(GenAiTelemetry.create(OpenTelemetry.noop()).listener()) // OTel, no SDK
        .usageSink(tally, UsageDelivery.inline())
        .retry(RetryPolicy.builder().maxAttempts(3)
            .backoff(Duration.ofMillis(200), Duration.ofSeconds(5)).build())
        .circuitBreaker(CircuitBreakerPolicy.defaults())
        .attemptTimeout(Duration.ofSeconds(30))
        .firstTokenTimeout(Duration.ofSeconds(10))
        .idleTimeout(Duration.ofSeconds(30))
        .totalTimeout(Duration.ofSeconds(60));
  }

  /**
   * The full chain's input and output policies: PII redaction with placeholders restored in the
   * answer (the defaults: every kind, the answer scanned for secrets), the prompt-injection scan of
   * the user's messages and tool results (block), and a content filter of one category on the
   * prompt and the answer.
   */
  public static Policies policies() {
    return Policies.of(PolicySet.builder()
        .pii(PiiPolicy.defaults())
        .injection(InjectionPolicy.defaults())
        .content(ContentPolicy.builder().filter(ContentFilter.builder()
            .category("weapons", List.of("pipe bomb", "nerve agent", "build a bomb")).build())
            .build())
        .build());
  }

  /**
   * Usage files in a temporary directory: the asynchronous JSON Lines sink of the full chain.
   * {@link #close()} closes the sink and deletes the directory; close the gateway first (its close
   * drains the sink's queue). Thread-safe.
   */
  public static final class UsageFiles implements AutoCloseable {
    private final Path directory;
    private final JsonLinesUsageSink sink;

    private UsageFiles(Path directory) {
      this.directory = directory;
      this.sink = JsonLinesUsageSink.builder(directory).prefix("bench").build();
    }

    /** A new temporary directory for the usage files. */
    public static UsageFiles create() {
      try {
        return new UsageFiles(Files.createTempDirectory("llm-gateway-usage"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary directory for usage files", e);
      }
    }

    /** The sink writing into the directory. */
    public JsonLinesUsageSink sink() {
      return sink;
    }

    /** The directory. */
    public Path directory() {
      return directory;
    }

    /** Closes the sink and deletes the directory with its files. */
    @Override
    public void close() {
      sink.close();
      try (Stream<Path> paths = Files.walk(directory)) {
        for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the usage files in " + directory, e);
      }
    }
  }

  /**
   * The arm's usage sink: counts calls, cache hits, calls with a cost and tokens, as a sink
   * feeding billing would read them. Thread-safe.
   */
  public static final class Tally implements UsageSink {
    private final LongAdder records = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder priced = new LongAdder();
    private final LongAdder tokens = new LongAdder();

    @Override
    public void accept(UsageRecord record) {
      records.increment();
      if (record.cacheHit()) {
        cacheHits.increment();
      }
      if (record.cost() != null) {
        priced.increment();
      }
      tokens.add(record.usage().totalTokens());
    }

    /** Usage records received: one per call. */
    public long records() {
      return records.sum();
    }

    /** Calls the cache answered. */
    public long cacheHits() {
      return cacheHits.sum();
    }

    /** Calls whose cost was known. */
    public long priced() {
      return priced.sum();
    }

    /** Tokens of every call, summed. */
    public long tokens() {
      return tokens.sum();
    }

    /**
     * Throws when a call hit the cache or had no cost: the arm would not have measured what it
     * claims.
     *
     * @param arm the arm's name, for the message
     */
    public void checkEveryCallMissedAndWasPriced(String arm) {
      long n = records();
      if (cacheHits() > 0 || priced() != n) {
        throw new IllegalStateException(arm + ": of " + n + " calls " + cacheHits()
            + " hit the cache and " + (n - priced()) + " had no cost; every call must miss"
            + " and be priced");
      }
    }
  }
}
