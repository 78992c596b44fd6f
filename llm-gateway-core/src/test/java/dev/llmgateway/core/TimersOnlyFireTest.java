package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.core.usage.UsageDelivery;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway's timers only fire: the work a timeout sets off (ending a stream, metering it, the
 * usage sinks, the listeners) runs on the gateway's executor, so a slow usage sink of one gateway
 * cannot delay another gateway's timeout on the JVM-wide timer wheel.
 */
@Timeout(60)
class TimersOnlyFireTest {

  @Test
  void aUsageSinkStuckInOneGatewayDoesNotDelayAnotherGatewaysFirstTokenTimeout()
      throws Exception {
    CountDownLatch sinkEntered = new CountDownLatch(1);
    CountDownLatch releaseSink = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    StubProvider silentA = silent("a", never);
    StubProvider silentB = silent("b", never);
    try (Gateway slowSinks = Gateway.builder().provider(silentA)
            .firstTokenTimeout(Duration.ofMillis(20))
            .usageSink(record -> {
              sinkEntered.countDown();
              try {
                releaseSink.await(30, TimeUnit.SECONDS); // a sink stuck for the whole test
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }, UsageDelivery.inline()).build(); // on the thread that ends the call, as a listener
        Gateway other = Gateway.builder().provider(silentB)
            .firstTokenTimeout(Duration.ofMillis(100)).build()) {
      // gateway A's stream times out; its record goes to the stuck sink
      CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
        try {
          slowSinks.stream(ChatRequest.of("m", "Hi")).collect();
        } catch (GatewayTimeoutException expected) {
          // the first-token timeout
        }
      });
      assertThat(sinkEntered.await(20, TimeUnit.SECONDS)).as("A's sink was called").isTrue();

      long start = System.nanoTime();
      assertThatThrownBy(() -> other.stream(ChatRequest.of("m", "Hi")).collect())
          .isInstanceOf(GatewayTimeoutException.class);
      long tookMillis = (System.nanoTime() - start) / 1_000_000;

      // 100 ms plus a tick of the wheel and scheduling slack; stalled, it would wait for A's sink
      assertThat(tookMillis).as("B's 100 ms first-token timeout, while A's sink is stuck")
          .isLessThan(2_000);
      releaseSink.countDown();
      first.get(20, TimeUnit.SECONDS);
    } finally {
      releaseSink.countDown();
      never.countDown();
    }
  }

  /** A provider whose streams never produce their first event (until {@code gate} opens). */
  private static StubProvider silent(String name, CountDownLatch gate) {
    StubProvider stub = new StubProvider(name);
    stub.gate = gate;
    stub.gateBeforeEvent = 0;
    return stub;
  }
}
