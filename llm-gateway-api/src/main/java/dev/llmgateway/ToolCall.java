package dev.llmgateway;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call the model asks the application to make.
 *
 * <p>Some providers sign the part of their answer that carries a call (Gemini's {@code
 * thoughtSignature} on a {@code functionCall} part) and need the signature back on that same call
 * in the next turn. The call keeps it, with the wire format that made it: a transport sends it back
 * only when {@link #signatureSendableTo} its format, so after a failover no provider receives
 * another's signature.
 *
 * @param id the provider's id for this call; send it back in the {@link Message#toolResult}
 * @param name the tool's name
 * @param arguments the arguments as raw JSON text (an object)
 * @param signature the provider's opaque signature on this call, or null
 * @param signatureFormat the wire format whose provider made the signature ({@code "gemini"}), or
 *     null when unknown (a call the application built itself)
 */
public record ToolCall(String id, String name, String arguments, @Nullable String signature,
    @Nullable String signatureFormat) {
  /** Validates. */
  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    if (signatureFormat != null && signature == null) {
      throw new IllegalArgumentException("a tool call's signature format needs a signature");
    }
    if (signatureFormat != null && signatureFormat.isBlank()) {
      throw new IllegalArgumentException("a tool call's signature format must not be blank");
    }
  }

  /** A call without a signature. */
  public ToolCall(String id, String name, String arguments) {
    this(id, name, arguments, null, null);
  }

  /** This call carrying the given signature, made by the given wire format. */
  public ToolCall withSignature(String signature, String format) {
    return new ToolCall(id, name, arguments, Objects.requireNonNull(signature, "signature"),
        Objects.requireNonNull(format, "format"));
  }

  /**
   * Whether a transport of the given wire format may send this call's signature back: the call
   * has one, and it came from that format or its origin is unknown.
   */
  public boolean signatureSendableTo(String format) {
    return signature != null && (signatureFormat == null || signatureFormat.equals(format));
  }

  @Override
  public String toString() {
    return "ToolCall[id=" + id + ", name=" + name + ", arguments=" + arguments
        + (signature == null ? "" : ", signed=" + (signatureFormat == null ? "true"
            : signatureFormat))
        + "]";
  }
}
