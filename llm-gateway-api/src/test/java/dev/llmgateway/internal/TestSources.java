package dev.llmgateway.internal;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Sources that let tests see how a {@link PullPublisher} drives them. */
public final class TestSources {
  private TestSources() {}

  /** Produces 0, 1, 2, ... (endless, or up to a size) and counts reads and closes. */
  public static final class Counting implements PullPublisher.Source<Integer> {
    private final int size;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();

    private Counting(int size) {
      this.size = size;
    }

    public static Counting endless() {
      return new Counting(Integer.MAX_VALUE);
    }

    public static Counting of(int size) {
      return new Counting(size);
    }

    @Override
    public @Nullable Integer next() {
      int n = reads.getAndIncrement();
      return n < size ? n : null;
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }

    /** How many times {@link #next()} was called. */
    public int reads() {
      return reads.get();
    }

    /** How many times {@link #close()} was called. */
    public int closes() {
      return closes.get();
    }
  }

  /** Blocks in {@link #next()} until closed, like a read on a socket; then the read fails. */
  public static final class Blocking implements PullPublisher.Source<Integer> {
    public final CountDownLatch reading = new CountDownLatch(1);
    public final CountDownLatch readReturned = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger closes = new AtomicInteger();

    @Override
    public Integer next() throws Exception {
      reading.countDown();
      try {
        released.await();
        throw new IOException("source closed");
      } finally {
        readReturned.countDown();
      }
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      released.countDown();
    }

    /** How many times {@link #close()} was called. */
    public int closes() {
      return closes.get();
    }
  }
}
