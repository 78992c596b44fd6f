package dev.llmgateway.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Lettuce clients set to fail fast, as a gateway's admission needs: Lettuce's defaults buffer
 * commands without bound while disconnected and wait 60 s for a reply, so a Redis that is gone or
 * hung would hold every call of the application. Here a command is refused at once while the
 * connection is down ({@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}), at most {@code
 * queueSize} commands wait for replies per connection, and a command with no reply after {@code
 * commandTimeout} fails; the connection reconnects by itself in the background.
 *
 * <p>Use these options on a client you build yourself (TLS, Sentinel, credentials) with {@link
 * #failFast(Duration, int)} / {@link #failFastCluster(Duration, int)}.
 */
public final class RedisClients {
  /** The command timeout of clients made here unless one is given: 500 ms. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(500);
  /** The bound of commands waiting per connection unless one is given: 10,000. */
  public static final int DEFAULT_QUEUE_SIZE = 10_000;

  private RedisClients() {}

  /** A stand-alone (or Sentinel, by its URI) client for {@code uri}, failing fast. */
  public static RedisClient client(String uri) {
    return client(uri, DEFAULT_COMMAND_TIMEOUT);
  }

  /** A stand-alone client for {@code uri}, failing fast after {@code commandTimeout}. */
  public static RedisClient client(String uri, Duration commandTimeout) {
    RedisClient client = RedisClient.create(Objects.requireNonNull(uri, "uri"));
    client.setOptions(failFast(commandTimeout, DEFAULT_QUEUE_SIZE));
    return client;
  }

  /** A Redis Cluster client seeded by {@code uris}, failing fast after {@code commandTimeout}. */
  public static RedisClusterClient cluster(Iterable<String> uris, Duration commandTimeout) {
    java.util.List<io.lettuce.core.RedisURI> seeds = new java.util.ArrayList<>();
    for (String uri : uris) {
      seeds.add(io.lettuce.core.RedisURI.create(uri));
    }
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("a cluster client needs at least one seed URI");
    }
    RedisClusterClient client = RedisClusterClient.create(seeds);
    client.setOptions(failFastCluster(commandTimeout, DEFAULT_QUEUE_SIZE));
    return client;
  }

  /** Fail-fast options for a stand-alone or Sentinel client. */
  public static ClientOptions failFast(Duration commandTimeout, int queueSize) {
    ClientOptions.Builder options = ClientOptions.builder();
    failFast(options, commandTimeout, queueSize);
    return options.build();
  }

  /** Fail-fast options for a cluster client. */
  public static ClusterClientOptions failFastCluster(Duration commandTimeout, int queueSize) {
    ClusterClientOptions.Builder options = ClusterClientOptions.builder();
    failFast(options, commandTimeout, queueSize); // the cluster builder overrides each setter
    return options.build();
  }

  /** Sets the fail-fast options on {@code options}, a stand-alone or a cluster builder. */
  private static void failFast(ClientOptions.Builder options, Duration commandTimeout,
      int queueSize) {
    check(commandTimeout, queueSize);
    options.autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(queueSize)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout(commandTimeout))
            .build());
  }

  /**
   * Opens the connection to every node of the cluster now. Lettuce connects to a node on its first
   * command, and a fail-fast connection refuses commands while it is not connected: without this,
   * the first command for each node would be refused.
   */
  public static void connectEveryNode(
      io.lettuce.core.cluster.api.StatefulRedisClusterConnection<String, String> connection) {
    for (io.lettuce.core.cluster.models.partitions.RedisClusterNode node
        : connection.getPartitions()) {
      connection.getConnection(node.getUri().getHost(), node.getUri().getPort()).sync().ping();
    }
  }

  private static Duration connectTimeout(Duration commandTimeout) {
    Duration tenTimes = commandTimeout.multipliedBy(10);
    return tenTimes.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : tenTimes;
  }

  private static void check(Duration commandTimeout, int queueSize) {
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("commandTimeout must be positive: " + commandTimeout);
    }
    if (queueSize < 1) {
      throw new IllegalArgumentException("queueSize must be at least 1: " + queueSize);
    }
  }
}
