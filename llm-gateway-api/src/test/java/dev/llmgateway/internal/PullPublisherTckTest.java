package dev.llmgateway.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.testng.annotations.AfterClass;

/** The Reactive Streams TCK against a {@link PullPublisher} delivering on a thread pool. */
public class PullPublisherTckTest extends PullPublisherVerification {

  private final ExecutorService pool = Executors.newCachedThreadPool(task -> {
    Thread t = new Thread(task, "pull-publisher-tck");
    t.setDaemon(true);
    return t;
  });

  @Override
  Executor executor() {
    return pool;
  }

  @AfterClass(alwaysRun = true)
  public void shutDownPool() {
    pool.shutdownNow();
  }
}
