package dev.llmgateway.internal;

import java.util.concurrent.Executor;

/**
 * The Reactive Streams TCK against a {@link PullPublisher} with a direct executor: signals are
 * delivered on the thread that calls {@code request} (or {@code subscribe}).
 */
public class PullPublisherDirectExecutorTckTest extends PullPublisherVerification {

  @Override
  Executor executor() {
    return Runnable::run;
  }
}
