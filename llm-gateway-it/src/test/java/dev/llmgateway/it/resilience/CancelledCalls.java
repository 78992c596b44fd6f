package dev.llmgateway.it.resilience;

import dev.llmgateway.providers.HttpClients;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;

/**
 * Counts OkHttp calls that were cancelled: the proof that a timeout or a lost hedge stopped the
 * HTTP call, where the mock server cannot see the client hang up (a stall before headers).
 */
final class CancelledCalls extends EventListener {
  private final AtomicInteger cancelled = new AtomicInteger();
  private final CountDownLatch first = new CountDownLatch(1);

  @Override
  public void canceled(Call call) {
    cancelled.incrementAndGet();
    first.countDown();
  }

  /** A client with the transports' defaults that reports to this listener. */
  OkHttpClient client() {
    return HttpClients.defaults().newBuilder().eventListener(this).build();
  }

  /** Waits up to 5 s for the first cancellation. */
  boolean awaitOne() throws InterruptedException {
    return first.await(5, TimeUnit.SECONDS);
  }

  int count() {
    return cancelled.get();
  }
}
