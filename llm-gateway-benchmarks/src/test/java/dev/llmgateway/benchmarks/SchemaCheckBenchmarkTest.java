package dev.llmgateway.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each arm of {@link SchemaCheckBenchmark} measures what it says, on a 1 KB answer. */
@Timeout(30)
class SchemaCheckBenchmarkTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"valid", "invalid", "uncached"})
  void eachArmChecksAOneKilobyteAnswer(String arm) {
    SchemaCheckBenchmark benchmark = new SchemaCheckBenchmark();
    benchmark.arm = arm;
    benchmark.setUp();

    assertThat(SchemaCheckBenchmark.answer(!arm.equals("invalid")).length())
        .isBetween(900, 1_200);
    assertThat(benchmark.check().isValid()).isEqualTo(!arm.equals("invalid"));
    assertThat(benchmark.check().totalErrors()).isEqualTo(arm.equals("invalid") ? 3 : 0);
  }
}
