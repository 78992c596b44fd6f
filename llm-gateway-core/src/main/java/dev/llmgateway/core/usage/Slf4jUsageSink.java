package dev.llmgateway.core.usage;

import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.UsageSink;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Logs one line per call through SLF4J: the record's one-line {@link UsageRecord#toString()}
 * ({@code UsageRecord[call cd4q-2 CHAT SUCCEEDED smart → openai/gpt-4.1, 1 attempt, 96 in, 9 out,
 * $0.000264, ...]}), which never prints a raw end-user id (the principal prints {@code
 * user=<redacted>}), a key, a prompt or an answer. At INFO to the logger {@value #DEFAULT_LOGGER}
 * unless told otherwise; nothing is formatted when the level is off.
 *
 * <p>Register it asynchronously ({@code GatewayBuilder.usageSink(sink)} does, with a dropping
 * queue): logging is where a gap is better than a wait. Thread-safe.
 */
public final class Slf4jUsageSink implements UsageSink {
  /** The logger name of {@link #create()}. */
  public static final String DEFAULT_LOGGER = "dev.llmgateway.usage";

  private final Logger logger;
  private final Level level;

  private Slf4jUsageSink(Logger logger, Level level) {
    this.logger = logger;
    this.level = level;
  }

  /** Logs at INFO to {@value #DEFAULT_LOGGER}. */
  public static Slf4jUsageSink create() {
    return of(DEFAULT_LOGGER, Level.INFO);
  }

  /**
   * Logs at {@code level} to the logger named {@code loggerName}.
   *
   * @throws IllegalArgumentException when {@code loggerName} is blank
   */
  public static Slf4jUsageSink of(String loggerName, Level level) {
    Objects.requireNonNull(loggerName, "loggerName");
    Objects.requireNonNull(level, "level");
    if (loggerName.isBlank()) {
      throw new IllegalArgumentException("loggerName must not be blank");
    }
    return new Slf4jUsageSink(LoggerFactory.getLogger(loggerName), level);
  }

  @Override
  public void accept(UsageRecord record) {
    if (logger.isEnabledForLevel(level)) {
      logger.atLevel(level).log("{}", record);
    }
  }

  @Override
  public String toString() {
    return "Slf4jUsageSink[" + logger.getName() + " at " + level + "]";
  }
}
