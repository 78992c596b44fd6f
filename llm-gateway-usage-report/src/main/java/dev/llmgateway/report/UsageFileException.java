package dev.llmgateway.report;

import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A usage file or directory that cannot be read: missing, not readable, or failing mid-read. The
 * message names the path and the I/O error.
 */
public final class UsageFileException extends UsageReportException {

  private static final long serialVersionUID = 1L;

  private final transient Path path;

  /**
   * A failure to read {@code path}.
   *
   * @param path the file or directory
   * @param message what is wrong and what to fix
   * @param cause the I/O error, or null
   */
  public UsageFileException(Path path, String message, @Nullable IOException cause) {
    super(path + ": " + message, cause);
    this.path = path;
  }

  /** The file or directory that could not be read. */
  public Path path() {
    return path;
  }
}
