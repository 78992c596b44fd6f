package dev.llmgateway.core.usage;

import org.jspecify.annotations.Nullable;

/**
 * A batch of usage records could not be stored by a {@link JdbcUsageSink}: nothing of that batch
 * was committed, and storing it again is safe (rows are keyed by call id). The message names the
 * table and the SQLState (with its SQL-standard class, e.g. {@code 42P01, class 42: syntax error or
 * access rule violation}) and never a record's content.
 *
 * <p>The driver's exception is not chained as it is, because drivers quote the failing statement's
 * values in their messages (PostgreSQL's {@code BatchUpdateException} prints each batch entry with
 * its parameters, and a constraint violation's detail prints the key). The cause is instead a
 * {@link java.sql.SQLException} carrying the same SQLState, vendor code and stack trace with its
 * message withheld. Immutable.
 */
public final class JdbcUsageSinkException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String table;
  private final @Nullable String sqlState;

  /**
   * An exception for a batch that failed.
   *
   * @param message what failed, naming the table and the SQLState, never a record's content
   * @param table the table the sink writes to
   * @param sqlState the SQLState the driver reported, or null when it reported none
   * @param cause the driver's exception with its message withheld, or null
   */
  public JdbcUsageSinkException(String message, String table, @Nullable String sqlState,
      @Nullable Throwable cause) {
    super(message, cause);
    this.table = table;
    this.sqlState = sqlState;
  }

  /** The table the sink writes to, as configured (possibly schema-qualified). */
  public String table() {
    return table;
  }

  /** The SQLState the driver reported (for example {@code 23505}), or null when none. */
  public @Nullable String sqlState() {
    return sqlState;
  }
}
