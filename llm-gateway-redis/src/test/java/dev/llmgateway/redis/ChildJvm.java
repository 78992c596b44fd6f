package dev.llmgateway.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A main class of the test class path run in another JVM (a small heap, the serial collector), so
 * a test can count across processes: it reads the child's output line by line (echoed to this
 * JVM's output with the child's name) to wait for a line it expects, and writes lines to the
 * child's input. {@link #close()} kills it if it still runs.
 */
final class ChildJvm implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Writer input;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ChildJvm(String name, Process process) {
    this.name = name;
    this.process = process;
    this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          System.out.println("[" + name + "] " + line);
          lines.add(line);
        }
      } catch (IOException e) {
        // the child ended
      }
    }, "child-jvm-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code mainClass} with {@code args} in a JVM of at most {@code heapMb} MiB of heap. */
  static ChildJvm start(String name, Class<?> mainClass, int heapMb, String... args)
      throws IOException {
    String classPath = System.getProperty("java.class.path");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", classPath, mainClass.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new ChildJvm(name, p);
  }

  /**
   * Waits for a line starting with {@code prefix} and returns it.
   *
   * @throws IllegalStateException if the child ends or {@code seconds} pass first
   */
  String await(String prefix, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (;;) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
      if (line == null && !process.isAlive() && lines.isEmpty()) {
        throw new IllegalStateException(name + " ended (exit " + process.exitValue()
            + ") before printing " + prefix);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " did not print " + prefix + " in " + seconds
            + " s");
      }
    }
  }

  /** Writes {@code line} to the child's input. */
  void send(String line) throws IOException {
    input.write(line + "\n");
    input.flush();
  }

  /** Waits for the child to end; its exit code. */
  int exitCode(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " did not end in " + seconds + " s");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
