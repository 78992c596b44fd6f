package dev.llmgateway.otel;

import java.util.List;

/**
 * Every name this module writes: the pinned release of the OpenTelemetry GenAI semantic
 * conventions, its attributes, metrics and well-known values, and the gateway's own {@code
 * llm_gateway.*} names. Moving to a newer release is a change to this class.
 *
 * <p>Pinned: semantic conventions <b>1.41.0</b> (schema URL {@value #SCHEMA_URL}), the last release
 * of open-telemetry/semantic-conventions that holds the GenAI conventions (they moved to their own
 * repository afterwards): {@code docs/gen-ai/gen-ai-spans.md}, {@code gen-ai-metrics.md} and
 * {@code docs/registry/attributes/gen-ai.md} at tag {@code v1.41.0}. That release names the provider
 * {@code gen_ai.provider.name} (since 1.37.0), records content in the opt-in attributes {@code
 * gen_ai.input.messages}, {@code gen_ai.output.messages} and {@code gen_ai.system_instructions}
 * (as JSON strings on spans), and defines {@code gen_ai.client.operation.time_to_first_chunk}.
 * The names are written here rather than taken from the incubating semconv jar, whose names change
 * between its releases.
 *
 * <p>Constants only; thread-safe.
 */
public final class GenAiConventions {
  /** The pinned release. */
  public static final String VERSION = "1.41.0";
  /** The pinned release's schema URL, set on the tracer and the meter. */
  public static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.41.0";
  /** The instrumentation scope name of the tracer and meter. */
  public static final String SCOPE = "dev.llmgateway.otel";

  // GenAI attributes (registry: gen-ai.md)
  /** {@code chat}, {@code embeddings}, ... */
  public static final String OPERATION_NAME = "gen_ai.operation.name";
  /** The provider, as a well-known value where one applies. */
  public static final String PROVIDER_NAME = "gen_ai.provider.name";
  /** The model the request is made to. */
  public static final String REQUEST_MODEL = "gen_ai.request.model";
  /** The model that answered. */
  public static final String RESPONSE_MODEL = "gen_ai.response.model";
  /** The provider's id for the completion. */
  public static final String RESPONSE_ID = "gen_ai.response.id";
  /** Why the model stopped, one per choice. */
  public static final String RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
  /** Seconds from the request to a stream's first chunk. */
  public static final String RESPONSE_TIME_TO_FIRST_CHUNK = "gen_ai.response.time_to_first_chunk";
  /** The output token limit asked for. */
  public static final String REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
  /** The temperature asked for. */
  public static final String REQUEST_TEMPERATURE = "gen_ai.request.temperature";
  /** The top_p asked for. */
  public static final String REQUEST_TOP_P = "gen_ai.request.top_p";
  /** The seed asked for. */
  public static final String REQUEST_SEED = "gen_ai.request.seed";
  /** Whether the request streams; set only when it does. */
  public static final String REQUEST_STREAM = "gen_ai.request.stream";
  /** All input tokens, cached ones included. */
  public static final String USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
  /** All output tokens, reasoning included. */
  public static final String USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  /** Input tokens read from the provider's cache. */
  public static final String USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
  /** Input tokens written to the provider's cache. */
  public static final String USAGE_CACHE_CREATION_INPUT_TOKENS =
      "gen_ai.usage.cache_creation.input_tokens";
  /** Output tokens spent on reasoning. */
  public static final String USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
  /** {@code input} or {@code output}, on the token usage metric. */
  public static final String TOKEN_TYPE = "gen_ai.token.type";
  /** Opt-in: the chat history sent, as JSON. */
  public static final String INPUT_MESSAGES = "gen_ai.input.messages";
  /** Opt-in: the model's answer, as JSON. */
  public static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
  /** Opt-in: system instructions, as JSON. */
  public static final String SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";

  // General attributes (stable)
  /** The server's host. */
  public static final String SERVER_ADDRESS = "server.address";
  /** The server's port. */
  public static final String SERVER_PORT = "server.port";
  /** The class of error an operation ended with. */
  public static final String ERROR_TYPE = "error.type";
  /** The HTTP status of the provider's answer. */
  public static final String HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";

  // Well-known values
  /** {@code gen_ai.operation.name} of a chat completion. */
  public static final String OPERATION_CHAT = "chat";
  /** {@code gen_ai.operation.name} of an embeddings call. */
  public static final String OPERATION_EMBEDDINGS = "embeddings";
  /** {@code gen_ai.token.type} of input tokens. */
  public static final String TOKEN_INPUT = "input";
  /** {@code gen_ai.token.type} of output tokens. */
  public static final String TOKEN_OUTPUT = "output";
  /** {@code error.type} when nothing better is known. */
  public static final String ERROR_OTHER = "_OTHER";

  // GenAI metrics (gen-ai-metrics.md)
  /** Histogram of tokens, {@code {token}}. */
  public static final String METRIC_TOKEN_USAGE = "gen_ai.client.token.usage";
  /** Histogram of an operation's duration, seconds. */
  public static final String METRIC_OPERATION_DURATION = "gen_ai.client.operation.duration";
  /** Histogram of a stream's time to its first chunk, seconds. */
  public static final String METRIC_TIME_TO_FIRST_CHUNK =
      "gen_ai.client.operation.time_to_first_chunk";
  /** The bucket advice of {@link #METRIC_TOKEN_USAGE}. */
  public static final List<Long> TOKEN_USAGE_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L,
      4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L, 16777216L, 67108864L);
  /** The bucket advice of the duration and time-to-first-chunk histograms, seconds. */
  public static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32,
      0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  // The gateway's own names
  /** The prefix of the call span's name: {@code llm_gateway {alias}}. */
  public static final String CALL_SPAN_PREFIX = "llm_gateway ";
  /** The gateway's id for the call. */
  public static final String GW_CALL_ID = "llm_gateway.call_id";
  /** The model or alias the caller asked for (bounded on metrics). */
  public static final String GW_ALIAS = "llm_gateway.alias";
  /** The A/B variant the call landed in. */
  public static final String GW_VARIANT = "llm_gateway.variant";
  /** The caller's team. */
  public static final String GW_TEAM = "llm_gateway.team";
  /** Why the call went where it went: the routing path. */
  public static final String GW_DECISION = "llm_gateway.decision";
  /** The deployment that served the call, {@code provider/model}. */
  public static final String GW_DEPLOYMENT = "llm_gateway.deployment";
  /** The attempt's number in its call, from 1. */
  public static final String GW_ATTEMPT_NUMBER = "llm_gateway.attempt.number";
  /** Why the attempt was made: {@code first}, {@code retry}, {@code failover}, {@code hedge}. */
  public static final String GW_ATTEMPT_KIND = "llm_gateway.attempt.kind";
  /** How a call or attempt ended: {@code succeeded}, {@code failed}, {@code cancelled}, ... */
  public static final String GW_OUTCOME = "llm_gateway.outcome";
  /** Whether the gateway's cache answered. */
  public static final String GW_CACHE_HIT = "llm_gateway.cache_hit";
  /** The call's cost in US dollars. */
  public static final String GW_COST = "llm_gateway.cost_usd";
  /** The step that refused a call the gateway refused. */
  public static final String GW_REFUSAL = "llm_gateway.refusal";
  /** Whether the token counts are the gateway's estimate. */
  public static final String GW_USAGE_ESTIMATED = "llm_gateway.usage.estimated";
  /** The value of a bounded attribute past its limit. */
  public static final String OTHER = "other";

  // The gateway's metrics
  /** Counter of US dollars spent. */
  public static final String METRIC_COST = "llm_gateway.client.cost";
  /** Counter of calls that ended in an error or a refusal, by {@code error.type}. */
  public static final String METRIC_ERRORS = "llm_gateway.client.errors";

  private GenAiConventions() {}
}
