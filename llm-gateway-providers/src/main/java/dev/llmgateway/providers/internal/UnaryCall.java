package dev.llmgateway.providers.internal;

import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.spi.AttemptContext;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * One unary HTTP call, the same for every wire format: bounded by the attempt's deadline (a {@link
 * Watchdog} on the shared timer wheel cancels the call then, so a stall is a {@link
 * dev.llmgateway.GatewayTimeoutException}; not OkHttp's call timeout, whose okio {@code
 * AsyncTimeout} takes one JVM-wide lock on entry and exit of every call; under a gateway, whose
 * own watch cancels the attempt's context at the deadline ({@link
 * AttemptContext#isDeadlineEnforced()}), no second timer is armed), the body read
 * whole up to its limit ({@link Bounded}: a larger one is a {@link
 * dev.llmgateway.ResponseTooLargeException}), an error status mapped by the format from at most
 * the first {@code maxErrorBytes} of its body, an empty body refused, I/O failures typed. The
 * response's status is reported on the attempt ({@link AttemptContext#responded(int)}).
 */
public final class UnaryCall {
  /** HTTP statuses boxed once: {@code Integer.valueOf} caches only up to 127. */
  private static final Integer[] STATUSES = new Integer[600];

  static {
    for (int i = 0; i < STATUSES.length; i++) {
      STATUSES[i] = i;
    }
  }

  private UnaryCall() {}

  /** Maps an HTTP error response onto the format's typed exception. */
  @FunctionalInterface
  public interface ErrorMapper {
    /**
     * The typed error of a response with an error status; {@code called} is the request it
     * answered (after any redirect), for its method and URL.
     */
    GatewayException map(int status, Headers headers, String body, @Nullable String contentType,
        Request called, ErrorDetails details);
  }

  /**
   * What a provider answered.
   *
   * @param body the body, never empty: UTF-8 bytes, parsed as they are (no String, no char copy)
   * @param headers the response headers
   * @param requestId the provider's request id, or null
   * @param details the error details of this answer (status and request id filled in)
   */
  @SuppressWarnings("ArrayRecordComponent") // read once by the transport that made it
  public record Answer(byte[] body, Headers headers, @Nullable String requestId,
      ErrorDetails details) {}

  /**
   * Sends the request and reads the answer.
   *
   * @param requestIdHeader the header carrying the provider's request id, or null
   * @param bodyLimit how large the body may be
   * @throws GatewayException on an error status, an empty or too large body, a timeout or an I/O
   *     failure
   */
  public static Answer execute(OkHttpClient client, Request request, AttemptContext attempt,
      ErrorDetails details, String providerName, @Nullable String requestIdHeader,
      Bounded.Body bodyLimit, ErrorMapper errors) {
    Call call = client.newCall(request);
    long limitNanos = 0; // a Duration only for a failure's message
    @Nullable Watchdog watchdog = null;
    if (attempt.deadlineNanos() != AttemptContext.NO_DEADLINE) {
      limitNanos = Math.max(0, attempt.deadlineNanos() - System.nanoTime());
      if (!attempt.isDeadlineEnforced()) { // the gateway's own watch cancels the context instead
        watchdog = Watchdog.start(call, limitNanos);
      }
    }
    attempt.onCancel(call::cancel); // a hedge's loser, a cancelled chatAsync, the gateway's watch
    try (Response response = call.execute()) {
      attempt.responded(response.code());
      String requestId = requestIdHeader == null ? null : response.header(requestIdHeader);
      ErrorDetails answered = details.withHttp(status(response.code()), null, requestId);
      if (!response.isSuccessful()) {
        String text = Bounded.errorText(response.body(), call, bodyLimit.maxErrorBytes());
        throw errors.map(response.code(), response.headers(), text,
            response.header("content-type"), response.request(), answered);
      }
      byte[] body = Bounded.answer(response.body(), call, bodyLimit, answered);
      if (body.length == 0) {
        throw new ProviderUnavailableException(providerName + " answered HTTP "
            + response.code() + " with an empty body", answered, null);
      }
      return new Answer(body, response.headers(), requestId, answered);
    } catch (IOException e) {
      throw HttpFailures.io(e, timedOut(watchdog, attempt), Duration.ofNanos(limitNanos), details,
          "the call to " + providerName + " failed");
    } catch (Exception e) { // OkHttp (Kotlin) may throw InterruptedException undeclared
      throw HttpFailures.unchecked(e, details, "the call to " + providerName);
    } finally {
      if (watchdog != null) {
        watchdog.stop();
      }
    }
  }

  /**
   * Whether the call was cancelled for its deadline: by its own watchdog, or by whoever enforces
   * the context's deadline (the context cancelled once the deadline had passed).
   */
  private static boolean timedOut(@Nullable Watchdog watchdog, AttemptContext attempt) {
    if (watchdog != null) {
      return watchdog.fired();
    }
    return attempt.isDeadlineEnforced() && attempt.isCancelled()
        && System.nanoTime() - attempt.deadlineNanos() >= 0;
  }

  /** {@code code} boxed, from {@link #STATUSES} when it is below 600. */
  private static Integer status(int code) {
    return code >= 0 && code < STATUSES.length ? STATUSES[code] : Integer.valueOf(code);
  }
}
