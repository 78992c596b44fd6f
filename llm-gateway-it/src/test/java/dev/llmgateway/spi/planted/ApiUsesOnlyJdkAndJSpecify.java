package dev.llmgateway.spi.planted;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import java.util.List;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Planted for ArchitectureRulesCatchViolationsTest as a clean counterpart to its planted
 * violations: a api class (JDK, javax included, JSpecify and api itself only). Test-only.
 */
public final class ApiUsesOnlyJdkAndJSpecify {
  private ApiUsesOnlyJdkAndJSpecify() {}

  /** Uses JDK types, arrays of primitives and of api types, and JSpecify. */
  public static @Nullable String first(
      List<String> names, int[] counts, ChatRequest[] requests,
      Flow.Publisher<ChatEvent> events, SSLContext tls) {
    return names.isEmpty() || counts.length + requests.length == 0
        ? null
        : names.get(0) + events + tls.getProtocol();
  }
}
