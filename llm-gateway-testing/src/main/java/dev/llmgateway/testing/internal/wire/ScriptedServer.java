package dev.llmgateway.testing.internal.wire;

import dev.llmgateway.testing.wire.MockRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import okio.Buffer;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * The format-neutral core of a wire-level mock: a {@link MockWebServer} on 127.0.0.1 whose
 * dispatcher hands each request to a format's {@link Responder} together with the script (a queue
 * of {@link Scripted} answers, taken in order), the record of requests, and the bodies written
 * piece by piece ({@link LiveBody}) that the server releases when it closes.
 *
 * <p>Thread-safe.
 */
public final class ScriptedServer implements AutoCloseable {

  /** Answers one request in a format's own shape. */
  @FunctionalInterface
  public interface Responder {
    /**
     * Answers a request. A request the script is for takes the next scripted answer with {@link
     * ScriptedServer#next()}; one the format rejects on its own (an unknown path) takes none.
     *
     * @param number the request's number, from 1
     */
    MockResponse respond(RecordedRequest request, int number, ScriptedServer server);
  }

  /** How many bytes an oversized body adds: 1 GiB. */
  public static final long OVERSIZE_BYTES = 1L << 30;

  private static final int FILLER_PIECE = 64 * 1024;
  private static final Duration TAKE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final MockWebServer server = new MockWebServer();
  private final ConcurrentLinkedQueue<Scripted> script = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Duration> pendingPace = new AtomicReference<>(Duration.ZERO);
  private volatile @Nullable String servedModel;
  /** The model each answer scripted after a {@link #servedModel(String)} names (by identity). */
  private final Map<Scripted, String> servedModels =
      Collections.synchronizedMap(new IdentityHashMap<>());
  private final Set<LiveBody> live = ConcurrentHashMap.newKeySet();
  private final AtomicInteger dispatched = new AtomicInteger();
  private final AtomicReference<@Nullable LiveBody> lastLive = new AtomicReference<>();
  private final ExecutorService readers;
  private volatile boolean closed;

  private ScriptedServer(String name, Responder responder) {
    this.name = name;
    AtomicInteger threads = new AtomicInteger();
    this.readers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, name + "-watcher-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        int number = dispatched.incrementAndGet();
        try {
          return responder.respond(request, number, ScriptedServer.this);
        } catch (RuntimeException e) {
          return new MockResponse.Builder().code(500)
              .setHeader("content-type", "text/plain; charset=utf-8")
              .body(name + " failed to answer request #" + number + ": " + e)
              .build();
        }
      }
    });
  }

  /**
   * Makes the answers scripted from now on name {@code model} as the model that served them; null:
   * the request's model again.
   */
  public void servedModel(@Nullable String model) {
    this.servedModel = model;
  }

  /** The model {@code answer} names as the one that served a request for {@code requested}. */
  public String modelServing(Scripted answer, String requested) {
    String served = servedModels.remove(answer);
    return served != null ? served : requested;
  }

  /** Starts a server on 127.0.0.1 and an ephemeral port. */
  public static ScriptedServer start(String name, Responder responder) {
    ScriptedServer s = new ScriptedServer(name, responder);
    try {
      s.server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      s.close();
      throw new UncheckedIOException(name + " could not start", e);
    }
    return s;
  }

  /**
   * The answer of {@link dev.llmgateway.testing.wire.MockFault#DROP_BEFORE_HEADERS}: once the
   * request has been read, the server closes the connection without writing a byte.
   */
  public static MockResponse dropBeforeHeaders() {
    return new MockResponse.Builder()
        .onResponseStart(new SocketEffect.CloseSocket(true, false, false))
        .build();
  }

  /**
   * The pieces of a body of {@code head} followed by {@link #OVERSIZE_BYTES} of {@code filler},
   * each piece of filler made as it is written (one shared 64 KiB array), so that a body of any
   * size costs the server no memory.
   */
  public static List<Supplier<byte[]>> oversized(byte[] head, char filler) {
    byte[] piece = new byte[FILLER_PIECE];
    Arrays.fill(piece, (byte) filler);
    Supplier<byte[]> fill = () -> piece;
    List<Supplier<byte[]>> pieces = new ArrayList<>();
    pieces.add(() -> head);
    pieces.addAll(Collections.nCopies((int) (OVERSIZE_BYTES / FILLER_PIECE), fill));
    return pieces;
  }

  /**
   * A unary body of {@link dev.llmgateway.testing.wire.MockFault#OVERSIZED_BODY}: a JSON object
   * whose one string runs on for {@link #OVERSIZE_BYTES}.
   */
  public static List<Supplier<byte[]>> oversizedJson() {
    return oversized("{\"oversized\":\"".getBytes(StandardCharsets.UTF_8), 'x');
  }

  /**
   * The last event of a stream of {@link dev.llmgateway.testing.wire.MockFault#OVERSIZED_BODY}: a
   * {@code data:} line that runs on for {@link #OVERSIZE_BYTES}.
   */
  public static List<Supplier<byte[]>> oversizedEvent() {
    return oversized("data: {\"oversized\":\"".getBytes(StandardCharsets.UTF_8), 'x');
  }

  /**
   * The answer of {@link dev.llmgateway.testing.wire.MockFault#OVERSIZED_ERROR_BODY}: the given
   * response, its body followed by {@link #OVERSIZE_BYTES} of spaces (still valid JSON), written
   * chunked piece by piece; the connection is closed after it.
   */
  public MockResponse padded(MockResponse answer) {
    Buffer head = new Buffer();
    MockResponseBody body = answer.getBody();
    try {
      if (body != null) {
        body.writeTo(head);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LiveBody live = live(oversized(head.readByteArray(), ' '), LiveBody.Framing.CHUNKED,
        LiveBody.Ending.COMPLETE, Duration.ZERO);
    return new MockResponse.Builder(answer).removeHeader("Content-Length")
        .setHeader("Transfer-Encoding", "chunked")
        .socketHandler(live)
        .onResponseEnd(new SocketEffect.CloseSocket(true, false, false))
        .build();
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String origin() {
    return "http://127.0.0.1:" + port();
  }

  /** Queues an answer. */
  public void enqueue(Scripted answer) {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    String served = servedModel;
    if (served != null) {
      servedModels.put(Objects.requireNonNull(answer, "answer"), served);
    }
    script.add(Objects.requireNonNull(answer, "answer"));
  }

  /** Takes the next scripted answer, or null when the script is used up. */
  public @Nullable Scripted next() {
    return script.poll();
  }

  /** How many scripted answers no request has taken yet. */
  public int unconsumed() {
    return script.size();
  }

  /** Sets the pace of the next stream queued. */
  public void pace(Duration perChunk) {
    Objects.requireNonNull(perChunk, "perChunk");
    if (perChunk.isNegative()) {
      throw new IllegalArgumentException("a pace must be >= 0, was " + perChunk);
    }
    pendingPace.set(perChunk);
  }

  /** Takes the pending pace for a stream being queued ({@link Duration#ZERO} when none is set). */
  public Duration takePace() {
    return pendingPace.getAndSet(Duration.ZERO);
  }

  /**
   * A body written piece by piece; it becomes the most recent streamed response that {@link
   * #awaitClientDisconnect()} and {@link #awaitStreamWritten(Duration)} look at.
   */
  public LiveBody live(List<? extends Supplier<byte[]>> pieces, LiveBody.Framing framing,
      LiveBody.Ending ending, Duration pace) {
    LiveBody[] self = new LiveBody[1];
    LiveBody body = new LiveBody(pieces, framing, ending, pace, readers,
        () -> live.remove(self[0]));
    self[0] = body;
    live.add(body);
    lastLive.set(body);
    if (closed) {
      body.shutdown();
    }
    return body;
  }

  /**
   * The next request received, waiting up to 5 seconds.
   *
   * @throws AssertionError when none arrived
   */
  public MockRequest takeRequest() {
    RecordedRequest r;
    try {
      r = server.takeRequest(TAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a request to " + name, e);
    }
    if (r == null) {
      throw new AssertionError(name + " received no request within " + TAKE_TIMEOUT.toSeconds()
          + " s (" + requestCount() + " received in all)");
    }
    return toMockRequest(r);
  }

  /** How many requests the server received. */
  public int requestCount() {
    return server.getRequestCount();
  }

  /** Waits up to 5 s for the client of the most recent streamed response to hang up. */
  public boolean awaitClientDisconnect() {
    LiveBody body = lastLive.get();
    return body != null && body.awaitDisconnect(DISCONNECT_TIMEOUT);
  }

  /** Waits for the most recent streamed response to be written to its end. */
  public boolean awaitStreamWritten(Duration timeout) {
    LiveBody body = lastLive.get();
    return body != null && body.awaitWritten(timeout);
  }

  /** A request as the public record: headers in lower case, the body as UTF-8 text. */
  static MockRequest toMockRequest(RecordedRequest r) {
    Map<String, String> headers = new LinkedHashMap<>();
    Headers h = r.getHeaders();
    for (int i = 0; i < h.size(); i++) {
      headers.merge(h.name(i).toLowerCase(Locale.ROOT), h.value(i), (a, b) -> a + ", " + b);
    }
    ByteString body = r.getBody();
    return new MockRequest(r.getMethod(), r.getTarget(), headers, body == null ? "" : body.utf8());
  }

  /** Stops the server: pending stalls and paced bodies are released, connections closed. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (LiveBody body : live) {
      body.shutdown();
    }
    try {
      server.close();
    } finally {
      readers.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return name + "[" + (server.getStarted() ? origin() : "not started") + "]";
  }
}
