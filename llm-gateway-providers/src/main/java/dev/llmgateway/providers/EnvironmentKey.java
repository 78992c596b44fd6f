package dev.llmgateway.providers;

/**
 * A key read from an environment variable when the provider was built: prints the variable's name,
 * never the key.
 */
final class EnvironmentKey implements Credential {
  private final String variable;
  private final String secret;

  EnvironmentKey(String variable, String secret) {
    this.variable = variable;
    this.secret = secret;
  }

  @Override
  public String secret() {
    return secret;
  }

  @Override
  public String toString() {
    return "Credential[environment " + variable + ", redacted]";
  }
}
