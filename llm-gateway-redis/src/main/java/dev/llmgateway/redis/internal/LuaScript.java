package dev.llmgateway.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Lua script with its SHA-1, the name Redis caches it under ({@code EVALSHA}), computed here
 * once so no round trip is needed to learn it. Immutable.
 *
 * @param name a short name for messages
 * @param source the script
 * @param sha1 the lower-case hex SHA-1 of the script's UTF-8 bytes
 */
public record LuaScript(String name, String source, String sha1) {
  /** Validates. */
  public LuaScript {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sha1, "sha1");
  }

  /** The script {@code source}, named {@code name}. */
  public static LuaScript of(String name, String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest(source.getBytes(StandardCharsets.UTF_8));
      return new LuaScript(name, source, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  @Override
  public String toString() {
    return "LuaScript[" + name + ", sha1=" + sha1 + "]";
  }
}
