package dev.llmgateway.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A throwaway Redis Cluster of three masters, no replicas: three {@link LocalRedis} servers of the
 * same {@code redis-server} binary with {@code cluster-enabled yes}, joined with {@code redis-cli
 * --cluster create}, the 16,384 hash slots split among them. Ready when every node reports {@code
 * cluster_state:ok}. {@link #close()} kills all three.
 */
final class LocalRedisCluster implements AutoCloseable {
  private static final long READY_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final List<LocalRedis> nodes;

  private LocalRedisCluster(List<LocalRedis> nodes) {
    this.nodes = nodes;
  }

  static LocalRedisCluster start() throws IOException, InterruptedException {
    List<LocalRedis> nodes = new ArrayList<>(3);
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(LocalRedis.start(List.of("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "3000"),
            clusterPort()));
      }
      LocalRedisCluster cluster = new LocalRedisCluster(nodes);
      List<String> create = new ArrayList<>(List.of(
          LocalRedis.binary("redis-cli").toString(), "--cluster", "create"));
      for (LocalRedis node : nodes) {
        create.add("127.0.0.1:" + node.port());
      }
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      String out = run(create);
      if (!out.contains("All 16384 slots covered")) {
        throw new IllegalStateException("redis-cli --cluster create did not cover the slots: "
            + out);
      }
      cluster.awaitOk();
      return cluster;
    } catch (IOException | RuntimeException | InterruptedException e) {
      for (LocalRedis node : nodes) {
        node.close();
      }
      throw e;
    }
  }

  /** The seed URIs of the three masters. */
  List<String> uris() {
    return nodes.stream().map(LocalRedis::uri).toList();
  }

  List<LocalRedis> nodes() {
    return nodes;
  }

  /**
   * Waits until every node says {@code cluster_state:ok}: a joined cluster takes a moment (its
   * nodes' cron) to agree. Polls the external servers with a bound; no test timing depends on it.
   */
  private void awaitOk() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_NANOS;
    for (LocalRedis node : nodes) {
      String info;
      while (!(info = run(List.of(LocalRedis.binary("redis-cli").toString(), "-p",
          Integer.toString(node.port()), "cluster", "info"))).contains("cluster_state:ok")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster did not become ok: " + info);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: "
          + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (LocalRedis node : nodes) {
      try {
        node.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** A free port whose cluster bus port (+10,000) is free too. */
  @SuppressWarnings("try") // the socket is held to keep its port taken, never read
  static int clusterPort() throws IOException {
    for (;;) {
      int port = LocalRedis.freePort();
      if (port + 10_000 <= 65_535) {
        try (ServerSocket bus = new ServerSocket(port + 10_000)) {
          return port;
        } catch (IOException busy) {
          // try another
        }
      }
    }
  }
}
