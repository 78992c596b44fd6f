package dev.llmgateway.report.internal;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The parts of one call record the report uses, strings interned per read.
 *
 * @param latencyMicros the call's latency, or -1 when the record has none
 */
public record CallRow(
    String callId,
    long epochMillis,
    Outcome outcome,
    boolean cacheHit,
    @Nullable String errorType,
    @Nullable String team,
    @Nullable String project,
    List<String> tags,
    @Nullable String alias,
    @Nullable String variant,
    @Nullable String provider,
    @Nullable String model,
    long inputTokens,
    long outputTokens,
    long cachedTokens,
    long reasoningTokens,
    @Nullable BigDecimal cost,
    long latencyMicros) {}
