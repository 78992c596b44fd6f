package dev.llmgateway.benchmarks.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Upstream} running as a child process of the runner, on the same class path and Java,
 * optionally under {@code taskset -c <cpu>}. It is stopped by {@link #close()}, or by the end of
 * its standard input when the runner dies.
 *
 * <p>Thread-safe.
 */
final class UpstreamProcess implements AutoCloseable {
  private static final Pattern CPU = Pattern.compile("\"cpuNanos\":(\\d+)");
  private static final Pattern REQUESTS = Pattern.compile("\"requests\":(\\d+)");

  private final Process process;
  private final int port;

  private UpstreamProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the upstream and waits until it listens; {@code cpu} null means not pinned. */
  static UpstreamProcess start(@Nullable String cpu, int paceMillis)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    if (cpu != null) {
      command.addAll(List.of("taskset", "-c", cpu));
    }
    command.addAll(List.of(java, "-Xms256m", "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), Upstream.class.getName(),
        "--port", "0", "--pace-ms", Integer.toString(paceMillis)));
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("listening on ")) {
      process.destroyForcibly();
      throw new IOException("the upstream did not start: " + line);
    }
    int port = Integer.parseInt(line.substring("listening on ".length()).trim());
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // the upstream prints nothing more; keep its pipe from filling anyway
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "upstream-stdout");
    drain.setDaemon(true);
    drain.start();
    UpstreamProcess upstream = new UpstreamProcess(process, port);
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "upstream-stop"));
    return upstream;
  }

  /** The base URL of its OpenAI API. */
  String baseUrl() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  /** The upstream process's CPU time so far, from its {@code /stats}. */
  long cpuNanos() {
    return stat(CPU);
  }

  /** The completions the upstream has served so far, from its {@code /stats}. */
  long requests() {
    return stat(REQUESTS);
  }

  /**
   * The flush times of the paced streams the upstream finished since the last call, by stream id
   * (one {@link System#nanoTime()} per content chunk); see {@link Upstream}'s {@code /sent}.
   */
  Map<String, long[]> drainSent() {
    try {
      HttpURLConnection c = (HttpURLConnection)
          URI.create("http://127.0.0.1:" + port + "/sent").toURL().openConnection();
      Map<String, long[]> sent = new HashMap<>();
      try (InputStream in = c.getInputStream()) {
        for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
          if (line.isEmpty()) {
            continue;
          }
          String[] fields = line.split(" ");
          long[] times = new long[fields.length - 1];
          for (int i = 1; i < fields.length; i++) {
            times[i - 1] = Long.parseLong(fields[i]);
          }
          sent.put(fields[0], times);
        }
      }
      return sent;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the upstream's /sent", e);
    }
  }

  private long stat(Pattern field) {
    try {
      HttpURLConnection c = (HttpURLConnection)
          URI.create("http://127.0.0.1:" + port + "/stats").toURL().openConnection();
      try (InputStream in = c.getInputStream()) {
        String json = new String(in.readAllBytes(), UTF_8);
        Matcher m = field.matcher(json);
        if (!m.find()) {
          throw new IllegalStateException("unexpected /stats answer: " + json);
        }
        return Long.parseLong(m.group(1));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the upstream's /stats", e);
    }
  }

  /** Stops the upstream and waits up to five seconds for it to end. */
  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
