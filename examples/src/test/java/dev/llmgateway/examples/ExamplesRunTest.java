package dev.llmgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every runnable example runs offline and prints what the README says it prints. */
class ExamplesRunTest {

  private static String run(Runnable main) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void resilienceExampleShowsRetryFailoverTimeoutAndAnOpenCircuit() {
    String out = run(() -> ResilienceExample.main(new String[0]));

    assertThat(out)
        .contains("RETRY FAILED HTTP 500", "retries exhausted; failing over")
        .contains("first token timeout of 1000 ms ran out; failing over")
        .contains("SKIPPED: circuit open until")
        .contains("Served by the secondary after two 500s.");
  }

  @Test
  void quickstartAndStreamingExamplesRun() {
    assertThat(run(() -> QuickstartDemo.main(new String[0]))).contains("attempt 1:", "tokens:");
    assertThat(run(() -> StreamingExample.main(new String[0])))
        .contains("provider saw cancellation: true");
    assertThat(run(() -> InterceptorsExample.main(new String[0]))).isNotBlank();
  }
}
