package dev.llmgateway.core;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Captures every line the gateway logs (everything under {@code dev.llmgateway}, DEBUG and up, the
 * content logger included) in memory while open, and keeps it off the console. Not thread-safe to
 * open twice at once; the lines themselves may come from any thread.
 */
final class LogCapture implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.llmgateway");
  private final Level level = logger.getLevel();
  private final boolean additive = logger.isAdditive();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing(); // takes the MDC of the logging thread now
      super.append(event);
    }
  };

  LogCapture() {
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.DEBUG);
    logger.setAdditive(false);
  }

  /** The lines so far, in the order they were logged. */
  List<ILoggingEvent> lines() {
    synchronized (appender) { // AppenderBase.doAppend appends under this lock
      return List.copyOf(appender.list);
    }
  }

  /** The lines so far that match. */
  List<ILoggingEvent> lines(Predicate<ILoggingEvent> which) {
    return lines().stream().filter(which).toList();
  }

  /** Lines at INFO or above. */
  static boolean infoOrAbove(ILoggingEvent e) {
    return e.getLevel().isGreaterOrEqual(Level.INFO);
  }

  /** Lines whose text names {@code text}. */
  static Predicate<ILoggingEvent> naming(String text) {
    return e -> e.getFormattedMessage().contains(text);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(level);
    logger.setAdditive(additive);
    appender.stop();
  }
}
