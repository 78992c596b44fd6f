package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * The root of every failure the gateway reports. Subclasses say what happened and so what the
 * caller should do: {@link #isRetriable() retriable} ones (rate limited, provider unavailable,
 * timeout) may succeed later or elsewhere; the others (invalid request, authentication, access,
 * budget, policy) will not succeed by trying again.
 *
 * <p>Each carries {@link ErrorDetails} (provider, model, HTTP status, provider error code, request
 * id) and never a secret: no API key, token or redacted text appears in a message.
 */
public abstract class GatewayException extends RuntimeException {
  private final ErrorDetails details;

  /**
   * Creates an exception.
   *
   * @param message what happened and what to do, without secrets
   * @param details where it came from
   * @param cause the underlying failure, or null
   */
  protected GatewayException(String message, ErrorDetails details, @Nullable Throwable cause) {
    super(message, cause);
    this.details = details;
  }

  /** Whether trying again (later, or at another deployment) may succeed. */
  public boolean isRetriable() {
    return false;
  }

  /** Where the failure came from. */
  public ErrorDetails details() {
    return details;
  }

  /** The provider's configured name, or null. */
  public @Nullable String provider() {
    return details.provider();
  }

  /** The model, or null. */
  public @Nullable String model() {
    return details.model();
  }

  /** The provider's HTTP status, or null. */
  public @Nullable Integer httpStatus() {
    return details.httpStatus();
  }

  /** The provider's error code or type, or null. */
  public @Nullable String providerErrorCode() {
    return details.providerCode();
  }

  /** The provider's request id, or null. */
  public @Nullable String requestId() {
    return details.requestId();
  }

  /** The message without the details suffix. */
  public String reason() {
    String m = super.getMessage();
    return m == null ? "" : m;
  }

  @Override
  public String getMessage() {
    return reason() + details.suffix();
  }
}
