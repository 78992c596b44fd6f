package dev.llmgateway.core.auth;

import dev.llmgateway.Caller;

/**
 * A key just made by {@link ApiKeys#create} or {@link ApiKeys#rotate}: the only place the raw key
 * ever exists. Hand {@link #secret()} to its owner once; the gateway keeps only its hash, so it
 * cannot be shown again. {@link #toString()} prints the key's id and metadata, never the key.
 * Immutable.
 */
public final class CreatedKey {
  private final String secret;
  private final KeyInfo info;

  CreatedKey(String secret, KeyInfo info) {
    this.secret = secret;
    this.info = info;
  }

  /** The key's id. */
  public String keyId() {
    return info.keyId();
  }

  /** The raw key, to hand to its owner once. Never log or print it. */
  public String secret() {
    return secret;
  }

  /** The key as a caller presents it: {@code Caller.apiKey(secret())}. */
  public Caller caller() {
    return Caller.apiKey(secret);
  }

  /** The key's metadata at its creation. */
  public KeyInfo info() {
    return info;
  }

  /** {@code CreatedKey[<id>, secret=<redacted>, ...]}: never the key. */
  @Override
  public String toString() {
    return "CreatedKey[" + info.keyId() + ", secret=<redacted>, " + info.principal()
        + (info.expiresAt() != null ? ", expires " + info.expiresAt() : "") + "]";
  }
}
