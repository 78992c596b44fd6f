package dev.llmgateway.core.audit;

import dev.llmgateway.AuditEvent;
import dev.llmgateway.spi.AuditSink;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each audit event as one line through SLF4J (logger {@value #LOGGER} by default): denials and
 * refused credentials at WARN, key administration at INFO. The line names the type, the call,
 * the principal as {@link dev.llmgateway.Principal#toString()} prints it (the user redacted), the
 * actor, the subject, the rule and the reason; events carry no credential, so no line does. The
 * gateway's audit sink when none is configured.
 */
public final class Slf4jAuditSink implements AuditSink {
  /** The default logger's name. */
  public static final String LOGGER = "dev.llmgateway.audit";

  private final Logger log;

  private Slf4jAuditSink(Logger log) {
    this.log = log;
  }

  /** Logs to {@value #LOGGER}. */
  public static Slf4jAuditSink create() {
    return new Slf4jAuditSink(LoggerFactory.getLogger(LOGGER));
  }

  /** Logs to the logger named {@code loggerName}. */
  public static Slf4jAuditSink named(String loggerName) {
    return new Slf4jAuditSink(LoggerFactory.getLogger(Objects.requireNonNull(loggerName,
        "loggerName")));
  }

  @Override
  public void accept(AuditEvent e) {
    boolean denial = switch (e.type()) {
      case AUTHENTICATION_FAILED, ACCESS_DENIED, DEPLOYMENT_DENIED -> true;
      default -> false;
    };
    if (denial ? !log.isWarnEnabled() : !log.isInfoEnabled()) {
      return;
    }
    String line = line(e);
    if (denial) {
      log.warn(line);
    } else {
      log.info(line);
    }
  }

  /** The event on one line, e.g. {@code audit ACCESS_DENIED call cd4q-2 ...}. */
  static String line(AuditEvent e) {
    StringBuilder s = new StringBuilder(128).append("audit ").append(e.type());
    if (e.callId() != null) {
      s.append(" call ").append(e.callId());
    }
    if (e.principal() != null) {
      s.append(' ').append(e.principal());
    }
    if (e.actor() != null) {
      s.append(" actor=").append(e.actor());
    }
    if (e.subject() != null) {
      s.append(" subject=").append(e.subject());
    }
    if (e.rule() != null) {
      s.append(" rule=").append(e.rule());
    }
    return s.append(": ").append(e.reason()).toString();
  }
}
