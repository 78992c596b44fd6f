package dev.llmgateway.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway Redis server for tests: the machine's own {@code redis-server} (Debian's {@code
 * redis-server} package, which {@code .ci/run} installs), a child process on a free port of
 * localhost with its data in a temporary directory, persisting every write ({@code --appendonly
 * yes --appendfsync always}, as a budget store in production should), no RDB snapshots. Started
 * when it says it accepts connections (its log line, read from its output — no polling); {@link
 * #pause()} and {@link #resume()} send SIGSTOP and SIGCONT, so a test sees a Redis that is slow
 * or hung; {@link #restart()} starts it again on the same port and data (its script cache empty,
 * its data read back from the append-only file); {@link #close()} kills it and deletes its data.
 *
 * <p>Without {@code redis-server} the tests skip, saying how to install it, unless {@code
 * LLMGATEWAY_REQUIRE_SERVERS=1} (set by {@code .ci/run}), which fails them instead.
 */
final class LocalRedis implements AutoCloseable {

  /** How long a server may take to say it accepts connections. */
  private static final long START_SECONDS = 30;

  /** Whether a missing server fails the tests instead of skipping them (CI). */
  static final boolean REQUIRED = "1".equals(System.getenv("LLMGATEWAY_REQUIRE_SERVERS"));

  private final Path binary;
  private final Path dir;
  private final int port;
  private final List<String> extra;
  private @Nullable Process process;

  private LocalRedis(Path binary, Path dir, int port, List<String> extra) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
    this.extra = extra;
  }

  /** Starts a stand-alone server. */
  static LocalRedis start() throws IOException, InterruptedException {
    return start(List.of());
  }

  /** Starts a server with {@code extra} arguments after the defaults (e.g. cluster mode). */
  static LocalRedis start(List<String> extra) throws IOException, InterruptedException {
    return start(extra, freePort());
  }

  /** Starts a server on {@code port} with {@code extra} arguments after the defaults. */
  static LocalRedis start(List<String> extra, int port) throws IOException, InterruptedException {
    Path binary = binary("redis-server");
    Path dir = Files.createTempDirectory("llm-gateway-redis");
    LocalRedis redis = new LocalRedis(binary, dir, port, List.copyOf(extra));
    try {
      redis.launch();
    } catch (IOException | RuntimeException | InterruptedException e) {
      redis.close();
      throw e;
    }
    return redis;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  Path dir() {
    return dir;
  }

  /** The server's process id. */
  long pid() {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException("the server is not running");
    }
    return p.pid();
  }

  /** Stops the process where it stands (SIGSTOP): connections stay open, nothing answers. */
  void pause() throws IOException, InterruptedException {
    signal("-STOP");
  }

  /** Lets a paused process go on (SIGCONT). */
  void resume() throws IOException, InterruptedException {
    signal("-CONT");
  }

  /** Kills the server (SIGKILL) and waits for it to be gone; its data stays. */
  void kill() throws InterruptedException {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      p.waitFor(START_SECONDS, TimeUnit.SECONDS);
      process = null;
    }
  }

  /**
   * Kills the server and starts it again on the same port and data directory: the data written
   * before comes back from the append-only file; the script cache is empty.
   */
  void restart() throws IOException, InterruptedException {
    kill();
    launch();
  }

  private void launch() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--appendonly", "yes", "--appendfsync", "always", "--save", "",
        "--daemonize", "no", "--protected-mode", "no"));
    command.addAll(extra);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    process = p;
    CountDownLatch ready = new CountDownLatch(1);
    StringBuffer log = new StringBuffer();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (log.length() < 20_000) {
            log.append(line).append('\n');
          }
          if (line.contains("Ready to accept connections")) {
            ready.countDown();
          }
        }
      } catch (IOException e) {
        // the process ended: its output is closed
      }
    }, "local-redis-" + port);
    reader.setDaemon(true);
    reader.start();
    if (!ready.await(START_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("redis-server on port " + port + " did not become ready in "
          + START_SECONDS + " s: " + log);
    }
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(pid()))
        .redirectErrorStream(true).start();
    if (!kill.waitFor(START_SECONDS, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill " + signal + " " + pid() + " failed");
    }
  }

  /** Kills the server and deletes its data. */
  @Override
  public void close() throws IOException {
    Process p = process;
    if (p != null) {
      try {
        new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      p.destroyForcibly();
      process = null;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  /** The path of a Redis program ({@code redis-server}, {@code redis-cli}), or skips/fails. */
  static Path binary(String name) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(entry, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    String missing = name + " was not found on the PATH: install Redis (Debian: apt-get install"
        + " redis-server, as .ci/run does)";
    if (REQUIRED) {
      throw new IllegalStateException(missing + " (LLMGATEWAY_REQUIRE_SERVERS is set: CI must run"
          + " the Redis tests)");
    }
    Assumptions.abort(missing + "; the Redis tests are skipped");
    throw new AssertionError("unreachable");
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
