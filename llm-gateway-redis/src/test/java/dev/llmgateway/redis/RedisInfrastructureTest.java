package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.redis.internal.LuaScript;
import dev.llmgateway.redis.internal.ScriptRunner;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ground the Redis stores stand on, against real {@code redis-server} processes: scripts run
 * by SHA and survive an emptied script cache, a restarted server keeps what it wrote, the clients
 * fail fast on a hung or a gone server and come back by themselves, and a script's keys under one
 * hash tag run on a real three-master cluster while keys of two tags are refused.
 */
@Timeout(120)
class RedisInfrastructureTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  /** Adds {@code ARGV[1]} to a counter and returns it: integer arithmetic only. */
  private static final LuaScript ADD = LuaScript.of("add",
      "return redis.call('INCRBY', KEYS[1], ARGV[1])");

  @Test
  void aScriptRunsBySha1AndAgainAfterTheCacheIsFlushedAndAfterARestart() throws Exception {
    try (LocalRedis redis = LocalRedis.start()) {
      RedisClient client = RedisClients.client(redis.uri(), Duration.ofSeconds(5));
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        RedisCommands<String, String> commands = connection.sync();
        ScriptRunner scripts = new ScriptRunner(connection.async(), Duration.ofSeconds(5));
        String[] key = {"{org:acme}:spent"};

        assertThat(commands.scriptExists(ADD.sha1())).containsExactly(false);
        assertThat((Long) scripts.run(ADD, ScriptOutputType.INTEGER, key, "5")).isEqualTo(5);
        assertThat(commands.scriptExists(ADD.sha1())).as("EVAL cached it").containsExactly(true);
        assertThat((Long) scripts.run(ADD, ScriptOutputType.INTEGER, key, "7")).isEqualTo(12);

        commands.scriptFlush();
        assertThat((Long) scripts.run(ADD, ScriptOutputType.INTEGER, key, "1")).isEqualTo(13);

        CountDownLatch reconnected = activations(client);
        redis.restart();
        assertThat(reconnected.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(commands.scriptExists(ADD.sha1())).as("a new server has no scripts")
            .containsExactly(false);
        assertThat((Long) scripts.run(ADD, ScriptOutputType.INTEGER, key, "2"))
            .as("appendfsync always: every write came back from the append-only file")
            .isEqualTo(15);
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void aHungServerTimesOutAGoneOneIsRefusedAtOnceAndTheClientComesBack() throws Exception {
    try (LocalRedis redis = LocalRedis.start()) {
      RedisClient client = RedisClients.client(redis.uri(), TIMEOUT);
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        RedisCommands<String, String> commands = connection.sync();
        assertThat(commands.incr("n")).isEqualTo(1);

        redis.pause(); // SIGSTOP: the socket stays open, nothing answers
        long start = System.nanoTime();
        assertThatThrownBy(() -> commands.incr("n"))
            .isInstanceOf(RedisCommandTimeoutException.class);
        long waited = System.nanoTime() - start;
        assertThat(waited).as("waited the command timeout, not Lettuce's 60 s default")
            .isGreaterThanOrEqualTo(TIMEOUT.toNanos() / 2)
            .isLessThan(TimeUnit.SECONDS.toNanos(20));
        redis.resume();
        assertThat(commands.incr("n")).as("the late reply of the timed-out INCR was dropped")
            .isEqualTo(3);

        CountDownLatch reconnected = activations(client);
        redis.kill();
        assertThatThrownBy(() -> commands.incr("n"))
            .as("disconnected: refused at once, never buffered")
            .isInstanceOf(RedisException.class)
            .isNotInstanceOf(RedisCommandTimeoutException.class);

        redis.restart();
        assertThat(reconnected.await(30, TimeUnit.SECONDS)).as("reconnected by itself").isTrue();
        assertThat(commands.incr("n")).isEqualTo(4);
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void aScriptsKeysUnderOneHashTagRunOnAThreeMasterClusterAndTwoTagsAreRefused()
      throws Exception {
    try (LocalRedisCluster cluster = LocalRedisCluster.start()) {
      RedisClusterClient client = RedisClients.cluster(cluster.uris(), Duration.ofSeconds(5));
      try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
        RedisClients.connectEveryNode(connection);
        ScriptRunner scripts = new ScriptRunner(connection.async(), Duration.ofSeconds(5));
        LuaScript both = LuaScript.of("both", "redis.call('INCRBY', KEYS[1], ARGV[1]) "
            + "return redis.call('INCRBY', KEYS[2], ARGV[1])");
        int served = 0;
        for (String org : List.of("acme", "globex", "initech", "umbrella", "hooli")) {
          String[] keys = {"{org:" + org + "}:team:a", "{org:" + org + "}:budget"};
          assertThat(SlotHash.getSlot(keys[0])).isEqualTo(SlotHash.getSlot(keys[1]));
          assertThat((Long) scripts.run(both, ScriptOutputType.INTEGER, keys, "3")).isEqualTo(3);
          served |= 1 << nodeOf(cluster, connection, keys[0]);
        }
        assertThat(Integer.bitCount(served)).as("the orgs' slots spread over the masters")
            .isGreaterThan(1);

        String[] twoTags = {"{org:acme}:x", "{org:globex}:x"};
        assertThat(SlotHash.getSlot(twoTags[0])).isNotEqualTo(SlotHash.getSlot(twoTags[1]));
        assertThatThrownBy(() -> scripts.run(both, ScriptOutputType.INTEGER, twoTags, "1"))
            .isInstanceOf(RedisCommandExecutionException.class)
            .hasMessageContaining("CROSSSLOT");
      } finally {
        client.shutdown();
      }
    }
  }

  private static int nodeOf(LocalRedisCluster cluster,
      StatefulRedisClusterConnection<String, String> connection, String key) {
    int slot = SlotHash.getSlot(key);
    int port = connection.getPartitions().getPartitionBySlot(slot).getUri().getPort();
    List<LocalRedis> nodes = cluster.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).port() == port) {
        return i;
      }
    }
    throw new AssertionError("slot " + slot + " is served by no node of the cluster");
  }

  /** Counts down when the client's next connection is activated (its reconnect). */
  private static CountDownLatch activations(RedisClient client) {
    CountDownLatch latch = new CountDownLatch(1);
    client.getResources().eventBus().get()
        .filter(e -> e instanceof ConnectionActivatedEvent)
        .subscribe(e -> latch.countDown());
    return latch;
  }
}
