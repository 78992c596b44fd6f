package dev.llmgateway.providers;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a transport gets its API key or token: read at send time, for every request, so a rotated
 * key or a refreshed OAuth token (e.g. Entra ID for Azure OpenAI) is used as soon as it changes.
 * Implementations must be thread-safe and fast (cache tokens; refresh in the background).
 * Implementations' {@code toString()} must not print the secret; the ones made here don't.
 */
@FunctionalInterface
public interface Credential {

  /** The current key or token. */
  String secret();

  /**
   * A fixed key.
   *
   * @throws IllegalArgumentException when the key is null (as {@code System.getenv} returns for an
   *     unset variable), blank, or holds a character an HTTP header cannot carry (a space, a line
   *     break, a control or non-ASCII character); the message never quotes the key
   */
  static Credential of(String secret) {
    String problem = Keys.problem(secret);
    if (problem != null) {
      throw new IllegalArgumentException("the API key " + problem);
    }
    return new Credential() {
      @Override
      public String secret() {
        return secret;
      }

      @Override
      public String toString() {
        return "Credential[static, redacted]";
      }
    };
  }

  /** A key or token read from the supplier on every request (rotating keys, OAuth tokens). */
  static Credential from(Supplier<String> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return new Credential() {
      @Override
      public String secret() {
        return Objects.requireNonNull(supplier.get(), "the credential supplier returned null");
      }

      @Override
      public String toString() {
        return "Credential[supplied, redacted]";
      }
    };
  }

  /** No credential: endpoints that need none (a local Ollama or vLLM). */
  Credential NONE = new Credential() {
    @Override
    public String secret() {
      return "";
    }

    @Override
    public String toString() {
      return "Credential[none]";
    }
  };
}
