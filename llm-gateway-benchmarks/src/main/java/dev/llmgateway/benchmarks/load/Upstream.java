package dev.llmgateway.benchmarks.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A mock OpenAI Chat Completions server for the {@link LoadRunner}, JDK only ({@link HttpServer}),
 * meant to run in its own process so that its CPU is not the measured JVM's:
 *
 * <pre>
 * java -cp llm-gateway-benchmarks/target/benchmarks.jar dev.llmgateway.benchmarks.load.Upstream \
 *   --port 8089 [--pace-ms 5]
 * </pre>
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions} reads the whole body and answers a fixed compact chat
 *       completion ({@link #COMPLETION}, about 400 bytes); when the body contains {@code
 *       "stream":true} it answers an SSE stream of eight content chunks, a finish chunk, a usage
 *       chunk and {@code [DONE]} ({@link #STREAM_EVENTS}), each event flushed. With {@code
 *       --pace-ms M} content chunk k (from 0) is sent (k + 1) × M ms after the request was read,
 *       on that fixed schedule, so that late wake-ups do not add up over a stream (0, the
 *       default, sends them at once). Both answers say {@link #TEXT}. A paced stream gets an id
 *       of its own ({@code chatcmpl-paced-N} in every chunk), and the upstream keeps, per id, the
 *       {@link System#nanoTime()} right after it flushed each content chunk (for up to {@value
 *       #MAX_SENT} streams not yet read from {@code /sent}).
 *   <li>{@code GET /stats} answers {@code {"cpuNanos":N,"requests":M}}: this process's CPU time
 *       and the number of completions served, so that the runner can report the upstream's CPU.
 *   <li>{@code GET /sent} answers, and forgets, the flush times of the paced streams finished
 *       so far: one line per stream, its id and then one time per content chunk, separated by
 *       spaces. On Linux {@code System.nanoTime()} reads {@code CLOCK_MONOTONIC}, the same clock
 *       in every process, so the runner can compare these times with its own ({@link
 *       Lateness}).
 * </ul>
 *
 * With {@code --port 0} it picks a free port. Once listening it prints {@code listening on N} on
 * standard output. It stops when its standard input closes (its parent died) or it is killed.
 *
 * <p>Thread-safe; requests are served by a fixed pool of {@value #THREADS} threads.
 */
public final class Upstream {
  /** The text both answers carry. */
  public static final String TEXT = "Hello! How can I help you today?";

  /** The eight content deltas of the stream; joined they make {@link #TEXT}. */
  static final String[] DELTAS = {"Hello", "!", " How", " can", " I", " help", " you", " today?"};

  /** Threads serving requests: more than the runner's most callers, so none waits for one. */
  static final int THREADS = 128;

  private static final String ID = "chatcmpl-CHn8kQ2Rz7W1uXb4YpLm3sT9vA0eF";
  private static final String MODEL = "gpt-4.1-mini-2025-04-14";
  private static final String PATH = "/v1/chat/completions";

  /** The unary answer. */
  static final byte[] COMPLETION = ("{\"id\":\"" + ID + "\",\"object\":\"chat.completion\","
      + "\"created\":1764090000,\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"" + TEXT + "\",\"refusal\":null,"
      + "\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29},"
      + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_6f2eabb9a5\"}").getBytes(UTF_8);

  /** The stream's events, each a complete {@code data:} line and blank line. */
  static final String[] STREAM_TEXT = streamEvents();

  /** {@link #STREAM_TEXT} in UTF-8. */
  static final byte[][] STREAM_EVENTS = utf8(STREAM_TEXT);

  /** Paced streams whose flush times are kept until {@code /sent} is read; more are dropped. */
  static final int MAX_SENT = 100_000;

  /** The ids of paced streams start with this. */
  static final String PACED_ID = "chatcmpl-paced-";

  private final HttpServer server;
  private final ExecutorService pool;
  private final int paceMillis;
  private final LongAdder requests = new LongAdder();
  private final AtomicLong pacedStreams = new AtomicLong();
  private final Map<String, long[]> sent = new ConcurrentHashMap<>();

  private Upstream(int port, int paceMillis) throws IOException {
    this.paceMillis = paceMillis;
    this.server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "upstream-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext(PATH, this::completions);
    server.createContext("/stats", this::stats);
    server.createContext("/sent", this::sent);
  }

  /** Runs the server until standard input closes; see the class comment for the options. */
  public static void main(String[] args) throws IOException {
    int port = 0;
    int pace = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(value(args, ++i));
        case "--pace-ms" -> pace = Integer.parseInt(value(args, ++i));
        default -> throw new IllegalArgumentException("unknown option '" + args[i]
            + "'; expected --port N [--pace-ms M]");
      }
    }
    if (pace < 0) {
      throw new IllegalArgumentException("--pace-ms must be >= 0, was " + pace);
    }
    // without it the JDK server's separate header and body writes meet delayed ACKs: 40 ms a call
    System.setProperty("sun.net.httpserver.nodelay", "true");
    Upstream upstream = new Upstream(port, pace);
    upstream.server.start();
    System.out.println("listening on " + upstream.server.getAddress().getPort());
    System.out.flush();
    // the parent holds our stdin; end of input means it is gone
    while (System.in.read() >= 0) {
      // ignore anything written to us
    }
    upstream.server.stop(0);
    upstream.pool.shutdownNow();
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException("option '" + args[i - 1] + "' needs a value");
    }
    return args[i];
  }

  private void completions(HttpExchange exchange) throws IOException {
    try {
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      long read = System.nanoTime();
      requests.increment();
      exchange.getResponseHeaders().add("x-request-id", "req_" + ID);
      if (new String(body, UTF_8).contains("\"stream\":true")) {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        String id = paceMillis > 0 ? PACED_ID + pacedStreams.incrementAndGet() : null;
        long[] flushed = id == null ? null : new long[DELTAS.length];
        for (int i = 0; i < STREAM_EVENTS.length; i++) {
          if (id != null && i < DELTAS.length) {
            sleepUntil(read + (i + 1) * TimeUnit.MILLISECONDS.toNanos(paceMillis));
          }
          out.write(id == null ? STREAM_EVENTS[i] : STREAM_TEXT[i].replace(ID, id).getBytes(UTF_8));
          out.flush();
          if (flushed != null && i < DELTAS.length) {
            flushed[i] = System.nanoTime();
          }
        }
        if (id != null && flushed != null && sent.size() < MAX_SENT) {
          sent.put(id, flushed);
        }
        out.close();
      } else {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, COMPLETION.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(COMPLETION);
        }
      }
    } finally {
      exchange.close();
    }
  }

  private void stats(HttpExchange exchange) throws IOException {
    try {
      long cpu = ((com.sun.management.OperatingSystemMXBean)
          ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
      byte[] json = ("{\"cpuNanos\":" + cpu + ",\"requests\":" + requests.sum() + "}")
          .getBytes(UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, json.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(json);
      }
    } finally {
      exchange.close();
    }
  }

  private void sent(HttpExchange exchange) throws IOException {
    try {
      StringBuilder lines = new StringBuilder();
      for (Iterator<Map.Entry<String, long[]>> it = sent.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, long[]> e = it.next();
        it.remove();
        lines.append(e.getKey());
        for (long t : e.getValue()) {
          lines.append(' ').append(t);
        }
        lines.append('\n');
      }
      byte[] body = lines.toString().getBytes(UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }

  /** Parks until {@link System#nanoTime()} reaches {@code deadline}. */
  private static void sleepUntil(long deadline) throws IOException {
    for (long wait = deadline - System.nanoTime(); wait > 0; wait = deadline - System.nanoTime()) {
      LockSupport.parkNanos(wait);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while pacing the stream");
      }
    }
  }

  private static byte[][] utf8(String[] text) {
    byte[][] bytes = new byte[text.length][];
    for (int i = 0; i < text.length; i++) {
      bytes[i] = text[i].getBytes(UTF_8);
    }
    return bytes;
  }

  private static String[] streamEvents() {
    String head = "{\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1764090000,\"model\":\"" + MODEL + "\","
        + "\"system_fingerprint\":\"fp_6f2eabb9a5\",\"choices\":";
    String[] events = new String[DELTAS.length + 3];
    for (int i = 0; i < DELTAS.length; i++) {
      String delta = i == 0
          ? "{\"role\":\"assistant\",\"content\":\"" + DELTAS[i] + "\",\"refusal\":null}"
          : "{\"content\":\"" + DELTAS[i] + "\"}";
      events[i] = data(head + "[{\"index\":0,\"delta\":" + delta
          + ",\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");
    }
    events[DELTAS.length] = data(head
        + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":null}");
    events[DELTAS.length + 1] = data(head + "[],\"usage\":{\"prompt_tokens\":19,"
        + "\"completion_tokens\":10,\"total_tokens\":29}}");
    events[DELTAS.length + 2] = data("[DONE]");
    return events;
  }

  private static String data(String payload) {
    return "data: " + payload + "\n\n";
  }
}
