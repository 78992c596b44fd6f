package dev.llmgateway.providers.openai.internal;

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
import java.util.Map;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * One streamed Chat Completions call as a pull source: the HTTP call starts on the first pull, each
 * pull reads only as far as the next event (a consumer that stops pulling stops the socket read),
 * and {@link #close()} cancels the call. Ends with exactly one terminal event: {@code Completed}
 * after {@code [DONE]} (or after a finish reason when an endpoint omits {@code [DONE]}), else
 * {@code Failed} with a typed error. Not thread-safe, except {@link #close()}.
 */
public final class OpenAiStreamSource implements PullPublisher.Source<ChatEvent> {
  private final Call call;
  private final ChatRequest request;
  private final Deployment deployment;
  private final OpenAiErrors errors;
  private final @Nullable String secret;
  private final long deadlineNanos;
  private final ArrayDeque<ChatEvent> pending = new ArrayDeque<>(4);
  private final ChatResponseAccumulator content = new ChatResponseAccumulator();
  private ErrorDetails details;
  private OpenAiDecoder.@Nullable StreamState state;
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
  public OpenAiStreamSource(Call call, ChatRequest request, Deployment deployment,
      OpenAiErrors errors, @Nullable String secret, long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
    this.call = call;
    this.request = request;
    this.deployment = deployment;
    this.errors = errors;
    this.secret = secret;
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
    requestId = r.header("x-request-id");
    details = details.withHttp(r.code(), null, requestId);
    rateLimits = OpenAiHeaders.rateLimits(r.headers());
    ResponseBody body = r.body();
    if (!r.isSuccessful()) {
      String text = body.string();
      throw errors.http(r.code(), r.headers(), text, r.header("content-type"), details, secret);
    }
    state = new OpenAiDecoder.StreamState(details);
    reader = new SseReader(body.source());
  }

  /** Reads events until one produces something to hand out, or the stream ends. */
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
    String data = sse.data();
    if (data.equals("[DONE]")) {
      complete();
      return;
    }
    if ("error".equals(sse.event()) && !data.startsWith("{")) {
      throw new ProviderUnavailableException("the stream reported an error", details, null);
    }
    state.chunk(data, this::emit, e -> errors.inStream(e, details, secret));
  }

  private void emit(ChatEvent event) {
    if (event.isContent()) {
      content.accept(event);
      if (event instanceof ChatEvent.TextDelta t) {
        contentChars += t.text().length();
      } else if (event instanceof ChatEvent.ToolCallDelta d) {
        contentChars += d.argumentsFragment().length();
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
        .rawFinishReason(state.rawFinishReason())
        .usage(usage)
        .deployment(deployment)
        .providerResponseId(state.id())
        .providerRequestId(requestId)
        .rateLimits(rateLimits)
        .build()));
    end();
  }

  private void fail(GatewayException error) {
    Usage usage = state != null && state.usage() != null ? state.usage()
        : contentChars > 0
            ? Usage.estimate(TokenEstimator.input(request), TokenEstimator.tokens(contentChars))
            : Usage.ZERO;
    pending.add(new ChatEvent.Failed(error, content.contentEvents(), content.text().length(),
        usage, java.util.List.of()));
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
