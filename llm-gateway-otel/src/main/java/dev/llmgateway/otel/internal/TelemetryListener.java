package dev.llmgateway.otel.internal;

import static dev.llmgateway.otel.GenAiConventions.ERROR_TYPE;
import static dev.llmgateway.otel.GenAiConventions.GW_ALIAS;
import static dev.llmgateway.otel.GenAiConventions.GW_TEAM;
import static dev.llmgateway.otel.GenAiConventions.GW_VARIANT;
import static dev.llmgateway.otel.GenAiConventions.OPERATION_NAME;
import static dev.llmgateway.otel.GenAiConventions.PROVIDER_NAME;
import static dev.llmgateway.otel.GenAiConventions.REQUEST_MODEL;
import static dev.llmgateway.otel.GenAiConventions.RESPONSE_MODEL;
import static dev.llmgateway.otel.GenAiConventions.SERVER_ADDRESS;
import static dev.llmgateway.otel.GenAiConventions.SERVER_PORT;
import static dev.llmgateway.otel.GenAiConventions.TOKEN_TYPE;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallKind;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.Principal;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.Usage;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.otel.GenAiConventions;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.GatewayListener;
import dev.llmgateway.spi.ProviderIdentity;
import dev.llmgateway.GatewayRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The listener: a call span per call, a CLIENT span per attempt under it, trace context into each
 * attempt's headers, and the metrics when the call ends. With neither tracing nor metrics on (the
 * no-op API) every callback returns at once, allocating nothing. Thread-safe: per-call state lives
 * on the call ({@link CallTrace}); the rest is immutable or lock-free.
 */
public final class TelemetryListener implements GatewayListener {
  private static final int MAX_ATTRIBUTE_CHARS = 256;
  private static final AttributeKey<String> K_OPERATION = AttributeKey.stringKey(OPERATION_NAME);
  private static final AttributeKey<String> K_PROVIDER = AttributeKey.stringKey(PROVIDER_NAME);
  private static final AttributeKey<String> K_REQUEST_MODEL = AttributeKey.stringKey(REQUEST_MODEL);
  private static final AttributeKey<String> K_RESPONSE_MODEL =
      AttributeKey.stringKey(RESPONSE_MODEL);
  private static final AttributeKey<String> K_SERVER_ADDRESS =
      AttributeKey.stringKey(SERVER_ADDRESS);
  private static final AttributeKey<Long> K_SERVER_PORT = AttributeKey.longKey(SERVER_PORT);
  private static final AttributeKey<String> K_ERROR_TYPE = AttributeKey.stringKey(ERROR_TYPE);
  private static final AttributeKey<String> K_TOKEN_TYPE = AttributeKey.stringKey(TOKEN_TYPE);
  private static final AttributeKey<String> K_TEAM = AttributeKey.stringKey(GW_TEAM);
  private static final AttributeKey<String> K_ALIAS = AttributeKey.stringKey(GW_ALIAS);
  private static final AttributeKey<String> K_VARIANT = AttributeKey.stringKey(GW_VARIANT);
  private static final AttributeKey<String> K_OUTCOME =
      AttributeKey.stringKey(GenAiConventions.GW_OUTCOME);
  private static final AttributeKey<List<String>> K_FINISH_REASONS =
      AttributeKey.stringArrayKey(GenAiConventions.RESPONSE_FINISH_REASONS);
  private static final TextMapSetter<AttemptContext> HEADERS = (attempt, name, value) -> {
    if (attempt != null) {
      attempt.header(name, value);
    }
  };

  private final @Nullable Tracer tracer;
  private final @Nullable Meter meter;
  private final TextMapPropagator propagator;
  private final @Nullable ContentJson content;
  private final Cardinality teams;
  private final Cardinality aliases;
  private final Cardinality variants;
  private final @Nullable LongHistogram tokenUsage;
  private final @Nullable DoubleHistogram duration;
  private final @Nullable DoubleHistogram timeToFirstChunk;
  private final @Nullable DoubleCounter cost;
  private final @Nullable LongCounter errors;

  /**
   * @param tracer the tracer, or null when tracing is off
   * @param meter the meter, or null when metrics are off
   * @param content the content writer when content capture is on, else null
   */
  public TelemetryListener(@Nullable Tracer tracer, @Nullable Meter meter,
      TextMapPropagator propagator, @Nullable ContentJson content, Cardinality teams,
      Cardinality aliases, Cardinality variants) {
    this.tracer = tracer;
    this.meter = meter;
    this.propagator = propagator;
    this.content = content;
    this.teams = teams;
    this.aliases = aliases;
    this.variants = variants;
    if (meter != null) {
      tokenUsage = meter.histogramBuilder(GenAiConventions.METRIC_TOKEN_USAGE).ofLongs()
          .setUnit("{token}").setDescription("Number of input and output tokens used.")
          .setExplicitBucketBoundariesAdvice(GenAiConventions.TOKEN_USAGE_BUCKETS).build();
      duration = meter.histogramBuilder(GenAiConventions.METRIC_OPERATION_DURATION)
          .setUnit("s").setDescription("GenAI operation duration.")
          .setExplicitBucketBoundariesAdvice(GenAiConventions.DURATION_BUCKETS).build();
      timeToFirstChunk = meter.histogramBuilder(GenAiConventions.METRIC_TIME_TO_FIRST_CHUNK)
          .setUnit("s").setDescription("Time to receive the first chunk of a stream.")
          .setExplicitBucketBoundariesAdvice(GenAiConventions.DURATION_BUCKETS).build();
      cost = meter.counterBuilder(GenAiConventions.METRIC_COST).ofDoubles().setUnit("{USD}")
          .setDescription("US dollars spent on calls, by the gateway's price table.").build();
      errors = meter.counterBuilder(GenAiConventions.METRIC_ERRORS).setUnit("{call}")
          .setDescription("Calls that ended in an error or a refusal, by error type.").build();
    } else {
      tokenUsage = null;
      duration = null;
      timeToFirstChunk = null;
      cost = null;
      errors = null;
    }
  }

  /** Whether this listener records anything. */
  public boolean enabled() {
    return tracer != null || meter != null;
  }

  @Override
  public void onCallStart(CallContext call) {
    if (tracer == null && meter == null) {
      return;
    }
    Context parent = Context.current();
    Span span = Span.getInvalid();
    if (tracer != null) {
      String alias = aliases.bound(call.requestedModel());
      span = tracer.spanBuilder(GenAiConventions.CALL_SPAN_PREFIX + alias)
          .setParent(parent)
          .setSpanKind(SpanKind.INTERNAL)
          .setAttribute(GenAiConventions.GW_ALIAS, cut(call.requestedModel()))
          .setAttribute(GenAiConventions.GW_CALL_ID, call.callId())
          .startSpan();
    }
    call.tag(CallTrace.class, new CallTrace(span, parent.with(span)));
  }

  @Override
  public void onAttemptStart(CallContext call, AttemptContext attempt, GatewayRequest request) {
    CallTrace trace = tracer == null && meter == null ? null : call.tag(CallTrace.class);
    if (trace == null) {
      return;
    }
    Deployment deployment = attempt.deployment();
    ProviderIdentity id = attempt.provider();
    String vendor = id != null ? id.vendor() : deployment.provider();
    String host = id != null ? id.host() : null;
    int port = id != null ? id.port() : -1;
    Span span = Span.getInvalid();
    if (tracer != null) {
      String operation = operation(call.kind());
      SpanBuilder b = tracer.spanBuilder(operation + " " + deployment.model())
          .setParent(trace.context)
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute(OPERATION_NAME, operation)
          .setAttribute(PROVIDER_NAME, vendor)
          .setAttribute(REQUEST_MODEL, deployment.model())
          .setAttribute(GenAiConventions.GW_ATTEMPT_NUMBER, (long) attempt.number());
      if (host != null) {
        b.setAttribute(SERVER_ADDRESS, host).setAttribute(SERVER_PORT, (long) port);
      }
      if (call.kind() == CallKind.STREAM) {
        b.setAttribute(GenAiConventions.REQUEST_STREAM, true);
      }
      if (request instanceof ChatRequest chat) {
        if (chat.maxOutputTokens() != null) {
          b.setAttribute(GenAiConventions.REQUEST_MAX_TOKENS, (long) chat.maxOutputTokens());
        }
        if (chat.temperature() != null) {
          b.setAttribute(GenAiConventions.REQUEST_TEMPERATURE, chat.temperature());
        }
        if (chat.topP() != null) {
          b.setAttribute(GenAiConventions.REQUEST_TOP_P, chat.topP());
        }
        if (chat.seed() != null) {
          b.setAttribute(GenAiConventions.REQUEST_SEED, chat.seed());
        }
      }
      span = b.startSpan();
      ContentJson json = content;
      if (json != null) {
        String system = json.systemInstructions(request);
        if (system != null) {
          span.setAttribute(GenAiConventions.SYSTEM_INSTRUCTIONS, system);
        }
        span.setAttribute(GenAiConventions.INPUT_MESSAGES, json.inputMessages(request));
      }
      propagator.inject(trace.context.with(span), attempt, HEADERS);
    }
    trace.started(new CallTrace.AttemptTrace(attempt.number(), span, System.nanoTime(), vendor,
        host, port));
  }

  @Override
  public void onAttemptEnd(CallContext call, AttemptContext context, Attempt attempt,
      @Nullable CallResult answer) {
    CallTrace trace = tracer == null && meter == null ? null : call.tag(CallTrace.class);
    if (trace == null) {
      return;
    }
    CallTrace.AttemptTrace running = trace.take(context.number());
    if (running == null) {
      return;
    }
    String responseModel = null;
    Span span = running.span();
    if (answer instanceof ChatResponse r) {
      responseModel = r.servedModel();
    }
    Usage usage = attempt.usage();
    String outcome = attempt.outcome().name().toLowerCase(Locale.ROOT);
    if (span.isRecording()) {
      span.setAttribute(GenAiConventions.GW_ATTEMPT_KIND,
          attempt.kind().name().toLowerCase(Locale.ROOT));
      span.setAttribute(K_OUTCOME, outcome);
      tokens(span, usage);
      if (attempt.httpStatus() != null) {
        span.setAttribute(GenAiConventions.HTTP_RESPONSE_STATUS_CODE,
            (long) attempt.httpStatus());
      }
      if (answer instanceof ChatResponse r) {
        if (r.providerResponseId() != null) {
          span.setAttribute(GenAiConventions.RESPONSE_ID, cut(r.providerResponseId()));
        }
        if (responseModel != null) {
          span.setAttribute(K_RESPONSE_MODEL, responseModel);
        }
        span.setAttribute(K_FINISH_REASONS, List.of(ContentJson.finishReason(r.finishReason())));
        long first = trace.firstTokenNanos();
        if (call.kind() == CallKind.STREAM && first >= running.startNanos()) {
          span.setAttribute(GenAiConventions.RESPONSE_TIME_TO_FIRST_CHUNK,
              seconds(first - running.startNanos()));
        }
        ContentJson json = content;
        if (json != null) {
          span.setAttribute(GenAiConventions.OUTPUT_MESSAGES, json.outputMessages(r));
        }
      }
      if (attempt.outcome() == Attempt.Outcome.FAILED) {
        String type = attempt.errorType() != null ? attempt.errorType()
            : GenAiConventions.ERROR_OTHER;
        span.setAttribute(K_ERROR_TYPE, type);
        span.setStatus(StatusCode.ERROR, type);
      }
      span.end();
    }
    CallTrace.AttemptFacts facts = new CallTrace.AttemptFacts(operation(call.kind()),
        running.vendor(), attempt.deployment().model(), responseModel, running.host(),
        running.port(), seconds(attempt.latency().toNanos()), usage.inputTokens(),
        usage.outputTokens(),
        attempt.outcome() == Attempt.Outcome.FAILED
            ? (attempt.errorType() != null ? attempt.errorType() : GenAiConventions.ERROR_OTHER)
            : null,
        attempt.outcome() != Attempt.Outcome.SKIPPED);
    Attributes late = trace.ended(facts);
    if (late != null) {
      recordAttempt(facts, late);
    }
  }

  @Override
  public void onFirstToken(CallContext call, Duration timeToFirstToken) {
    CallTrace trace = tracer == null && meter == null ? null : call.tag(CallTrace.class);
    if (trace != null) {
      trace.firstToken(call.startNanos() + timeToFirstToken.toNanos());
    }
  }

  @Override
  public void onCallEnd(CallContext call, UsageRecord record) {
    CallTrace trace = tracer == null && meter == null ? null : call.tag(CallTrace.class);
    if (trace == null) {
      return;
    }
    Principal principal = record.principal();
    String team = principal == null ? null : principal.teamId();
    Span span = trace.span;
    if (span.isRecording()) {
      span.setAttribute(K_OUTCOME, record.outcome().name().toLowerCase(Locale.ROOT));
      span.setAttribute(GenAiConventions.GW_CACHE_HIT, record.cacheHit());
      if (team != null) {
        span.setAttribute(K_TEAM, cut(team));
      }
      if (record.variant() != null) {
        span.setAttribute(K_VARIANT, cut(record.variant()));
      }
      RoutingDecision routing = record.routing();
      if (routing != null && !routing.path().isEmpty()) {
        span.setAttribute(GenAiConventions.GW_DECISION, cut(String.join(" → ", routing.path())));
      }
      if (record.deployment() != null) {
        span.setAttribute(GenAiConventions.GW_DEPLOYMENT, cut(record.deployment().toString()));
      }
      if (record.cost() != null) {
        span.setAttribute(GenAiConventions.GW_COST, record.cost().doubleValue());
      }
      if (record.refusal() != null) {
        span.setAttribute(GenAiConventions.GW_REFUSAL,
            record.refusal().name().toLowerCase(Locale.ROOT));
      }
      if (failed(record.outcome())) {
        String type = record.errorType() != null ? record.errorType()
            : GenAiConventions.ERROR_OTHER;
        span.setAttribute(K_ERROR_TYPE, type);
        span.setStatus(StatusCode.ERROR, type);
      }
      span.end();
    }
    Attributes callAttributes = callAttributes(team, record.requestedModel(), record.variant());
    List<CallTrace.AttemptFacts> attempts = trace.end(callAttributes);
    if (meter == null) {
      return;
    }
    CallTrace.AttemptFacts served = null;
    for (CallTrace.AttemptFacts facts : attempts) {
      recordAttempt(facts, callAttributes);
      if (facts.errorType() == null && facts.counted()) {
        served = facts;
      }
    }
    Duration ttft = record.timeToFirstToken();
    if (ttft != null && served != null && timeToFirstChunk != null) {
      timeToFirstChunk.record(seconds(ttft.toNanos()),
          operationAttributes(served, callAttributes).build());
    }
    if (record.cost() != null && record.cost().signum() > 0 && cost != null) {
      cost.add(record.cost().doubleValue(), callAttributes);
    }
    if (failed(record.outcome()) && errors != null) {
      errors.add(1, callAttributes.toBuilder()
          .put(K_ERROR_TYPE,
              record.errorType() != null ? record.errorType() : GenAiConventions.ERROR_OTHER)
          .put(K_OUTCOME, record.outcome().name().toLowerCase(Locale.ROOT))
          .build());
    }
  }

  private void recordAttempt(CallTrace.AttemptFacts facts, Attributes callAttributes) {
    if (!facts.counted() || duration == null || tokenUsage == null) {
      return;
    }
    AttributesBuilder b = operationAttributes(facts, callAttributes);
    if (facts.errorType() != null) {
      b.put(K_ERROR_TYPE, facts.errorType());
    }
    duration.record(facts.seconds(), b.build());
    if (facts.inputTokens() > 0 || facts.outputTokens() > 0) {
      Attributes base = operationAttributes(facts, callAttributes).build();
      tokenUsage.record(facts.inputTokens(),
          base.toBuilder().put(K_TOKEN_TYPE, GenAiConventions.TOKEN_INPUT).build());
      tokenUsage.record(facts.outputTokens(),
          base.toBuilder().put(K_TOKEN_TYPE, GenAiConventions.TOKEN_OUTPUT).build());
    }
  }

  private static AttributesBuilder operationAttributes(CallTrace.AttemptFacts facts,
      Attributes callAttributes) {
    AttributesBuilder b = callAttributes.toBuilder()
        .put(K_OPERATION, facts.operation())
        .put(K_PROVIDER, facts.vendor())
        .put(K_REQUEST_MODEL, facts.requestModel());
    if (facts.responseModel() != null) {
      b.put(K_RESPONSE_MODEL, facts.responseModel());
    }
    if (facts.host() != null) {
      b.put(K_SERVER_ADDRESS, facts.host()).put(K_SERVER_PORT, (long) facts.port());
    }
    return b;
  }

  private Attributes callAttributes(@Nullable String team, String alias,
      @Nullable String variant) {
    AttributesBuilder b = Attributes.builder();
    String t = teams.bound(team);
    if (t != null) {
      b.put(K_TEAM, t);
    }
    String a = aliases.bound(alias);
    if (a != null) {
      b.put(K_ALIAS, a);
    }
    String v = variants.bound(variant);
    if (v != null) {
      b.put(K_VARIANT, v);
    }
    return b.build();
  }

  private static void tokens(Span span, Usage usage) {
    span.setAttribute(GenAiConventions.USAGE_INPUT_TOKENS, usage.inputTokens());
    span.setAttribute(GenAiConventions.USAGE_OUTPUT_TOKENS, usage.outputTokens());
    if (usage.cachedInputTokens() > 0) {
      span.setAttribute(GenAiConventions.USAGE_CACHE_READ_INPUT_TOKENS, usage.cachedInputTokens());
    }
    if (usage.cacheWriteTokens() > 0) {
      span.setAttribute(GenAiConventions.USAGE_CACHE_CREATION_INPUT_TOKENS,
          usage.cacheWriteTokens());
    }
    if (usage.reasoningTokens() > 0) {
      span.setAttribute(GenAiConventions.USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningTokens());
    }
    if (usage.estimated()) {
      span.setAttribute(GenAiConventions.GW_USAGE_ESTIMATED, true);
    }
  }

  private static boolean failed(UsageRecord.Outcome outcome) {
    return outcome == UsageRecord.Outcome.FAILED || outcome == UsageRecord.Outcome.STREAM_FAILED
        || outcome == UsageRecord.Outcome.REFUSED;
  }

  private static String operation(CallKind kind) {
    return kind == CallKind.EMBED ? GenAiConventions.OPERATION_EMBEDDINGS
        : GenAiConventions.OPERATION_CHAT;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String cut(String value) {
    return value.length() <= MAX_ATTRIBUTE_CHARS ? value : value.substring(0, MAX_ATTRIBUTE_CHARS);
  }
}
