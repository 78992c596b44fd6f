package dev.llmgateway.providers.gemini.internal;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
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
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * One {@code streamGenerateContent?alt=sse} call as a pull source: the HTTP call starts on the
 * first pull, each pull reads only as far as the next event, and {@link #close()} cancels the
 * call. Gemini streams have no end marker: the body ending after a chunk with a {@code
 * finishReason} is {@code Completed} (preceded by one {@code UsageReport} with the last chunk's
 * counts); ending without one is a {@code Failed} with {@link ProviderUnavailableException}, as are
 * in-band error objects (mapped like HTTP errors). Not thread-safe, except {@link #close()}.
 */
public final class GeminiStreamSource implements PullPublisher.Source<ChatEvent> {
  private final Call call;
  private final ChatRequest request;
  private final Deployment deployment;
  private final GeminiErrors errors;
  private final @Nullable String secret;
  private final long deadlineNanos;
  private final ArrayDeque<ChatEvent> pending = new ArrayDeque<>(4);
  private final ChatResponseAccumulator content = new ChatResponseAccumulator();
  private ErrorDetails details;
  private GeminiDecoder.@Nullable StreamState state;
  private @Nullable Response response;
  private @Nullable SseReader reader;
  private long contentChars;
  private boolean ended;
  private volatile boolean closed;
  private final Object lock = new Object();
  private boolean reading; // guarded by lock

  /** A source over the given (not yet executed) call. */
  public GeminiStreamSource(Call call, ChatRequest request, Deployment deployment,
      GeminiErrors errors, @Nullable String secret, long deadlineNanos) {
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
    details = details.withHttp(r.code(), null, null);
    ResponseBody body = r.body();
    if (!r.isSuccessful()) {
      String text = body.string();
      throw errors.http(r.code(), r.headers(), text, r.header("content-type"), details, secret);
    }
    state = new GeminiDecoder.StreamState(details);
    reader = new SseReader(body.source());
  }

  /** Reads one event; its content events (if any) are queued. */
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
    state.chunk(sse.data(), this::emit, e -> errors.inStream(e, details, secret));
  }

  private void emit(ChatEvent event) {
    content.accept(event);
    if (event instanceof ChatEvent.TextDelta t) {
      contentChars += t.text().length();
    } else if (event instanceof ChatEvent.ToolCallDelta d) {
      contentChars += d.argumentsFragment().length();
    } else if (event instanceof ChatEvent.ReasoningDelta d && d.text() != null) {
      contentChars += d.text().length();
    }
    pending.add(event);
  }

  private void complete() {
    Usage usage = state.usage();
    if (usage == null) {
      usage = Usage.estimate(TokenEstimator.input(request), TokenEstimator.tokens(contentChars));
    } else {
      pending.add(new ChatEvent.UsageReport(usage));
    }
    pending.add(new ChatEvent.Completed(ChatResponse.builder()
        .message(state.message())
        .finishReason(state.finishReason())
        .rawFinishReason(state.rawFinishReason())
        .usage(usage)
        .deployment(deployment)
        .providerResponseId(state.id())
        .build()));
    end();
  }

  private void fail(GatewayException error) {
    Usage usage = state != null && state.usage() != null ? state.usage()
        : contentChars > 0
            ? Usage.estimate(TokenEstimator.input(request), TokenEstimator.tokens(contentChars))
            : Usage.ZERO;
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
