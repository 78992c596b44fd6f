package dev.llmgateway.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM running a test's {@code main} class on this JVM's class path with a small heap: a
 * second process of an application, so a test shows what holds across processes (a limit or a
 * budget in one Redis) and not just across threads. Its output goes to a file in {@code dir}.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code main} with {@code args} in a JVM of {@code heapMb} MB of heap. */
  static ChildJvm start(Class<?> main, int heapMb, Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, main.getSimpleName(), ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    return new ChildJvm(process, log);
  }

  /** Waits for it to end and returns its exit code; fails the test when it runs too long. */
  int await(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the child JVM ran over " + seconds + " s: " + output());
    }
    return process.exitValue();
  }

  /** What it printed so far. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(its output could not be read: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
