package dev.llmgateway.examples;

import dev.llmgateway.BudgetExceededException;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetPeriod;
import dev.llmgateway.core.budget.BudgetStatus;
import dev.llmgateway.core.budget.Budgets;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.limit.RateLimit;
import dev.llmgateway.core.limit.RateLimits;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.redis.FailurePolicy;
import dev.llmgateway.redis.RedisStores;
import dev.llmgateway.testing.FakeProvider;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Limits and budgets shared by two gateway instances through one Redis, as two replicas of a
 * service would share them: each instance has its own connection ({@link RedisStores}) and its own
 * {@link Budgets}, and team {@code search}'s daily budget of two cents is spent by both — what one
 * spends, the other sees, and the call that would pass the limit is refused wherever it lands. The
 * providers are fakes, so this runs offline; Redis is a local {@code redis-server} the example
 * starts on a free port (and stops), or, without one installed, the example says how to install it
 * and ends.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.RedisBudgetExample}
 */
public final class RedisBudgetExample {
  private RedisBudgetExample() {}

  public static void main(String[] args) {
    Path binary = redisServer();
    if (binary == null) {
      System.out.println("redis-server is not installed, so this example cannot run: install"
          + " Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis)"
          + " and run it again.");
      return;
    }
    try (LocalServer redis = LocalServer.start(binary)) {
      run(redis.uri());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void run(String redisUri) {
    Principal search = Principal.builder().org("acme").team("search").build();
    try (Replica a = new Replica("A", redisUri); Replica b = new Replica("B", redisUri)) {
      for (int i = 1; i <= 6; i++) {
        Replica at = i % 2 == 1 ? a : b;
        ChatRequest ask = ChatRequest.builder("fake/m")
            .user("Summarise support ticket #" + i + " in two sentences, please.")
            .maxOutputTokens(500).build();
        String outcome;
        try {
          at.gateway.chat(ask, search);
          outcome = "ok";
        } catch (BudgetExceededException e) {
          outcome = "refused: " + e.getMessage();
        }
        BudgetStatus seenByA = a.budgets.status("team-daily", search);
        BudgetStatus seenByB = b.budgets.status("team-daily", search);
        System.out.printf("call %d on %s: %s%n   team search: A sees $%s of $%s spent,"
            + " B sees $%s%n", i, at.name, outcome, seenByA.spent().toPlainString(),
            seenByA.limit().toPlainString(), seenByB.spent().toPlainString());
      }
      System.out.println("health of A: " + a.redis.health());
    }
  }

  /** One gateway instance: its own Redis connection, stores, budgets and provider. */
  private static final class Replica implements AutoCloseable {
    final String name;
    final RedisStores redis;
    final Budgets budgets;
    final Gateway gateway;

    Replica(String name, String redisUri) {
      this.name = name;
      FakeProvider fake = FakeProvider.builder().name("fake").build();
      for (int i = 0; i < 3; i++) {
        fake.onAnyModel().reply("Done.", Usage.of(12, 500)); // $0.004024 at the price below
      }
      // tag::config[]
      RedisStores redis = RedisStores.builder()
          .uri(redisUri)                                   // or .client(...), .cluster(...)
          .commandTimeout(Duration.ofMillis(500))          // the longest an admission waits
          .failurePolicy(FailurePolicy.failOpen(2))        // 2 replicas: half of each limit apiece
          .build();
      Budgets budgets = Budgets.builder()
          .budget(Budget.perId("team-daily", Scope.TEAM, "0.02").period(BudgetPeriod.DAY))
          .store(redis.budgetStore())
          .build();
      Gateway gateway = Gateway.builder()
          .provider(fake)
          .price("fake/m", Price.perMillion("2.00", "8.00"))
          .rateLimits(RateLimits.builder()
              .limit(RateLimit.requestsPerMinute(600).perTeam())
              .store(redis.limitStore())
              .build())
          .budgets(budgets)
          .build();
      // end::config[]
      this.redis = redis;
      this.budgets = budgets;
      this.gateway = gateway;
    }

    @Override
    public void close() {
      gateway.close();
      redis.close();
    }
  }

  private static @Nullable Path redisServer() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        Path candidate = Path.of(entry, "redis-server");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  /** A {@code redis-server} on a free port of localhost with a temporary directory. */
  private static final class LocalServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;

    private LocalServer(Process process, Path dir, int port) {
      this.process = process;
      this.dir = dir;
      this.port = port;
    }

    static LocalServer start(Path binary) throws IOException, InterruptedException {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path dir = Files.createTempDirectory("redis-budget-example");
      Process p = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port),
          "--bind", "127.0.0.1", "--dir", dir.toString(), "--appendonly", "yes", "--save", "",
          "--protected-mode", "no")).redirectErrorStream(true).start();
      CountDownLatch ready = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (BufferedReader lines = new BufferedReader(
            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = lines.readLine()) != null; ) {
            if (line.contains("Ready to accept connections")) {
              ready.countDown();
            }
          }
        } catch (IOException e) {
          // the server ended
        }
      }, "redis-server");
      reader.setDaemon(true);
      reader.start();
      if (!ready.await(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("redis-server did not start in 30 s");
      }
      return new LocalServer(p, dir, port);
    }

    String uri() {
      return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }
}
