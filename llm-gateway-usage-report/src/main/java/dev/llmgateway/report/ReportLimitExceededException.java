package dev.llmgateway.report;

/**
 * The input holds more distinct groups or calls than the report's bound: the report stops rather
 * than grow without limit. The message names the limit and the builder method (or command-line
 * option) that raises it; narrowing the period or the group-by dimensions also helps.
 */
public final class ReportLimitExceededException extends UsageReportException {

  private static final long serialVersionUID = 1L;

  private final String limit;
  private final long value;

  /**
   * The report exceeded {@code limit}, set to {@code value}.
   *
   * @param limit the limit's name, e.g. {@code maxGroups}
   * @param value the limit's value
   * @param advice what to change
   */
  public ReportLimitExceededException(String limit, long value, String advice) {
    super("more than " + value + " " + advice, null);
    this.limit = limit;
    this.value = value;
  }

  /** The name of the limit exceeded: {@code maxGroups} or {@code maxCalls}. */
  public String limit() {
    return limit;
  }

  /** The limit's value. */
  public long value() {
    return value;
  }
}
