package dev.llmgateway.testing.internal.wire;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import mockwebserver3.SocketHandler;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Okio;
import okio.Sink;
import okio.Socket;
import okio.Source;

/**
 * A response body the mock writes piece by piece on the socket, after MockWebServer sent the status
 * line and headers: each piece (an SSE event, or part of a JSON body) is written and flushed on its
 * own, after an optional pause, then the body ends cleanly, stalls or drops the connection.
 *
 * <p>While it writes, a reader on another thread watches the connection: HTTP/1.1 clients send
 * nothing while a response is in flight, so end-of-stream or a reset there means the client hung
 * up (closed the connection or cancelled the call). That is how {@link #awaitDisconnect} knows,
 * and why a paced or stalled body stops waiting as soon as the client leaves. After a clean end the
 * reader keeps watching until the client sends its next request (the connection is reused) or
 * closes; a hang-up after the end is not counted.
 *
 * <p>Pauses and stalls wait on a latch that {@link #shutdown()} (the server closing) and the client
 * hanging up release; nothing polls or sleeps. Thread-safe; used for one response.
 */
public final class LiveBody implements SocketHandler {
  /** How the pieces are framed on the wire. */
  public enum Framing {
    /** HTTP/1.1 chunked transfer coding, one chunk per piece (streams). */
    CHUNKED,
    /** The bytes as they are; the response's {@code Content-Length} frames them. */
    RAW
  }

  /** How the body ends after its pieces. */
  public enum Ending {
    /** Cleanly: the terminating chunk (chunked), or nothing more (raw). */
    COMPLETE,
    /** Not at all: the server goes silent for 60 s, or until the client or the server leaves. */
    STALL,
    /** The server closes the connection without ending the body. */
    DROP
  }

  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final List<? extends Supplier<byte[]>> pieces;
  private final Framing framing;
  private final Ending ending;
  private final long paceNanos;
  private final Executor readers;
  private final Runnable onDone;
  private final CountDownLatch wake = new CountDownLatch(1);
  private final CountDownLatch disconnected = new CountDownLatch(1);
  private final CountDownLatch written = new CountDownLatch(1);
  /** The server is done with the response (or shutting down): a hang-up now is not counted. */
  private volatile boolean ended;

  /**
   * A body.
   *
   * @param pieces the pieces, each encoded when it is about to be written
   * @param framing how pieces are framed
   * @param ending how the body ends
   * @param pace the wait before each piece, {@link Duration#ZERO} for none
   * @param readers runs the thread that watches the client
   * @param onDone called once the handler is finished with the socket
   */
  public LiveBody(List<? extends Supplier<byte[]>> pieces, Framing framing, Ending ending,
      Duration pace, Executor readers, Runnable onDone) {
    this.pieces = List.copyOf(pieces);
    this.framing = Objects.requireNonNull(framing, "framing");
    this.ending = Objects.requireNonNull(ending, "ending");
    this.paceNanos = pace.toNanos();
    this.readers = Objects.requireNonNull(readers, "readers");
    this.onDone = Objects.requireNonNull(onDone, "onDone");
  }

  @Override
  public void handle(Socket socket) {
    Sink rawSink = socket.getSink();
    BufferedSink sink = rawSink instanceof BufferedSink b ? b : Okio.buffer(rawSink);
    CompletableFuture<Void> watcher = watch(socket.getSource());
    try {
      for (Supplier<byte[]> piece : pieces) {
        if (paceNanos > 0 && pause(paceNanos)) {
          abort(socket);
          return;
        }
        write(sink, piece.get());
      }
      switch (ending) {
        case COMPLETE:
          if (framing == Framing.CHUNKED) {
            sink.writeUtf8("0\r\n\r\n");
          }
          sink.flush();
          ended = true;
          written.countDown();
          break;
        case STALL:
          pause(STALL_NANOS);
          abort(socket);
          break;
        default:
          abort(socket);
          break;
      }
    } catch (IOException e) {
      hungUp();
      abort(socket);
    } finally {
      awaitQuietly(watcher);
      onDone.run();
    }
  }

  /** Waits until the client hung up while the response was in flight. */
  public boolean awaitDisconnect(Duration timeout) {
    return await(disconnected, timeout);
  }

  /** Waits until the last piece was written and the body ended cleanly. */
  public boolean awaitWritten(Duration timeout) {
    return await(written, timeout);
  }

  /** The server is closing: ends pauses and stalls at once, and counts no hang-up from now on. */
  public void shutdown() {
    ended = true;
    wake.countDown();
  }

  private void write(BufferedSink sink, byte[] piece) throws IOException {
    if (framing == Framing.CHUNKED) {
      if (piece.length == 0) {
        return; // an empty chunk would end the body
      }
      sink.writeHexadecimalUnsignedLong(piece.length);
      sink.writeUtf8("\r\n");
      sink.write(piece);
      sink.writeUtf8("\r\n");
    } else {
      sink.write(piece);
    }
    sink.flush();
  }

  /** Waits; true when woken early (the client hung up or the server is closing). */
  private boolean pause(long nanos) {
    try {
      return wake.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void abort(Socket socket) {
    ended = true;
    socket.cancel();
  }

  private void hungUp() {
    if (!ended) {
      disconnected.countDown();
      wake.countDown();
    }
  }

  /**
   * Watches the connection without consuming from it: {@code exhausted()} only fills the shared
   * buffer, so a next request stays there for MockWebServer to read once this handler returns.
   */
  private CompletableFuture<Void> watch(Source source) {
    if (!(source instanceof BufferedSource buffered)) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      return CompletableFuture.runAsync(() -> {
        try {
          if (buffered.exhausted()) {
            hungUp();
          }
        } catch (IOException | RuntimeException e) {
          hungUp();
        }
      }, readers);
    } catch (RejectedExecutionException closing) {
      return CompletableFuture.completedFuture(null);
    }
  }

  /**
   * Waits for the watcher, so that it never reads the socket together with MockWebServer. It ends
   * when the client sends its next request or closes, or when the socket is closed.
   */
  private static void awaitQuietly(CompletableFuture<Void> watcher) {
    boolean interrupted = false;
    for (;;) {
      try {
        watcher.get(1, TimeUnit.HOURS);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException | TimeoutException e) {
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean await(CountDownLatch latch, Duration timeout) {
    try {
      return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
