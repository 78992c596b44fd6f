package dev.llmgateway.core.internal.call;

import dev.llmgateway.AuditEvent;
import dev.llmgateway.spi.AuditSink;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's audit trail: hands each {@link AuditEvent} to the configured sinks on the calling
 * thread; a sink that throws is logged (its exception's type only) and skipped. Steps that refuse
 * or filter (authentication, access) and key administration use it. Thread-safe.
 */
public final class Audit {
  private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

  private final AuditSink[] sinks;
  private final Clock clock;

  /** Sinks in order, stamping events with {@code clock}. */
  public Audit(List<AuditSink> sinks, Clock clock) {
    this.sinks = sinks.toArray(new AuditSink[0]);
    this.clock = clock;
  }

  /** The gateway's clock, for events the caller builds. */
  public Clock clock() {
    return clock;
  }

  /** Hands the event to every sink. */
  public void emit(AuditEvent event) {
    for (AuditSink sink : sinks) {
      try {
        sink.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("audit sink {} failed on a {} event: {}", sink.getClass().getName(),
            event.type(), e.getClass().getName());
      }
    }
  }
}
