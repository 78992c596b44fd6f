package dev.llmgateway;

import org.jspecify.annotations.Nullable;

/**
 * The provider answered 404 for the URL itself, not for a model: nothing is served at the URL the
 * transport called, which almost always means its base URL is wrong (a version segment such as
 * {@code /v1} missing or doubled, a mistyped host or path, a proxy that does not forward it). The
 * message names the URL that was called (never its query) and hints at the usual fix; {@link
 * #url()} gives the URL alone.
 *
 * <p>Told apart from {@link ModelNotFoundException}, a sibling, by the body of the 404: the
 * provider's documented model-not-found error (OpenAI's {@code model_not_found}, Azure's {@code
 * DeploymentNotFound}, Anthropic's {@code not_found_error} about a model, Gemini's {@code
 * NOT_FOUND} "models/... is not found") is a missing model; a 404 with no body, a body that is not
 * the provider's (an HTML page, a proxy's text) or the provider's error about an unknown path is a
 * missing endpoint.
 *
 * <p>An {@link InvalidRequestException}: not retriable, and by default the gateway does not fail
 * over from it (fix the configuration; {@code GatewayBuilder.onFailure} may say otherwise).
 */
public class EndpointNotFoundException extends InvalidRequestException {
  private final @Nullable String url;

  /**
   * Creates one.
   *
   * @param message what was called, what it answered and what to check, without secrets
   * @param url the URL that answered 404, without its query, or null when the transport does not
   *     know it
   * @param details where it came from
   * @param cause the underlying failure, or null
   */
  public EndpointNotFoundException(String message, @Nullable String url, ErrorDetails details,
      @Nullable Throwable cause) {
    super(message, details, cause);
    this.url = url;
  }

  /** The URL that answered 404, without its query (nor user info), or null when not known. */
  public @Nullable String url() {
    return url;
  }
}
