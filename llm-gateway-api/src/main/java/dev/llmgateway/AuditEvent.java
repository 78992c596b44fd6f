package dev.llmgateway;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something a security reviewer wants to find later: a credential refused, a call or a deployment
 * denied by an access rule, an API key created, revoked or rotated. Says who, what, when and which
 * rule; never a credential, a key, a key's hash or a token ({@link #toString()} prints the
 * principal redacted, as {@link Principal#toString()} does).
 *
 * @param timestamp when it happened, on the gateway's clock
 * @param type what happened
 * @param callId the call it happened in, or null (key administration)
 * @param principal who made the call, or null (not authenticated, or key administration)
 * @param actor who administered the key (as the host application names its operator), or null
 * @param subject what it was about: the model, alias or deployment denied, or the key's id; never a
 *     secret
 * @param rule the name of the rule that decided, or null
 * @param reason what to fix or why, in words that quote no credential
 */
public record AuditEvent(
    Instant timestamp,
    Type type,
    @Nullable String callId,
    @Nullable Principal principal,
    @Nullable String actor,
    @Nullable String subject,
    @Nullable String rule,
    String reason) {

  /** What happened. */
  public enum Type {
    /** A credential was missing, unknown, expired, revoked or malformed. */
    AUTHENTICATION_FAILED,
    /** An access rule refused the call. */
    ACCESS_DENIED,
    /** An access rule took a deployment out of the call's routing plan. */
    DEPLOYMENT_DENIED,
    /** An API key was created. */
    KEY_CREATED,
    /** An API key was revoked. */
    KEY_REVOKED,
    /** An API key was rotated: a new one made, the old one valid until its grace period ends. */
    KEY_ROTATED
  }

  /** Validates. */
  public AuditEvent {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(reason, "reason");
  }
}
