package dev.llmgateway.core.internal.meter.delivery;

import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.usage.UsageRecordJson;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's dead-letter file: records appended as JSON Lines ({@link UsageRecordJson}), each
 * spill encoded first and then written in one {@code write} to a file opened for append, so that
 * lines of concurrent spills never interleave and a process crash loses nothing written (no fsync:
 * an operating system crash may). Opened when first needed, with its directories. A
 * {@link FileOutputStream}, not a channel: a spill from a caller's thread whose interrupt flag is
 * set must not close the file. Thread-safe.
 */
final class DeadLetterFile {
  private static final Logger log = LoggerFactory.getLogger(UsageDeliveries.class);

  private final Path path;
  private final String sinkName;
  private final Throttle failures = new Throttle();
  private @Nullable FileOutputStream out;

  DeadLetterFile(Path path, String sinkName) {
    this.path = path;
    this.sinkName = sinkName;
  }

  /** Appends the records; false (logged at ERROR, at most once a minute) when that failed. */
  boolean append(List<UsageRecord> records) {
    byte[] lines = UsageRecordJson.toLines(records);
    synchronized (this) {
      try {
        if (out == null) {
          Path parent = path.toAbsolutePath().getParent();
          if (parent != null) {
            Files.createDirectories(parent);
          }
          out = new FileOutputStream(path.toFile(), true);
        }
        out.write(lines);
        return true;
      } catch (IOException | RuntimeException e) {
        if (failures.due()) {
          log.error("usage sink {}: cannot write {} records to its dead-letter file {} ({}); they"
              + " are counted as dropped", sinkName, records.size(), path.getFileName(),
              e.getClass().getSimpleName());
        }
        closeQuietly();
        return false;
      }
    }
  }

  /** Closes the file; a later spill opens it again. */
  synchronized void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        log.debug("usage sink {}: closing its dead-letter file failed", sinkName, e);
      }
      out = null;
    }
  }
}
