package dev.llmgateway.providers.anthropic.internal;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Deployment;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.Usage;
import dev.llmgateway.providers.internal.HttpFailures;
import dev.llmgateway.providers.internal.SseEvent;
import dev.llmgateway.providers.internal.SseReader;
import dev.llmgateway.providers.internal.Watchdog;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ChatResponseAccumulator;
import dev.llmgateway.spi.PullPublisher;
import dev.llmgateway.spi.TokenEstimator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * One streamed Messages call as a pull source: the HTTP call starts on the first pull, each pull
 * reads only as far as the next event (a consumer that stops pulling stops the socket read), and
 * {@link #close()} cancels the call. Ends with exactly one terminal event: {@code Completed} after
 * {@code message_stop} (or after a stop reason when the stream ends without it), else {@code
 * Failed} with a typed error ({@code event: error} included). Not thread-safe, except {@link
 * #close()}.
 */
public final class AnthropicStreamSource implements PullPublisher.Source<ChatEvent> {
  private final Call call;
  private final ChatRequest request;
  private final Deployment deployment;
  private final AnthropicErrors errors;
  private final @Nullable String secret;
  private final long deadlineNanos;
  private final ArrayDeque<ChatEvent> pending = new ArrayDeque<>(4);
  private final ChatResponseAccumulator content = new ChatResponseAccumulator();
  private ErrorDetails details;
  private AnthropicDecoder.@Nullable StreamState state;
  private @Nullable Response response;
  private @Nullable SseReader reader;
  private @Nullable String requestId;
  private Map<String, String> rateLimits = Map.of();
  private long contentChars;
  private boolean ended;
  private volatile boolean closed;
  private final Object lock = new Object();
  private boolean reading; // guarded by lock

  /** A source over the given (not yet executed) call. */
  public AnthropicStreamSource(Call call, ChatRequest request, Deployment deployment,
      AnthropicErrors errors, @Nullable String secret, long deadlineNanos) {
    this.call = call;
    this.request = request;
    this.deployment = deployment;
    this.errors = errors;
    this.secret = secret;
    this.deadlineNanos = deadlineNanos;
    this.details = ErrorDetails.of(deployment);
  }

  @Override
  public @Nullable ChatEvent next() {
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
          continue;
        }
        read();
      } catch (GatewayException e) {
        fail(e);
      } catch (IOException e) {
        if (closed) {
          return null;
        }
        fail(HttpFailures.io(e, call, Duration.ZERO, details,
            state == null ? "the stream could not be opened" : "the stream broke off"));
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
    requestId = r.header("request-id");
    details = details.withHttp(r.code(), null, requestId);
    rateLimits = AnthropicErrors.rateLimits(r.headers());
    ResponseBody body = r.body();
    if (!r.isSuccessful()) {
      String text = body.string();
      throw errors.http(r.code(), r.headers(), text, r.header("content-type"), details, secret);
    }
    state = new AnthropicDecoder.StreamState(details);
    reader = new SseReader(body.source());
  }

  /** Reads one event; it may produce nothing to hand out. */
  private void read() throws IOException {
    SseEvent sse = reader.next();
    if (sse == null) {
      if (state.finished()) {
        complete();
      } else {
        throw new ProviderUnavailableException(
            "the stream ended before the answer was complete", details, null);
      }
      return;
    }
    if ("error".equals(sse.event()) && !sse.data().startsWith("{")) {
      throw new ProviderUnavailableException("the stream reported an error", details, null);
    }
    state.event(sse.event(), sse.data(), this::emit, e -> errors.inStream(e, details, secret));
    if (state.stopped()) {
      complete();
    }
  }

  private void emit(ChatEvent event) {
    if (event.isContent()) {
      content.accept(event);
      if (event instanceof ChatEvent.TextDelta t) {
        contentChars += t.text().length();
      } else if (event instanceof ChatEvent.ToolCallDelta d) {
        contentChars += d.argumentsFragment().length();
      } else if (event instanceof ChatEvent.ReasoningDelta d && d.text() != null) {
        contentChars += d.text().length();
      }
    }
    pending.add(event);
  }

  private void complete() {
    Usage usage = state.usage();
    if (usage == null) {
      usage = Usage.estimate(TokenEstimator.input(request), TokenEstimator.tokens(contentChars));
    }
    pending.add(new ChatEvent.Completed(content.toResponse()
        .finishReason(state.finishReason())
        .rawFinishReason(state.rawStopReason())
        .usage(usage)
        .deployment(deployment)
        .providerResponseId(state.id())
        .providerRequestId(requestId)
        .rateLimits(rateLimits)
        .build()));
    end();
  }

  /**
   * Fails the stream. The usage keeps the input counts {@code message_start} reported; the output
   * so far is the larger of the last reported count and an estimate of the content received.
   */
  private void fail(GatewayException error) {
    Usage reported = state == null ? null : state.usage();
    long estimatedOutput = TokenEstimator.tokens(contentChars);
    Usage usage;
    if (reported == null) {
      usage = contentChars > 0
          ? Usage.estimate(TokenEstimator.input(request), estimatedOutput) : Usage.ZERO;
    } else if (reported.outputTokens() >= estimatedOutput) {
      usage = reported;
    } else {
      usage = new Usage(reported.inputTokens(), estimatedOutput, reported.cachedInputTokens(),
          reported.cacheWriteTokens(), reported.cacheWrite1hTokens(), 0, true);
    }
    pending.add(new ChatEvent.Failed(error, content.contentEvents(), content.text().length(),
        usage, List.of()));
    end();
  }

  private void end() {
    ended = true;
    closeResponse();
  }

  @Override
  public void close() {
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
