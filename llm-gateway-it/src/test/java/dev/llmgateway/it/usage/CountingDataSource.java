package dev.llmgateway.it.usage;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A data source over the PostgreSQL driver that counts the connections it handed out and that are
 * not closed yet, and those closed with auto-commit still switched off (a sink that forgot to
 * restore it would hand a pool a connection in the wrong state). Thread-safe.
 */
final class CountingDataSource implements DataSource {

  private final PGSimpleDataSource driver = new PGSimpleDataSource();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger closedWithoutAutoCommit = new AtomicInteger();

  CountingDataSource(String url) {
    driver.setURL(url);
  }

  /** Connections handed out and not closed. */
  int open() {
    return open.get();
  }

  /** Connections closed while auto-commit was off. */
  int closedWithoutAutoCommit() {
    return closedWithoutAutoCommit.get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    return counted(driver.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return counted(driver.getConnection(user, password));
  }

  private Connection counted(Connection real) {
    open.incrementAndGet();
    boolean[] closed = {false};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("close") && !closed[0]) {
            closed[0] = true;
            open.decrementAndGet();
            if (!real.isClosed() && !real.getAutoCommit()) {
              closedWithoutAutoCommit.incrementAndGet();
            }
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public PrintWriter getLogWriter() {
    return driver.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    driver.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) {
    driver.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return driver.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper of " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
