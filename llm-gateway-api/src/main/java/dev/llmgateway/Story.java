package dev.llmgateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How the api's values print: durations in milliseconds, costs in dollars in plain notation (never
 * {@code 8E-8}), token counts without their zero fields, attempts on one line, and the multi-line
 * story a response or usage record tells ({@link ChatResponse#story()}, {@link
 * EmbeddingResponse#story()}, {@link UsageRecord#story()}). Nothing here prints a message's text,
 * a key or a raw end-user id: the values it prints hold none (a principal prints itself redacted,
 * attempt reasons are the transports' safe texts).
 *
 * <p>A story is built line by line: a head line, then indented labelled lines. Not thread-safe.
 */
final class Story {
  /** The width of a label with its colon, so that the values line up. */
  private static final int LABEL_WIDTH = 10;

  private final StringBuilder text = new StringBuilder(256);

  private Story(String head) {
    text.append(head);
  }

  /** A story whose first line is {@code head}. */
  static Story headed(String head) {
    return new Story(head);
  }

  /** The head line of a call: who served it, how fast. */
  static String head(String callId, @Nullable Deployment deployment, @Nullable String servedModel,
      boolean cacheHit, Duration latency, @Nullable Duration timeToFirstToken) {
    StringBuilder s = new StringBuilder(96);
    s.append(callId.isEmpty() ? "answer" : "call " + callId);
    if (deployment == null) {
      s.append(" answered by an interceptor");
    } else {
      s.append(" served by ").append(deployment);
      if (servedModel != null && !servedModel.equals(deployment.model())) {
        s.append(" (model ").append(servedModel).append(')');
      }
    }
    if (cacheHit) {
      s.append(" from the cache");
    }
    s.append(" in ").append(millis(latency));
    if (timeToFirstToken != null) {
      s.append(", first token after ").append(millis(timeToFirstToken));
    }
    return s.toString();
  }

  /** Adds a labelled line. */
  Story line(String label, String value) {
    text.append("\n  ").append(label).append(':');
    for (int i = label.length() + 1; i < LABEL_WIDTH; i++) {
      text.append(' ');
    }
    text.append(' ').append(value);
    return this;
  }

  /** Adds the routing decision's line, when there is one. */
  Story route(@Nullable RoutingDecision routing) {
    return routing == null ? this : line("route", routing.explain());
  }

  /**
   * Adds one line per attempt. Skipped candidates get theirs only without a routing decision (the
   * decision lists them with their reasons).
   */
  Story attempts(List<Attempt> attempts, boolean routed) {
    for (Attempt a : attempts) {
      if (a.outcome() == Attempt.Outcome.SKIPPED) {
        if (!routed) {
          line("skipped", a.deployment() + (a.reason() == null ? "" : ": " + a.reason()));
        }
      } else {
        line("attempt " + a.number(), attempt(a, false));
      }
    }
    return this;
  }

  /** Adds the tokens and cost lines. */
  Story tokensAndCost(Usage usage, @Nullable BigDecimal cost) {
    line("tokens", usage.describe());
    return line("cost", cost == null ? "unknown (no price for a deployment it used)"
        : dollars(cost));
  }

  /** Adds a line per policy verdict: {@code policy:    pii: redacted (EMAIL x2 placeholder)}. */
  Story policies(java.util.List<PolicyVerdict> policies) {
    for (PolicyVerdict p : policies) {
      line("policy", p.policy() + ": " + p.verdict()
          + (p.detail() == null ? "" : " (" + p.detail() + ")"));
    }
    return this;
  }

  @Override
  public String toString() {
    return text.toString();
  }

  /**
   * An attempt on one line: {@code anthropic/claude-sonnet-4-5 (retry) FAILED HTTP 529 in 9.56 ms:
   * ProviderOverloadedException: Overloaded; retrying in 899 ms}, with its tokens when asked.
   */
  static String attempt(Attempt a, boolean withUsage) {
    StringBuilder s = new StringBuilder(96).append(a.deployment());
    if (a.kind() != Attempt.Kind.FIRST) {
      s.append(" (").append(a.kind().name().toLowerCase(Locale.ROOT)).append(')');
    }
    s.append(' ').append(a.outcome());
    if (a.httpStatus() != null) {
      s.append(" HTTP ").append(a.httpStatus());
    }
    if (a.outcome() != Attempt.Outcome.SKIPPED) {
      s.append(" in ").append(millis(a.latency()));
    }
    if (withUsage && !a.usage().equals(Usage.ZERO)) {
      s.append(", ").append(a.usage().describe());
    }
    if (a.errorType() != null || a.reason() != null) {
      s.append(": ");
      if (a.errorType() != null) {
        s.append(a.errorType()).append(a.reason() == null ? "" : ": ");
      }
      if (a.reason() != null) {
        s.append(a.reason());
      }
    }
    return s.toString();
  }

  /**
   * Dollars in plain notation without trailing zeros: {@code $0.00000008}, never {@code $8E-8} or
   * {@code $0.0000000800}.
   */
  static String dollars(BigDecimal cost) {
    return "$" + (cost.signum() == 0 ? "0" : cost.stripTrailingZeros().toPlainString());
  }

  /** A duration in milliseconds with two decimals ({@code 41.52 ms}); seconds from 10 s on. */
  static String millis(Duration d) {
    double seconds = d.getSeconds() + d.getNano() / 1e9;
    return seconds < 10
        ? String.format(Locale.ROOT, "%.2f ms", seconds * 1e3)
        : String.format(Locale.ROOT, "%.2f s", seconds);
  }
}
