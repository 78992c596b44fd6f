package dev.llmgateway.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * A JFR recording of this JVM's lock waits, started in-process: {@value #MONITOR_ENTER} (a thread
 * blocked entering a contended {@code synchronized}) and {@value #THREAD_PARK} (a thread parked,
 * e.g. on a {@code java.util.concurrent} lock or condition), both with stack traces and only when
 * they last at least a threshold, plus the runner's {@link RoundEvent} marks. {@link #stop}
 * writes the recording to a file and reads it back as a {@link LockProfile}. Not thread-safe:
 * started and stopped by one thread.
 */
final class LockRecording implements AutoCloseable {
  static final String MONITOR_ENTER = "jdk.JavaMonitorEnter";
  static final String THREAD_PARK = "jdk.ThreadPark";

  /**
   * The load runner's threshold: waits shorter than 1 ms are not recorded, which keeps the cost
   * of a stack trace per event off the many short waits at 64 callers (JFR's own "profile"
   * settings use 10 ms).
   */
  static final Duration THRESHOLD = Duration.ofMillis(1);

  private final Recording recording;
  private final Duration threshold;

  private LockRecording(Recording recording, Duration threshold) {
    this.recording = recording;
    this.threshold = threshold;
  }

  /**
   * Starts a recording of the waits that last at least {@code threshold}.
   *
   * @throws IllegalStateException if JFR cannot record in this JVM
   */
  static LockRecording start(Duration threshold) {
    Recording r = new Recording();
    r.setName("llm-gateway load locks");
    r.enable(MONITOR_ENTER).withThreshold(threshold).withStackTrace();
    r.enable(THREAD_PARK).withThreshold(threshold).withStackTrace();
    r.enable(RoundEvent.class).withoutStackTrace();
    r.start();
    return new LockRecording(r, threshold);
  }

  /**
   * Stops the recording, writes it to {@code file} (creating its directory) and reads it back.
   *
   * @throws IOException if the file cannot be written or read
   */
  LockProfile stop(Path file) throws IOException {
    recording.stop();
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    recording.dump(file);
    recording.close();
    return LockProfile.read(file, threshold);
  }

  @Override
  public void close() {
    if (recording.getState() != RecordingState.CLOSED) {
      recording.close();
    }
  }
}
