package dev.llmgateway.providers;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a piece of code wrote to {@code System.err} (where slf4j-simple logs in these tests). */
public final class Stderr {
  private Stderr() {}

  /** Runs {@code r} and returns what it wrote to {@code System.err}. */
  public static String of(Runnable r) {
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(original);
    }
    return log.toString(StandardCharsets.UTF_8);
  }
}
