package dev.llmgateway.it.chaos;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.core.Gateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Timeliness probes beside a chaos run: one after another, streamed calls to a deployment whose
 * provider never sends a first event, each ended by the gateway's first-token timer. How late each
 * attempt ended past its timeout is how late a gateway timer fired (and its work reached the
 * executor) while the run's slow sink and slow subscribers were busy. Not thread-safe: start,
 * stop and read from one thread.
 */
final class Probes {
  private final Gateway gateway;
  private final String deployment;
  private final Duration timeout;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "chaos-probe");
    t.setDaemon(true);
    return t;
  });
  private final List<CallOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean stopped;
  private Future<?> running;

  private Probes(Gateway gateway, String deployment, Duration timeout) {
    this.gateway = gateway;
    this.deployment = deployment;
    this.timeout = timeout;
  }

  /** Starts probing {@code deployment}, whose first-token timeout is {@code timeout}. */
  static Probes start(Gateway gateway, String deployment, Duration timeout) {
    Probes p = new Probes(gateway, deployment, timeout);
    p.running = p.thread.submit(() -> {
      for (int n = 0; !p.stopped; n++) {
        p.outcomes.add(CallOutcome.stream(gateway, "probe",
            ChatRequest.of(deployment, "probe #" + n)));
      }
    });
    return p;
  }

  /** Stops after the probe under way; returns what every probe came to. */
  List<CallOutcome> stop() throws Exception {
    stopped = true;
    try {
      running.get(30, TimeUnit.SECONDS);
    } finally {
      thread.shutdownNow();
    }
    return List.copyOf(outcomes);
  }

  /**
   * How late each probe's attempt ended past the timeout, sorted (a hair early counts as on time:
   * the timer may be armed from a start taken a moment before the attempt's own).
   */
  List<Duration> lateness() {
    List<Duration> late = new ArrayList<>();
    for (CallOutcome o : outcomes) {
      List<Attempt> attempts = o.attempts();
      if (endedByTheTimer(o)) {
        Duration over = attempts.get(0).latency().minus(timeout);
        late.add(over.isNegative() ? Duration.ZERO : over);
      }
    }
    Collections.sort(late);
    return late;
  }

  /** Whether every probe ended by the gateway's first-token timeout (one attempt, timed out). */
  boolean endedByTheTimer() {
    return outcomes.stream().allMatch(Probes::endedByTheTimer);
  }

  private static boolean endedByTheTimer(CallOutcome o) {
    List<Attempt> attempts = o.attempts();
    return o.failed() != null && attempts.size() == 1 && GatewayTimeoutException.class
        .getSimpleName().equals(attempts.get(0).errorType());
  }

  @Override
  public String toString() {
    List<Duration> late = lateness();
    if (late.isEmpty()) {
      return "no probes";
    }
    return late.size() + " probes of " + deployment + " (first-token timeout "
        + timeout.toMillis() + " ms) ended late by: median " + micros(late.get(late.size() / 2))
        + ", p90 " + micros(late.get(late.size() * 9 / 10)) + ", max "
        + micros(late.get(late.size() - 1));
  }

  private static String micros(Duration d) {
    return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
  }
}
