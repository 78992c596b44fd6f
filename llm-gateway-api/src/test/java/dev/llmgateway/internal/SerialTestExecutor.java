package dev.llmgateway.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One daemon thread running tasks in order. {@link #awaitTasksSoFar()} returns once every task
 * submitted before it has finished, so a test can tell that a publisher's drain loop has stopped
 * without sleeping.
 */
public final class SerialTestExecutor implements Executor, AutoCloseable {
  private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
    Thread t = new Thread(task, "serial-test-executor");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger tasks = new AtomicInteger();

  @Override
  public void execute(Runnable task) {
    tasks.incrementAndGet();
    thread.execute(task);
  }

  /** How many tasks were handed to this executor. */
  public int tasks() {
    return tasks.get();
  }

  /** Waits until every task submitted so far has run. */
  public void awaitTasksSoFar() throws Exception {
    thread.submit(() -> {}).get(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
