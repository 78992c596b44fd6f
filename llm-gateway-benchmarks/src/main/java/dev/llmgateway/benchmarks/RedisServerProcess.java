package dev.llmgateway.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A throwaway {@code redis-server} for the benchmarks, started as the Redis tests start theirs: the
 * machine's own binary, a free port of localhost, a temporary data directory, the append-only file
 * on ({@code appendfsync} as asked), no snapshots; ready when it logs that it accepts connections.
 * {@link #close()} kills it and deletes its data.
 */
final class RedisServerProcess implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final int port;

  private RedisServerProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** The {@code redis-server} on the PATH, or null. */
  static @Nullable Path binary() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        Path candidate = Path.of(entry, "redis-server");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  /**
   * Starts a server whose append-only file is synced {@code appendfsync} ({@code always}, {@code
   * everysec}).
   *
   * @throws IllegalStateException if {@code redis-server} is not on the PATH (saying how to get it)
   */
  static RedisServerProcess start(String appendfsync) throws IOException, InterruptedException {
    Path binary = binary();
    if (binary == null) {
      throw new IllegalStateException("redis-server is not on the PATH, so the Redis arms are"
          + " skipped: install Redis (Debian: apt-get install redis-server) to run them");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("llm-gateway-bench-redis");
    Process p = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync",
        appendfsync, "--save", "", "--daemonize", "no", "--protected-mode", "no"))
        .redirectErrorStream(true).start();
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.contains("Ready to accept connections")) {
            ready.countDown();
          }
        }
      } catch (IOException e) {
        // the server ended
      }
    }, "bench-redis-" + port);
    reader.setDaemon(true);
    reader.start();
    if (!ready.await(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("redis-server did not start in 30 s");
    }
    return new RedisServerProcess(p, dir, port);
  }

  /** {@code redis://127.0.0.1:<port>}. */
  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
