package dev.llmgateway.providers.internal;

import dev.llmgateway.EndpointNotFoundException;
import dev.llmgateway.ErrorDetails;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * What one provider says when the URL it called is not there: a 404 that its format's error mapper
 * did not read as a missing model ({@link ErrorClass#ENDPOINT_NOT_FOUND}) becomes an {@link
 * EndpointNotFoundException} naming the provider, the method and URL called, what the body was
 * (the safe text of {@link ErrorTexts}, or {@link HttpFailures#describeBody}), the base URL and the
 * format's hint at the usual cause. A URL is shown without its query, fragment and user info (a
 * query may carry a key: Google accepts {@code ?key=}), and with the provider's key replaced should
 * it appear in the path. Immutable; thread-safe.
 */
public final class Endpoints {
  private final String provider;
  private final String baseUrl;
  private final String hint;

  /**
   * The endpoints of one provider.
   *
   * @param provider the provider's name
   * @param baseUrl its configured base URL
   * @param hint what to check, in the format's words (e.g. that the base URL ends in {@code /v1})
   */
  public Endpoints(String provider, HttpUrl baseUrl, String hint) {
    this.provider = provider;
    this.baseUrl = shown(baseUrl);
    this.hint = hint;
  }

  /**
   * The error of a 404 for the URL itself.
   *
   * @param called the request that was answered 404 (the last one, after any redirect)
   * @param said what the body said, already safe: the provider's error type and listed text, or a
   *     description of the body
   * @param details provider, model, status and request id
   * @param secret the provider's key, or null
   */
  public EndpointNotFoundException notFound(Request called, String said, ErrorDetails details,
      @Nullable String secret) {
    String url = Secrets.withoutKey(shown(called.url()), secret);
    String text = provider + " has no endpoint at " + called.method() + " " + url
        + " (HTTP 404: " + said + "), so its base URL is likely wrong: check "
        + Secrets.withoutKey(baseUrl, secret) + ". " + hint;
    return new EndpointNotFoundException(text, url, details, null);
  }

  /** A URL as it may be shown: without its query, fragment and user info. */
  public static String shown(HttpUrl url) {
    return url.newBuilder().query(null).fragment(null).username("").password("").build()
        .toString();
  }

  /**
   * Whether the URL's path ends in an API version segment: {@code v1}, {@code v1beta}, {@code
   * v2alpha1}, ... ({@code v} and a digit, then anything).
   */
  public static boolean endsInVersion(HttpUrl url) {
    String last = "";
    for (String segment : url.pathSegments()) {
      if (!segment.isEmpty()) {
        last = segment;
      }
    }
    return last.length() > 1 && last.charAt(0) == 'v' && Character.isDigit(last.charAt(1));
  }
}
