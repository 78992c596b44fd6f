package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@link GatewayException} came from. Never holds a secret.
 *
 * @param provider the provider's configured name, or null when the gateway itself failed the call
 * @param model the model, or null
 * @param httpStatus the provider's HTTP status, or null
 * @param providerCode the provider's error code or type (e.g. {@code rate_limit_exceeded}), or null
 * @param requestId the provider's request id, for support tickets, or null
 */
public record ErrorDetails(
    @Nullable String provider,
    @Nullable String model,
    @Nullable Integer httpStatus,
    @Nullable String providerCode,
    @Nullable String requestId) {

  /** No details: the gateway itself failed the call. */
  public static final ErrorDetails NONE = new ErrorDetails(null, null, null, null, null);

  /** Details naming a deployment. */
  public static ErrorDetails of(Deployment deployment) {
    return new ErrorDetails(deployment.provider(), deployment.model(), null, null, null);
  }

  /** These details with an HTTP status, provider code and request id. */
  public ErrorDetails withHttp(
      @Nullable Integer httpStatus, @Nullable String providerCode, @Nullable String requestId) {
    return new ErrorDetails(provider, model, httpStatus, providerCode, requestId);
  }

  /** Whether nothing is known. */
  public boolean isEmpty() {
    return provider == null && model == null && httpStatus == null && providerCode == null
        && requestId == null;
  }

  /** A suffix for exception messages, e.g. {@code " (provider=openai, status=429)"}. */
  String suffix() {
    if (isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(" (");
    append(sb, "provider", provider);
    append(sb, "model", model);
    append(sb, "status", httpStatus);
    append(sb, "code", providerCode);
    append(sb, "requestId", requestId);
    return sb.append(')').toString();
  }

  private static void append(StringBuilder sb, String name, @Nullable Object value) {
    if (value != null) {
      if (sb.length() > 2) {
        sb.append(", ");
      }
      sb.append(name).append('=').append(value);
    }
  }
}
