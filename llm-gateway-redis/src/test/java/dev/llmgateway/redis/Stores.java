package dev.llmgateway.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers the Redis store tests share: stores on a {@link LocalRedis}, a raw connection. */
final class Stores {
  /** The command timeout of the tests' stores: well within the suite's budget. */
  static final Duration TIMEOUT = Duration.ofMillis(500);
  /**
   * The command timeout of the stores that race many threads (or processes) on one Redis: what
   * they check is the limits and budgets, not the timeout, and on a loaded machine (the suite
   * pinned to one CPU beside a benchmark) a script once waited past 500 ms for Redis's one thread,
   * failing closed as designed and failing the race with it.
   */
  static final Duration RACE_TIMEOUT = Duration.ofSeconds(10);

  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private Stores() {}

  /** A key prefix no other test of this JVM uses. */
  static String prefix() {
    return "t" + PREFIXES.incrementAndGet();
  }

  /** A builder of stores on {@code redis} under a fresh prefix, on the gateway's clock. */
  static RedisStores.Builder on(LocalRedis redis) {
    return RedisStores.builder().uri(redis.uri()).keyPrefix(prefix()).commandTimeout(TIMEOUT)
        .timeSource(TimeSource.GATEWAY);
  }

  /** A raw connection to look at what the stores wrote; close its client with {@link #close}. */
  static final class Raw implements AutoCloseable {
    final RedisClient client;
    final StatefulRedisConnection<String, String> connection;
    final RedisCommands<String, String> redis;

    Raw(LocalRedis server) {
      client = RedisClients.client(server.uri(), Duration.ofSeconds(5));
      connection = client.connect();
      redis = connection.sync();
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }

  /** Counts down when one of {@code client}'s connections is activated next (its reconnect). */
  static CountDownLatch reconnected(RedisClient client) {
    CountDownLatch latch = new CountDownLatch(1);
    client.getResources().eventBus().get()
        .filter(e -> e instanceof ConnectionActivatedEvent)
        .subscribe(e -> latch.countDown());
    return latch;
  }
}
