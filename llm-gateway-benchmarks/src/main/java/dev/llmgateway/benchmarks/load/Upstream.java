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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

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
 *       chunk and {@code [DONE]} ({@link #STREAM_EVENTS}), each event flushed, with {@code
 *       --pace-ms} milliseconds before each content chunk (0, the default, sends them at once).
 *       Both answers say {@link #TEXT}.
 *   <li>{@code GET /stats} answers {@code {"cpuNanos":N,"requests":M}}: this process's CPU time
 *       and the number of completions served, so that the runner can report the upstream's CPU.
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
  static final byte[][] STREAM_EVENTS = streamEvents();

  private final HttpServer server;
  private final ExecutorService pool;
  private final int paceMillis;
  private final LongAdder requests = new LongAdder();

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
      requests.increment();
      exchange.getResponseHeaders().add("x-request-id", "req_" + ID);
      if (new String(body, UTF_8).contains("\"stream\":true")) {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < STREAM_EVENTS.length; i++) {
          if (paceMillis > 0 && i < DELTAS.length) {
            sleep(paceMillis);
          }
          out.write(STREAM_EVENTS[i]);
          out.flush();
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

  private static void sleep(int millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while pacing the stream", e);
    }
  }

  private static byte[][] streamEvents() {
    String head = "{\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1764090000,\"model\":\"" + MODEL + "\","
        + "\"system_fingerprint\":\"fp_6f2eabb9a5\",\"choices\":";
    byte[][] events = new byte[DELTAS.length + 3][];
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

  private static byte[] data(String payload) {
    return ("data: " + payload + "\n\n").getBytes(UTF_8);
  }
}
