package dev.llmgateway.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM running a test's {@code main} class on this JVM's class path with a small heap: a
 * second process of an application, so a test shows what holds across processes (a limit or a
 * budget in one Redis) and not just across threads. Its output goes to a file in {@code dir}
 * ({@link #output()}), line by line as it prints; a test can wait for a line it expects ({@link
 * #awaitLine}) and write lines to the child's input ({@link #send}), to start several children at
 * once.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final Writer input;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
          lines.add(line);
        }
      } catch (IOException e) {
        // the child ended
      }
    }, "child-jvm-" + log.getFileName());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} with {@code args} in a JVM of {@code heapMb} MB of heap. */
  static ChildJvm start(Class<?> main, int heapMb, Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, main.getSimpleName(), ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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

  /**
   * Waits for a line starting with {@code prefix} and returns it; fails the test when the child
   * ends or {@code seconds} pass first.
   */
  String awaitLine(String prefix, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (;;) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
      if (line == null && !process.isAlive() && lines.isEmpty()) {
        throw new AssertionError("the child JVM ended (exit " + process.exitValue()
            + ") before printing " + prefix + ": " + output());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the child JVM did not print " + prefix + " in " + seconds
            + " s: " + output());
      }
    }
  }

  /** Writes {@code line} to the child's input. */
  void send(String line) throws IOException {
    input.write(line + "\n");
    input.flush();
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
