package dev.llmgateway.spi;

import dev.llmgateway.AuditEvent;

/**
 * Receives the gateway's audit events ({@link AuditEvent}): refused credentials, access denials,
 * API key administration. Called on the thread where the event happens — a caller's thread for a
 * refusal, the administering thread for a key change — so it must be fast and thread-safe, and
 * hand slow work off. A sink that throws is logged and cannot break a call. Events never carry a
 * credential.
 */
@FunctionalInterface
public interface AuditSink {

  /** Takes an event. */
  void accept(AuditEvent event);
}
