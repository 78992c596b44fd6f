package dev.llmgateway.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who a provider is to an observer, as opposed to the name it was configured under: the service it
 * speaks to and the server it calls. Telemetry reads it (the OpenTelemetry module sets {@code
 * gen_ai.provider.name}, {@code server.address} and {@code server.port} from it), so that a
 * dashboard groups {@code openai-eu} and {@code openai-us} as one vendor.
 *
 * <p>{@code vendor} uses the well-known values of the OpenTelemetry GenAI semantic conventions'
 * {@code gen_ai.provider.name} where one applies ({@code openai}, {@code azure.ai.openai}, {@code
 * anthropic}, {@code gcp.gemini}, {@code gcp.vertex_ai}, {@code groq}, {@code mistral_ai}, {@code
 * deepseek}, {@code x_ai}, {@code perplexity}, {@code cohere}, {@code aws.bedrock}, ...), else a
 * short lower-case name of the provider's own. Immutable and thread-safe.
 *
 * @param vendor the service the provider speaks to, e.g. {@code openai}
 * @param host the host name or address of the server the provider calls, or null when it calls
 *     none (an in-process provider) or does not say
 * @param port the server's port, or -1 when {@code host} is null
 */
public record ProviderIdentity(String vendor, @Nullable String host, int port) {

  /** Validates. */
  public ProviderIdentity {
    Objects.requireNonNull(vendor, "vendor");
    if (vendor.isBlank() || vendor.length() > 64) {
      throw new IllegalArgumentException("a vendor name has 1 to 64 characters, was "
          + vendor.length());
    }
    if (host != null && (host.isBlank() || host.length() > 253)) {
      throw new IllegalArgumentException("a host name has 1 to 253 characters, was "
          + host.length());
    }
    if (host == null ? port != -1 : port < 1 || port > 65535) {
      throw new IllegalArgumentException("the port is 1 to 65535 with a host, -1 without; was "
          + port);
    }
  }

  /** A provider that names its vendor and no server. */
  public static ProviderIdentity of(String vendor) {
    return new ProviderIdentity(vendor, null, -1);
  }
}
