package dev.llmgateway.providers.internal;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.ResponseTooLargeException;
import dev.llmgateway.Usage;
import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.providers.ReadLimits;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ChatResponseAccumulator;
import dev.llmgateway.spi.TokenEstimator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * One streamed call over server-sent events as a pull source, for every wire format: the HTTP call
 * starts on the first pull (a watchdog cancels it when the response has not started by the
 * attempt's deadline: {@link GatewayTimeoutException.Kind#FIRST_TOKEN}); each pull reads only as
 * far as the next event, so a consumer that stops pulling stops the socket read; {@link #close()}
 * cancels the call from any thread, and the response is closed only by the reading thread or when
 * no read is in progress (closing a body another thread reads from breaks OkHttp's timeouts). Reads
 * stay within the {@link ReadLimits}: an event larger than {@link ReadLimits#maxSseEventBytes()},
 * or content (text, reasoning, tool calls) that the final answer would keep past {@link
 * ReadLimits#maxResponseBytes()} characters, ends the stream with a {@link
 * ResponseTooLargeException} and cancels the call without reading further; an error body is read
 * up to {@link ReadLimits#maxErrorBodyBytes()}. The stream ends with exactly one terminal event:
 * {@code Completed} or {@code Failed} with a typed error. A format supplies how to read its events
 * ({@link #onEvent}) and what it knows at the end. Not thread-safe, except {@link #close()}.
 */
public abstract class SseStreamSource implements PullPublisher.Source<ChatEvent> {
  /** The canonical request, for estimates. */
  protected final ChatRequest request;
  /** Where the stream comes from. */
  protected final Deployment deployment;
  /** The key, to scrub from error messages; null when there is none. */
  protected final @Nullable String secret;
  /** The content received so far, bounded by the same limits as the reads. */
  protected final ChatResponseAccumulator content;
  /** How much of the answer is read. */
  protected final ReadLimits limits;
  private final Call call;
  private final AttemptContext attempt;
  private final long deadlineNanos;
  private final ArrayDeque<ChatEvent> pending = new ArrayDeque<>(4);
  private final Object lock = new Object();
  private ErrorDetails details;
  private @Nullable Response response;
  private @Nullable SseReader reader;
  private @Nullable String requestId;
  private Map<String, String> rateLimits = Map.of();
  private long contentChars;
  private long keptChars; // of the content the final answer keeps, bounded by maxResponseBytes
  private boolean ended;
  private boolean reading; // guarded by lock
  private volatile boolean closed;

  /**
   * A source over the given (not yet executed) call for {@code attempt}: its deployment, its
   * deadline for the response to start, and where the response's HTTP status is reported.
   */
  protected SseStreamSource(Call call, ChatRequest request, AttemptContext attempt,
      @Nullable String secret, ReadLimits limits) {
    this.call = call;
    this.attempt = attempt;
    this.limits = limits;
    this.content = new ChatResponseAccumulator(limits.maxToolCalls(), limits.maxResponseBytes());
    this.request = request;
    this.deployment = attempt.deployment();
    this.secret = secret;
    this.deadlineNanos = attempt.deadlineNanos();
    this.details = ErrorDetails.of(deployment);
  }

  /** The header carrying the provider's request id, or null when the format has none. */
  protected abstract @Nullable String requestIdHeader();

  /** The rate-limit headers the format sends (immutable), empty when none. */
  protected abstract Map<String, String> rateLimits(Headers headers);

  /** The typed error of an HTTP error response. */
  protected abstract GatewayException httpError(Response response, String body,
      ErrorDetails details);

  /** The response started: set up the format's stream state. */
  protected abstract void started(ErrorDetails details);

  /**
   * Reads one event: hand its events to {@link #emit}, call {@link #complete()} at the format's
   * end marker, or throw the typed error an error event carries.
   */
  protected abstract void onEvent(SseEvent event, ErrorDetails details);

  /** Whether the answer is complete when the stream ends without the format's end marker. */
  protected abstract boolean answerComplete();

  /** The usage the provider reported, or null when it reported none. */
  protected abstract @Nullable Usage reportedUsage();

  /** The final answer without usage and story: message, finish reasons, provider ids. */
  protected abstract ChatResponse.Builder answer();

  /** Called before {@code Completed}, with the reported usage (or null), e.g. to report it. */
  protected void beforeCompleted(@Nullable Usage reported) {}

  /**
   * The usage of a stream that failed: what the provider reported, else an estimate of what was
   * received (zero when nothing was).
   */
  protected Usage failedUsage(long estimatedOutputTokens) {
    Usage reported = reportedUsage();
    if (reported != null) {
      return reported;
    }
    return contentChars > 0
        ? Usage.estimate(TokenEstimator.input(request), estimatedOutputTokens) : Usage.ZERO;
  }

  @Override
  public final @Nullable ChatEvent next() {
    for (;;) {
      ChatEvent event = pending.poll();
      if (event != null) {
        return event;
      }
      if (ended) {
        return null;
      }
      synchronized (lock) {
        if (closed) {
          closeResponse();
          return null;
        }
        reading = true;
      }
      try {
        if (reader == null) {
          open();
        } else {
          read();
        }
      } catch (GatewayException e) {
        if (e instanceof ResponseTooLargeException) {
          call.cancel(); // read no further, not even to drain the connection
        }
        fail(e);
      } catch (SseReader.EventTooLargeException e) {
        call.cancel(); // read no further, not even to drain the connection
        fail(Bounded.eventTooLarge(limits.maxSseEventBytes(), details));
      } catch (IOException e) {
        if (closed) {
          return null;
        }
        fail(HttpFailures.io(e, false, Duration.ZERO, details,
            reader == null ? "the stream could not be opened" : "the stream broke off"));
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) { // OkHttp (Kotlin) may throw InterruptedException undeclared
        if (closed) {
          return null;
        }
        RuntimeException typed = HttpFailures.unchecked(e, details, "the stream");
        if (!(typed instanceof GatewayException g)) {
          throw typed;
        }
        fail(g);
      } finally {
        synchronized (lock) {
          reading = false;
          if (closed) {
            closeResponse();
          }
        }
      }
    }
  }

  private void open() throws IOException {
    Response r;
    if (deadlineNanos == AttemptContext.NO_DEADLINE) {
      r = call.execute();
    } else {
      long left = deadlineNanos - System.nanoTime();
      Watchdog watchdog = Watchdog.start(call, left);
      try {
        r = call.execute();
      } catch (IOException e) {
        if (watchdog.fired()) {
          throw new GatewayTimeoutException(GatewayTimeoutException.Kind.FIRST_TOKEN,
              Duration.ofNanos(Math.max(0, left)), details, e);
        }
        throw e;
      } finally {
        watchdog.stop();
      }
    }
    response = r;
    attempt.responded(r.code());
    String header = requestIdHeader();
    requestId = header == null ? null : r.header(header);
    details = details.withHttp(r.code(), null, requestId);
    rateLimits = rateLimits(r.headers());
    ResponseBody body = r.body();
    if (!r.isSuccessful()) {
      throw httpError(r, Bounded.errorText(body, call, limits.maxErrorBodyBytes()), details);
    }
    started(details);
    reader = new SseReader(body.source(), limits.maxSseEventBytes());
  }

  private void read() throws IOException {
    SseEvent sse = reader.next();
    if (sse == null) {
      if (!answerComplete()) {
        throw new ProviderUnavailableException(
            "the stream ended before the answer was complete", details, null);
      }
      complete();
      return;
    }
    onEvent(sse, details);
  }

  /**
   * Queues an event for the consumer, keeping the content for the final answer.
   *
   * @throws ResponseTooLargeException when the content kept would grow past {@link
   *     ReadLimits#maxResponseBytes()} characters
   */
  protected final void emit(ChatEvent event) {
    if (event.isContent()) {
      keptChars += keptChars(event);
      if (keptChars > limits.maxResponseBytes()) {
        throw Bounded.streamTooLarge(limits.maxResponseBytes(), details);
      }
      content.accept(event);
      contentChars += contentChars(event);
    }
    pending.add(event);
  }

  /** Every character of a content event the final answer keeps. */
  private static long keptChars(ChatEvent event) {
    if (event instanceof ChatEvent.ToolCallDelta d) {
      return d.argumentsFragment().length() + length(d.id()) + length(d.name());
    }
    if (event instanceof ChatEvent.ReasoningDelta d) {
      return length(d.text()) + length(d.signature()) + length(d.redactedData());
    }
    return contentChars(event);
  }

  private static int length(@Nullable String s) {
    return s == null ? 0 : s.length();
  }

  private static long contentChars(ChatEvent event) {
    if (event instanceof ChatEvent.TextDelta t) {
      return t.text().length();
    }
    if (event instanceof ChatEvent.ToolCallDelta d) {
      return d.argumentsFragment().length();
    }
    if (event instanceof ChatEvent.ReasoningDelta d && d.text() != null) {
      return d.text().length();
    }
    return 0;
  }

  /** Ends the stream with its answer. */
  protected final void complete() {
    Usage reported = reportedUsage();
    beforeCompleted(reported);
    Usage usage = reported != null ? reported
        : Usage.estimate(TokenEstimator.input(request), TokenEstimator.tokens(contentChars));
    pending.add(new ChatEvent.Completed(answer()
        .usage(usage)
        .deployment(deployment)
        .providerRequestId(requestId)
        .rateLimits(rateLimits)
        .build()));
    end();
  }

  private void fail(GatewayException error) {
    pending.add(new ChatEvent.Failed(error, content.contentEvents(), content.text().length(),
        failedUsage(TokenEstimator.tokens(contentChars)), List.of()));
    end();
  }

  private void end() {
    ended = true;
    closeResponse();
  }

  @Override
  public final void close() {
    closed = true;
    call.cancel(); // thread-safe: a read blocked in next() fails at once
    synchronized (lock) {
      if (!reading) { // else next() closes it on its own thread when its read returns
        closeResponse();
      }
    }
  }

  private void closeResponse() {
    Response r = response;
    if (r != null) {
      r.close();
    }
  }
}
