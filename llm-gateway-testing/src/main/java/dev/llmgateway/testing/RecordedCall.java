package dev.llmgateway.testing;

import dev.llmgateway.CallKind;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.GatewayRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One call a {@link FakeProvider} received: its kind, model and request as the provider saw them,
 * a snapshot of the attempt's extra HTTP headers and the attempt's number; for streams, how many
 * events the fake emitted so far and whether the consumer cancelled the stream before its end.
 *
 * <p>Thread-safe. Everything but {@link #emittedEvents()} and {@link #cancelled()} is fixed when
 * the
 * call arrives; those two are live and move while the stream runs. Identity equality: two calls
 * with equal requests are still two calls. {@link #toString()} prints header names, never values.
 */
public final class RecordedCall {
  private final CallKind kind;
  private final String model;
  private final GatewayRequest request;
  private final Map<String, String> headers;
  private final int attemptNumber;
  private final String callId;
  private final Deployment deployment;
  private final AtomicInteger emittedEvents = new AtomicInteger();
  private volatile boolean cancelled;

  RecordedCall(CallKind kind, GatewayRequest request, Map<String, String> headers,
      int attemptNumber, String callId, Deployment deployment) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.request = Objects.requireNonNull(request, "request");
    this.model = request.model();
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.attemptNumber = attemptNumber;
    this.callId = Objects.requireNonNull(callId, "callId");
    this.deployment = Objects.requireNonNull(deployment, "deployment");
  }

  /** Chat, stream or embed. */
  public CallKind kind() {
    return kind;
  }

  /** The model the provider was asked for (the provider's own model name). */
  public String model() {
    return model;
  }

  /** The request as the provider received it. */
  public GatewayRequest request() {
    return request;
  }

  /**
   * The request of a chat or stream call.
   *
   * @throws IllegalStateException for an embedding call
   */
  public ChatRequest chatRequest() {
    if (request instanceof ChatRequest c) {
      return c;
    }
    throw new IllegalStateException("this is a " + kind + " call, not a chat or stream call");
  }

  /**
   * The request of an embedding call.
   *
   * @throws IllegalStateException for a chat or stream call
   */
  public EmbeddingRequest embeddingRequest() {
    if (request instanceof EmbeddingRequest e) {
      return e;
    }
    throw new IllegalStateException("this is a " + kind + " call, not an embedding call");
  }

  /**
   * The extra HTTP headers the attempt carried when it reached the provider (those interceptors
   * and listeners added to the {@link dev.llmgateway.spi.AttemptContext}), in insertion order.
   */
  public Map<String, String> headers() {
    return headers;
  }

  /** The attempt's number within its gateway call: 1 for the first, counting across failover. */
  public int attemptNumber() {
    return attemptNumber;
  }

  /** The gateway's id for the call ({@code standalone} outside a gateway). */
  public String callId() {
    return callId;
  }

  /** This provider's name and the model. */
  public Deployment deployment() {
    return deployment;
  }

  /** For streams, how many events the fake emitted so far (the terminal one included); else 0. */
  public int emittedEvents() {
    return emittedEvents.get();
  }

  /** Whether the consumer closed this stream before its terminal event; false for unary calls. */
  public boolean cancelled() {
    return cancelled;
  }

  void eventEmitted() {
    emittedEvents.incrementAndGet();
  }

  void markCancelled() {
    cancelled = true;
  }

  @Override
  public String toString() {
    return "RecordedCall[" + kind + ", " + deployment + ", attempt=" + attemptNumber + ", callId="
        + callId + (headers.isEmpty() ? "" : ", headers=" + headers.keySet())
        + (kind == CallKind.STREAM ? ", emittedEvents=" + emittedEvents() : "")
        + (cancelled ? ", cancelled" : "") + "]";
  }
}
