package dev.llmgateway.benchmarks;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.Principal;
import dev.llmgateway.core.auth.ApiKeys;
import dev.llmgateway.core.auth.CreatedKey;
import dev.llmgateway.core.auth.KeySpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link ApiKeys#authenticate} costs with {@value #KEYS} keys in the in-memory store, per
 * {@code arm}: {@code hit} (a stored key, cycling through 1,024 different ones so the lookup is
 * not one cached entry: check the form, one SHA-256, one map read, the constant-time compare, the
 * state checks, the last-used check), {@code unknown} (a well-formed key not in the store: the
 * same up to the map read, then a typed refusal) and {@code malformed} (a key with the wrong
 * prefix: refused before hashing). A refusal's price includes making its exception (with its
 * stack trace), as the gateway pays it.
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar ApiKeyAuthBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ApiKeyAuthBenchmark {
  /** How many keys the store holds. */
  public static final int KEYS = 100_000;
  private static final int HOT = 1_024;

  @Param({"hit", "unknown", "malformed"})
  public String arm;

  private ApiKeys keys;
  private Caller[] callers;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    keys = ApiKeys.builder().audit(event -> { }).build();
    Caller[] hits = new Caller[HOT];
    for (int i = 0; i < KEYS; i++) {
      CreatedKey key = keys.create(KeySpec.of(Principal.builder().org("acme")
          .team("team-" + (i % 100)).user("user-" + i).build()), "bench");
      if (i % (KEYS / HOT) == 0 && i / (KEYS / HOT) < HOT) {
        hits[i / (KEYS / HOT)] = key.caller();
      }
    }
    callers = new Caller[HOT];
    for (int i = 0; i < HOT; i++) {
      String secret = ((Caller.ApiKey) hits[i]).secret();
      callers[i] = switch (arm) {
        case "hit" -> hits[i];
        // Same form, last four characters changed: no stored key has this hash.
        case "unknown" -> Caller.apiKey(secret.substring(0, secret.length() - 4)
            + (secret.endsWith("AAAA") ? "BBBB" : "AAAA"));
        case "malformed" -> Caller.apiKey("sk" + secret.substring(2));
        default -> throw new IllegalArgumentException("unknown arm " + arm);
      };
    }
  }

  /** Authenticates the next caller; returns the principal or the refusal. */
  @Benchmark
  public Object authenticate() {
    Caller caller = callers[next++ & (HOT - 1)];
    try {
      return keys.authenticate(caller);
    } catch (AuthenticationException e) {
      return e;
    }
  }
}
