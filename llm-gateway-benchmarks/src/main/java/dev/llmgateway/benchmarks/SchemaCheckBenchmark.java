package dev.llmgateway.benchmarks;

import dev.llmgateway.ResponseFormat;
import dev.llmgateway.core.internal.policy.SchemaCheck;
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
 * What the output policy's schema check costs for a 1 KB answer (an invoice: a customer, eight
 * lines, totals) against a strict schema of the kind {@code StructuredOutput} makes (every object
 * closed, every property required, a pattern, an enum, bounds), per {@code arm}: {@code valid}
 * (the schema compiled and cached: parse the answer, validate), {@code invalid} (the same answer
 * with three violations: the check also writes three messages) and {@code uncached} (a schema
 * text the cache has not seen on every call, so each call compiles one: the price a caller pays
 * who sends a fresh schema per call, and the reason compiled schemas are cached).
 *
 * <p>It calls the check directly ({@code core.internal.policy.SchemaCheck}): until the policy
 * step that runs it is built, no public path reaches it. Benchmarks are never published and are
 * outside the ArchUnit rule that keeps other modules off core's internals.
 *
 * <pre>
 * mvn -q -pl llm-gateway-benchmarks -am package -DskipTests
 * java -jar llm-gateway-benchmarks/target/benchmarks.jar SchemaCheckBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SchemaCheckBenchmark {
  static final String SCHEMA = """
      {"type":"object","additionalProperties":false,
       "required":["invoice","customer","currency","lines","total","notes"],
       "properties":{
        "invoice":{"type":"string","pattern":"^INV-[0-9]{6}$"},
        "customer":{"type":"object","additionalProperties":false,"required":["name","email"],
          "properties":{"name":{"type":"string","maxLength":80},
                        "email":{"type":"string","maxLength":120}}},
        "currency":{"enum":["EUR","USD","GBP","CHF"]},
        "lines":{"type":"array","minItems":1,"maxItems":50,"items":{"type":"object",
          "additionalProperties":false,"required":["sku","description","quantity","unitPrice"],
          "properties":{"sku":{"type":"string","pattern":"^[A-Z]{3}-[0-9]{4}$"},
                        "description":{"type":"string","maxLength":60},
                        "quantity":{"type":"integer","minimum":1},
                        "unitPrice":{"type":"number","minimum":0}}}},
        "total":{"type":"number","minimum":0},
        "notes":{"anyOf":[{"type":"string"},{"type":"null"}]}}}
      """;

  @Param({"valid", "invalid", "uncached"})
  public String arm;

  private SchemaCheck check;
  private ResponseFormat format;
  private String answer;
  private long next;

  @Setup(Level.Trial)
  public void setUp() {
    check = new SchemaCheck();
    format = ResponseFormat.jsonSchema("invoice", SCHEMA);
    answer = answer(!arm.equals("invalid"));
    SchemaCheck.Result first = check.check(format, answer);
    if (first.isValid() == arm.equals("invalid")) {
      throw new IllegalStateException("the " + arm + " answer checks as " + first);
    }
  }

  /** A 1 KB invoice; the invalid one has a bad SKU, a zero quantity and an extra property. */
  static String answer(boolean valid) {
    StringBuilder sb = new StringBuilder("{\"invoice\":\"INV-004217\",\"customer\":{\"name\":"
        + "\"Jane Example\",\"email\":\"jane@example.com\"},\"currency\":\"EUR\",\"lines\":[");
    for (int i = 0; i < 8; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"sku\":\"")
          .append(!valid && i == 3 ? "abc-12" : "ABC-100" + i)
          .append("\",\"description\":\"Replacement part number ").append(i)
          .append(", boxed\",\"quantity\":").append(!valid && i == 5 ? 0 : i + 1)
          .append(",\"unitPrice\":").append(12.5 + i).append('}');
    }
    sb.append("],\"total\":612.0,\"notes\":\"Deliver to the loading dock, gate 4.\"");
    if (!valid) {
      sb.append(",\"discount\":5");
    }
    return sb.append('}').toString();
  }

  /** Checks the answer (against a fresh schema text in the {@code uncached} arm). */
  @Benchmark
  public SchemaCheck.Result check() {
    if (arm.equals("uncached")) {
      String text = "{\"description\":\"" + next++ + "\"," + SCHEMA.strip().substring(1);
      return check.check(ResponseFormat.jsonSchema("invoice", text), answer);
    }
    return check.check(format, answer);
  }
}
