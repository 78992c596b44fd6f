package dev.llmgateway.core.internal.call;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a collaborator that must not break a call (a listener, a usage sink): whatever it throws is
 * caught; the first failure of each collaborator is logged at WARN with its stack trace, later
 * ones at DEBUG, so a broken listener cannot flood the log.
 */
public final class Guard {
  private static final Logger log = LoggerFactory.getLogger(Guard.class);

  private final String role;
  private final Object target;
  private final AtomicBoolean warned = new AtomicBoolean();

  public Guard(String role, Object target) {
    this.role = role;
    this.target = target;
  }

  public void failed(String method, Throwable t) {
    if (warned.compareAndSet(false, true)) {
      log.warn("{} {} threw from {}; the call goes on. Further failures of it are logged at DEBUG",
          role, target.getClass().getName(), method, t);
    } else if (log.isDebugEnabled()) {
      log.debug("{} {} threw from {} again", role, target.getClass().getName(), method, t);
    }
  }
}
