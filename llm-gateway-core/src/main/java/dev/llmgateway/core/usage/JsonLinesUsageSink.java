package dev.llmgateway.core.usage;

import dev.llmgateway.FeedbackRecord;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.UsageSink;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Appends usage records to JSON Lines files ({@link UsageRecordJson}, schema 1) in one directory,
 * for the usage report to read.
 *
 * <p><b>File names</b>: {@code <prefix>-YYYY-MM-DD.jsonl}, then {@code <prefix>-YYYY-MM-DD.1.jsonl},
 * {@code .2.jsonl}, ... — the date is the UTC day on the sink's clock when the lines are written
 * (a record's own timestamp may be a little earlier), a new day starts a new file, and a file that
 * would grow past {@link Builder#maxFileBytes(long)} is closed for the next number. Glob {@code
 * <prefix>-*.jsonl} to read them all. A sink started on a day that already has files appends to
 * the last of them (after a line end, if a crash left its last line torn).
 *
 * <p><b>Flush policy</b>: each {@link #accept} or {@link #acceptBatch} call encodes its lines
 * first and hands them to the operating system in one {@code write} before it returns, so a
 * process crash loses nothing the sink has taken and a torn line can only be the last one; with
 * {@link Builder#fsync(boolean) fsync(true)} it also forces them to the disk before returning
 * (an operating system crash then loses nothing either), at the cost of a disk flush per batch.
 * Registered asynchronously, a batch is one write.
 *
 * <p>Thread-safe: writes are serialized. A write that fails throws {@link UncheckedIOException}
 * (the gateway's delivery then retries the batch and spills it to its dead-letter file) and the
 * next write opens the file again. {@link #close()} closes the current file; a later record opens
 * it again.
 */
public final class JsonLinesUsageSink implements UsageSink, AutoCloseable {
  private final Path directory;
  private final String prefix;
  private final long maxFileBytes;
  private final boolean fsync;
  private final Clock clock;
  private final Pattern names;

  private @Nullable FileOutputStream out;
  private @Nullable LocalDate day;
  private int index;
  private long size;

  /** A batch buffer grown past this is dropped after its batch, so a burst keeps no memory. */
  private static final int MAX_KEPT_BUFFER = 4 * 1024 * 1024;
  /** Guarded by this. */
  private Buffer batchBuffer = new Buffer();

  private JsonLinesUsageSink(Builder b) {
    this.directory = b.directory;
    this.prefix = b.prefix;
    this.maxFileBytes = b.maxFileBytes;
    this.fsync = b.fsync;
    this.clock = b.clock;
    this.names = Pattern.compile(Pattern.quote(prefix) + "-(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d+))?"
        + "\\.jsonl");
  }

  /** A builder writing into {@code directory} (created when first needed). */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  @Override
  public void accept(UsageRecord record) {
    acceptBatch(List.of(record));
  }

  /**
   * Appends the records as one write (see the flush policy).
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  @Override
  public void acceptBatch(List<UsageRecord> records) {
    synchronized (this) { // encoded under the lock: one buffer, reused from batch to batch
      batchBuffer.reset();
      UsageRecordJson.writeLines(records, batchBuffer);
      append(batchBuffer);
      if (batchBuffer.capacity() > MAX_KEPT_BUFFER) {
        batchBuffer = new Buffer();
      }
    }
  }

  /**
   * Appends a feedback record as its own line (the usage report joins it to its call by id), on
   * the thread that gave the feedback.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  @Override
  public void acceptFeedback(FeedbackRecord feedback) {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    try {
      UsageRecordJson.writeFeedback(feedback, line);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    append(line);
  }

  /** A byte buffer that says how much it holds on to. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(64 * 1024);
    }

    int capacity() {
      return buf.length;
    }
  }

  private void append(ByteArrayOutputStream lines) {
    synchronized (this) {
      try {
        FileOutputStream file = fileFor(lines.size());
        lines.writeTo(file); // one write: the buffer as it is, not a copy
        size += lines.size();
        if (fsync) {
          file.getChannel().force(false);
        }
      } catch (IOException e) {
        closeFile();
        throw new UncheckedIOException("cannot append usage records to " + currentName(), e);
      }
    }
  }

  /** The file today's lines go to, opened (or rotated) as needed. */
  private FileOutputStream fileFor(int bytes) throws IOException {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (out != null && today.equals(day) && (size == 0 || size + bytes <= maxFileBytes)) {
      return out;
    }
    if (out != null && today.equals(day)) {
      closeFile();
      index++;
      size = 0;
    } else {
      closeFile();
      Files.createDirectories(directory);
      day = today;
      index = lastIndex(today);
    }
    Path path = directory.resolve(name(today, index));
    size = Files.exists(path) ? Files.size(path) : 0;
    if (size > 0 && size + bytes > maxFileBytes) {
      index++;
      path = directory.resolve(name(today, index));
      size = Files.exists(path) ? Files.size(path) : 0;
    }
    FileOutputStream file = new FileOutputStream(path.toFile(), true);
    if (size > 0 && !endsWithNewline(path)) {
      file.write('\n'); // a crash tore the last line: keep it alone on its line
      size++;
    }
    out = file;
    return file;
  }

  /** The highest number among the day's files, or 0 when it has none. */
  private int lastIndex(LocalDate date) throws IOException {
    int last = 0;
    try (Stream<Path> files = Files.list(directory)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = names.matcher(p.getFileName().toString());
        if (m.matches() && m.group(1).equals(date.toString())) {
          last = Math.max(last, m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
        }
      }
    }
    return last;
  }

  private static boolean endsWithNewline(Path path) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
      long length = file.length();
      if (length == 0) {
        return true;
      }
      file.seek(length - 1);
      return file.read() == '\n';
    }
  }

  private String name(LocalDate date, int n) {
    return prefix + "-" + date + (n == 0 ? "" : "." + n) + ".jsonl";
  }

  private String currentName() {
    return day == null ? prefix + "-*.jsonl" : name(day, index);
  }

  /** The file lines go to now, or null before the first write and after {@link #close()}. */
  public synchronized @Nullable Path currentFile() {
    return out == null || day == null ? null : directory.resolve(name(day, index));
  }

  /** Closes the current file; a later record opens it again. */
  @Override
  public synchronized void close() {
    closeFile();
  }

  private void closeFile() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // the lines were written; a close that fails loses nothing the sink reported written
      }
      out = null;
    }
  }

  @Override
  public String toString() {
    return "JsonLinesUsageSink[" + prefix + "-*.jsonl, " + maxFileBytes + " bytes per file"
        + (fsync ? ", fsync" : "") + "]";
  }

  /**
   * Builds a {@link JsonLinesUsageSink}. Setters check their argument ({@link
   * IllegalArgumentException}). Not thread-safe; reusable.
   */
  public static final class Builder {
    private final Path directory;
    private String prefix = "usage";
    private long maxFileBytes = 100L * 1024 * 1024;
    private boolean fsync;
    private Clock clock = Clock.systemUTC();

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * The start of every file name (default {@code usage}).
     *
     * @throws IllegalArgumentException unless letters, digits, '.', '_' and '-' only
     */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!prefix.matches("[A-Za-z0-9._-]{1,100}")) {
        throw new IllegalArgumentException("prefix must be 1 to 100 letters, digits, '.', '_' or"
            + " '-', was '" + prefix + "'");
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * The size past which a file is closed for the next number (default 100 MiB). A batch
     * larger than this still goes into one file, alone.
     *
     * @throws IllegalArgumentException when below 1 KiB
     */
    public Builder maxFileBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxFileBytes must be at least 1024, was " + bytes);
      }
      this.maxFileBytes = bytes;
      return this;
    }

    /** Whether each write is forced to the disk before it returns (default false). */
    public Builder fsync(boolean fsync) {
      this.fsync = fsync;
      return this;
    }

    /** The clock whose UTC day names the files (default the system's). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The sink. */
    public JsonLinesUsageSink build() {
      return new JsonLinesUsageSink(this);
    }
  }
}
