package dev.llmgateway.testing.wire;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request a mock server received.
 *
 * @param method the HTTP method
 * @param target the path and query, e.g. {@code /v1/chat/completions}
 * @param headers the headers, names in lower case (values are printed by nothing but tests)
 * @param body the body as text
 */
public record MockRequest(String method, String target, Map<String, String> headers, String body) {
  /** Copies. */
  public MockRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  /** A header's value (name in any case), or null. */
  public @Nullable String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public String toString() {
    return "MockRequest[" + method + " " + target + ", headers=" + headers.keySet() + ", "
        + body.length() + " chars]";
  }
}
