package dev.llmgateway.otel;

import dev.llmgateway.otel.internal.Cardinality;
import dev.llmgateway.otel.internal.ContentJson;
import dev.llmgateway.otel.internal.TelemetryListener;
import dev.llmgateway.spi.GatewayListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry for a gateway, after the GenAI semantic conventions {@value
 * GenAiConventions#VERSION} ({@link GenAiConventions}): a {@link GatewayListener} to register with
 * {@code GatewayBuilder.listener(...)}.
 *
 * <pre>{@code
 * GenAiTelemetry telemetry = GenAiTelemetry.builder(openTelemetry).build();
 * Gateway gateway = Gateway.builder().provider(openai).listener(telemetry.listener()).build();
 * }</pre>
 *
 * <p><b>Spans.</b> One {@code INTERNAL} span per call, named {@code llm_gateway {alias}}, a child of
 * the span current on the thread that starts the call ({@code chatAsync} starts it on the gateway's
 * executor: give the builder an executor wrapped by {@code Context.taskWrapping} to keep the
 * caller's context); under it one {@code CLIENT} span per provider attempt, named {@code
 * {gen_ai.operation.name} {gen_ai.request.model}}, carrying the request's settings, the answer's
 * id, model and finish reason and the attempt's token usage (only attempts carry usage, so nothing
 * is counted twice). Hedged attempts are siblings; the loser ends with status UNSET and {@code
 * llm_gateway.outcome=cancelled}; a failed attempt has status ERROR and {@code error.type} (the
 * simple name of the gateway's exception, e.g. {@code RateLimitedException}). The call span
 * carries the gateway's attributes ({@code llm_gateway.*}: alias, variant, routing decision,
 * served deployment, cache hit, cost, team, outcome, refusal). Each attempt's HTTP request carries
 * the attempt span's context ({@code traceparent}, W3C, unless {@link
 * Builder#propagator(TextMapPropagator)} says otherwise).
 *
 * <p><b>Metrics</b>, recorded when the call ends: {@code gen_ai.client.token.usage} and {@code
 * gen_ai.client.operation.duration} per attempt, {@code gen_ai.client.operation.time_to_first_chunk}
 * per stream, {@code llm_gateway.client.cost} (US dollars) and {@code llm_gateway.client.errors}
 * per call, each with the caller's team, the requested alias and the A/B variant, whose values are
 * bounded: an allow-list, or the first 100 distinct values of each, the rest counted as {@code
 * other}.
 *
 * <p><b>Content</b> (prompts and answers) is recorded only with {@link Builder#captureContent}, on
 * attempt spans as the convention's opt-in attributes, and only as the provider saw it: the
 * attempt's request after every input step (a PII policy's placeholders, not the caller's text)
 * and the provider's answer before any output step restored it. API keys and tokens never reach a
 * listener.
 *
 * <p>No SDK is needed at run time: with the no-op API ({@code OpenTelemetry.noop()}) the listener
 * does nothing and allocates nothing. Immutable and thread-safe; one instance may serve many
 * gateways.
 */
public final class GenAiTelemetry {
  private final TelemetryListener listener;

  private GenAiTelemetry(Builder b) {
    OpenTelemetry otel = b.openTelemetry;
    TracerProvider tracers = otel.getTracerProvider();
    MeterProvider meters = otel.getMeterProvider();
    Tracer tracer = tracers == TracerProvider.noop() ? null
        : tracers.tracerBuilder(GenAiConventions.SCOPE)
            .setSchemaUrl(GenAiConventions.SCHEMA_URL).build();
    Meter meter = meters == MeterProvider.noop() ? null
        : meters.meterBuilder(GenAiConventions.SCOPE)
            .setSchemaUrl(GenAiConventions.SCHEMA_URL).build();
    TextMapPropagator propagator = b.propagator;
    if (propagator == null) {
      TextMapPropagator configured = otel.getPropagators().getTextMapPropagator();
      propagator = configured.fields().isEmpty() ? W3CTraceContextPropagator.getInstance()
          : configured;
    }
    this.listener = new TelemetryListener(tracer, meter, propagator,
        b.captureContent ? new ContentJson(b.maxContentChars) : null,
        new Cardinality(b.teams, b.maxDistinctValues),
        new Cardinality(b.aliases, b.maxDistinctValues),
        new Cardinality(b.variants, b.maxDistinctValues));
  }

  /** Telemetry over {@code openTelemetry} with the defaults (no content, 100 values each). */
  public static GenAiTelemetry create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /** A builder over {@code openTelemetry} (the SDK, {@code GlobalOpenTelemetry.get()}, or noop). */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(openTelemetry);
  }

  /** The listener to register with {@code GatewayBuilder.listener(...)}. */
  public GatewayListener listener() {
    return listener;
  }

  /** Whether anything is recorded: false over the no-op API. */
  public boolean isEnabled() {
    return listener.enabled();
  }

  @Override
  public String toString() {
    return "GenAiTelemetry[semconv " + GenAiConventions.VERSION + ", "
        + (listener.enabled() ? "enabled" : "no-op") + "]";
  }

  /** Configures a {@link GenAiTelemetry}. Not thread-safe; reusable. */
  public static final class Builder {
    /** The most characters of one captured text. */
    public static final int MAX_CONTENT_CHARS = 1 << 20;
    /** The most distinct values of a bounded attribute. */
    public static final int MAX_DISTINCT_VALUES = 10_000;

    private final OpenTelemetry openTelemetry;
    private boolean captureContent;
    private int maxContentChars = 8192;
    private int maxDistinctValues = 100;
    private @Nullable Set<String> teams;
    private @Nullable Set<String> aliases;
    private @Nullable Set<String> variants;
    private @Nullable TextMapPropagator propagator;

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    }

    /**
     * Records prompts and answers on attempt spans ({@code gen_ai.input.messages}, {@code
     * gen_ai.output.messages}, {@code gen_ai.system_instructions}); off by default. Only what the
     * provider saw is recorded (see the class description).
     */
    public Builder captureContent(boolean captureContent) {
      this.captureContent = captureContent;
      return this;
    }

    /**
     * The most characters of one captured text (8,192 by default); longer ones are cut.
     *
     * @throws IllegalArgumentException unless 1 to {@value #MAX_CONTENT_CHARS}
     */
    public Builder maxContentChars(int maxContentChars) {
      if (maxContentChars < 1 || maxContentChars > MAX_CONTENT_CHARS) {
        throw new IllegalArgumentException("maxContentChars is 1 to " + MAX_CONTENT_CHARS
            + ", was " + maxContentChars);
      }
      this.maxContentChars = maxContentChars;
      return this;
    }

    /**
     * How many distinct teams, aliases and variants each metric attribute keeps without an
     * allow-list (100 by default); later values are counted as {@code other}.
     *
     * @throws IllegalArgumentException unless 1 to {@value #MAX_DISTINCT_VALUES}
     */
    public Builder maxDistinctValues(int maxDistinctValues) {
      if (maxDistinctValues < 1 || maxDistinctValues > MAX_DISTINCT_VALUES) {
        throw new IllegalArgumentException("maxDistinctValues is 1 to " + MAX_DISTINCT_VALUES
            + ", was " + maxDistinctValues);
      }
      this.maxDistinctValues = maxDistinctValues;
      return this;
    }

    /** The only team ids metrics carry; others are {@code other}. */
    public Builder teams(Set<String> teams) {
      this.teams = allowList(teams, "teams");
      return this;
    }

    /** The only aliases (requested models) metrics and call span names carry. */
    public Builder aliases(Set<String> aliases) {
      this.aliases = allowList(aliases, "aliases");
      return this;
    }

    /** The only A/B variants metrics carry. */
    public Builder variants(Set<String> variants) {
      this.variants = allowList(variants, "variants");
      return this;
    }

    /**
     * How trace context goes into each attempt's HTTP headers; by default the {@code
     * OpenTelemetry}'s own propagator, or W3C trace context ({@code traceparent}) when it has none.
     */
    public Builder propagator(TextMapPropagator propagator) {
      this.propagator = Objects.requireNonNull(propagator, "propagator");
      return this;
    }

    /** The telemetry; the builder may be reused. */
    public GenAiTelemetry build() {
      return new GenAiTelemetry(this);
    }

    private Set<String> allowList(Set<String> values, String what) {
      if (values.size() > MAX_DISTINCT_VALUES) {
        throw new IllegalArgumentException(what + " holds at most " + MAX_DISTINCT_VALUES
            + " values, was " + values.size());
      }
      return Set.copyOf(values);
    }
  }
}
