package dev.llmgateway.report;

import java.nio.file.Path;

/**
 * A line written under a newer usage schema than this report knows ({@link UsageReport#SCHEMA}).
 * The report refuses it rather than guess what a newer writer meant; the message names the file and
 * line and says to use a newer report.
 */
public final class UnsupportedSchemaException extends UsageReportException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;
  private final long schema;

  /**
   * The refusal of line {@code line} of {@code file}, whose schema is {@code schema}.
   *
   * @param file the usage file
   * @param line the 1-based line number
   * @param schema the schema version the line declares
   */
  public UnsupportedSchemaException(Path file, long line, long schema) {
    super(file + ":" + line + ": usage schema " + schema + " is newer than the newest this report"
        + " reads (" + UsageReport.SCHEMA + "); use an llm-gateway-usage-report at least as new as"
        + " the gateway that wrote the file", null);
    this.file = file;
    this.line = line;
    this.schema = schema;
  }

  /** The usage file holding the line. */
  public Path file() {
    return file;
  }

  /** The 1-based number of the refused line. */
  public long line() {
    return line;
  }

  /** The schema version the line declares. */
  public long schema() {
    return schema;
  }
}
