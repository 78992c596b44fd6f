package dev.llmgateway.providers.internal;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.AuthenticationException;
import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.ContextLengthExceededException;
import dev.llmgateway.EndpointNotFoundException;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ModelNotFoundException;
import dev.llmgateway.ProviderOverloadedException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.QuotaExhaustedException;
import dev.llmgateway.RateLimitedException;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a provider's error means to the caller, and the one rule every format's error mapper
 * decides it by: <b>the HTTP status decides the class where it is unambiguous, and what the body
 * says refines it</b>.
 *
 * <p>Each mapper reads what its format says, most trusted first — the HTTP status, a status the
 * body carries ({@code status_code}, a numeric {@code code}, Gemini's {@code error.code}), the
 * error's type, its code, and its documented messages — each as a class or null, and hands them
 * to {@link #decide}. The first non-null one decides; each later one may only refine it into a
 * finer class of the same kind ({@link #refines}): a client error into context length, content
 * filter, quota, authentication, access or an unknown model; a rate limit into an exhausted quota;
 * an unavailable provider into an overloaded one. So a 429 whose body says {@code
 * invalid_request_error} (a proxy's, a validating front end's) stays a rate limit with its {@code
 * Retry-After}; a 5xx stays retriable whatever its body says; an error inside a stream, which has
 * no HTTP status of its own, is classed by what its body says; and only when nothing at all is
 * known is it {@link #UNAVAILABLE}. Thread-safe.
 */
public enum ErrorClass {
  /** A client error: {@link InvalidRequestException}. */
  INVALID_REQUEST,
  /** The input is longer than the model's context: {@link ContextLengthExceededException}. */
  CONTEXT_LENGTH,
  /** A safety filter refused: {@link ContentFilteredException}. */
  CONTENT_FILTERED,
  /** The key is missing, invalid or expired: {@link AuthenticationException}. */
  AUTHENTICATION,
  /** The key may not do this: {@link AccessDeniedException}. */
  ACCESS_DENIED,
  /** The model (or deployment) does not exist here: {@link ModelNotFoundException}. */
  MODEL_NOT_FOUND,
  /**
   * A 404 that is not about a model: nothing is served at the URL called, {@link
   * EndpointNotFoundException}; made with the URL by {@link Endpoints#notFound}.
   */
  ENDPOINT_NOT_FOUND,
  /** The account's quota, credit or daily allowance is used up: {@link QuotaExhaustedException}. */
  QUOTA_EXHAUSTED,
  /** Too many requests or tokens for now: {@link RateLimitedException}. */
  RATE_LIMITED,
  /** The provider is overloaded: {@link ProviderOverloadedException}. */
  OVERLOADED,
  /** The provider failed or is unavailable: {@link ProviderUnavailableException}. */
  UNAVAILABLE;

  /**
   * The class an HTTP status decides on its own: 401 authentication, 402 quota, 403 access, 404
   * endpoint not found (until the body says a model is missing), 408 unavailable (a timeout), 429
   * rate limited, any other 4xx invalid request; 529 overloaded, any other 5xx unavailable. Null
   * for no status (0) and 1xx to 3xx, which decide nothing.
   */
  public static @Nullable ErrorClass ofStatus(int status) {
    return status == 404 ? ENDPOINT_NOT_FOUND : ofBodyStatus(status);
  }

  /**
   * The class a status carried inside an error body decides ({@code status_code}, a numeric
   * {@code code}, Gemini's {@code error.code}): as {@link #ofStatus}, but 404 is a client error,
   * since a URL that answered with a body (or a stream) exists.
   */
  public static @Nullable ErrorClass ofBodyStatus(int status) {
    switch (status) {
      case 401:
        return AUTHENTICATION;
      case 402:
        return QUOTA_EXHAUSTED;
      case 403:
        return ACCESS_DENIED;
      case 404:
        return INVALID_REQUEST;
      case 408:
        return UNAVAILABLE;
      case 429:
        return RATE_LIMITED;
      case 529:
        return OVERLOADED;
      default:
        if (status >= 500 && status < 600) {
          return UNAVAILABLE;
        }
        return status >= 400 && status < 500 ? INVALID_REQUEST : null;
    }
  }

  /**
   * Whether {@code finer} is a finer reading of this class, which a less trusted source may
   * refine it into: an invalid request into context length, content filter, quota,
   * authentication, access denied or model not found; a missing endpoint into a missing model; a
   * rate limit into an exhausted quota; unavailable into overloaded. Nothing refines any other
   * class.
   */
  public boolean refines(ErrorClass finer) {
    switch (this) {
      case INVALID_REQUEST:
        return finer == CONTEXT_LENGTH || finer == CONTENT_FILTERED || finer == QUOTA_EXHAUSTED
            || finer == AUTHENTICATION || finer == ACCESS_DENIED || finer == MODEL_NOT_FOUND;
      case ENDPOINT_NOT_FOUND:
        return finer == MODEL_NOT_FOUND;
      case RATE_LIMITED:
        return finer == QUOTA_EXHAUSTED;
      case UNAVAILABLE:
        return finer == OVERLOADED;
      default:
        return false;
    }
  }

  /**
   * The rule: the first non-null class of {@code said} (most trusted first) decides, each later
   * one replaces it where it {@link #refines refines} it, and when none is known the error is
   * {@link #UNAVAILABLE}.
   *
   * @param said what each source says, most trusted first; null where a source says nothing
   * @return the error's class
   */
  public static ErrorClass decide(@Nullable ErrorClass... said) {
    ErrorClass decided = null;
    for (ErrorClass s : said) {
      if (s == null) {
        continue;
      }
      if (decided == null || decided.refines(s)) {
        decided = s;
      }
    }
    return decided == null ? UNAVAILABLE : decided;
  }

  /**
   * What a provider's error message says of a missing model: {@link #MODEL_NOT_FOUND} when it
   * names a model or deployment and says it is not found or does not exist (OpenAI's and vLLM's
   * "The model `x` does not exist", Ollama's "model \"x\" not found", Gemini's "models/x is not
   * found", Vertex AI's "Publisher Model ... was not found"); else null. Read, never quoted.
   */
  public static @Nullable ErrorClass modelNotFound(@Nullable String message) {
    if (message == null) {
      return null;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    boolean model = lower.contains("model") || lower.contains("deployment");
    boolean missing = lower.contains("not found") || lower.contains("not exist");
    return model && missing ? MODEL_NOT_FOUND : null;
  }

  /**
   * The exception of this class ({@link #ENDPOINT_NOT_FOUND}'s without its URL: the mappers make
   * that one with {@link Endpoints#notFound}, which knows it).
   *
   * @param text its message, already safe (see {@link ErrorTexts})
   * @param retryAfter the server's delay, used by {@link #RATE_LIMITED} only
   * @param details provider, model, status, code and request id
   */
  public GatewayException exception(String text, @Nullable Duration retryAfter,
      ErrorDetails details) {
    switch (this) {
      case INVALID_REQUEST:
        return new InvalidRequestException(text, details, null);
      case CONTEXT_LENGTH:
        return new ContextLengthExceededException(text, details, null);
      case CONTENT_FILTERED:
        return new ContentFilteredException(text, details, null);
      case AUTHENTICATION:
        return new AuthenticationException(text, details, null);
      case ACCESS_DENIED:
        return new AccessDeniedException(text, details, null);
      case MODEL_NOT_FOUND:
        return new ModelNotFoundException(text, details, null);
      case ENDPOINT_NOT_FOUND:
        return new EndpointNotFoundException(text, null, details, null);
      case QUOTA_EXHAUSTED:
        return new QuotaExhaustedException(text, details, null);
      case RATE_LIMITED:
        return new RateLimitedException(text, retryAfter, details, null);
      case OVERLOADED:
        return new ProviderOverloadedException(text, details, null);
      default:
        return new ProviderUnavailableException(text, details, null);
    }
  }
}
