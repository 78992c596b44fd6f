package dev.llmgateway.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import java.util.Objects;

/**
 * Runs Lua scripts by their SHA-1 ({@code EVALSHA}: the script is not sent each time), falling
 * back to {@code EVAL} — which caches it again — when the server answers {@code NOSCRIPT}: a
 * restarted or failed-over server, a {@code SCRIPT FLUSH}, or a cluster node that never saw the
 * script. Works on a stand-alone connection's and a cluster connection's commands alike (Lettuce
 * routes a cluster script to the node that owns its keys' slot, so all of a script's keys must
 * share one slot: one hash tag).
 *
 * <p>Thread-safe as the Lettuce commands it is given are (Lettuce's connections are).
 */
public final class ScriptRunner {
  private final RedisScriptingCommands<String, String> commands;

  /** Runs scripts through {@code commands} (sync, stand-alone or cluster). */
  public ScriptRunner(RedisScriptingCommands<String, String> commands) {
    this.commands = Objects.requireNonNull(commands, "commands");
  }

  /**
   * Runs {@code script} with {@code keys} (every key it touches: Redis Cluster routes by them) and
   * {@code args}; the reply as {@code type} gives it.
   */
  public <T> T run(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
    try {
      return commands.evalsha(script.sha1(), type, keys, args);
    } catch (RedisNoScriptException e) {
      return commands.eval(script.source(), type, keys, args);
    }
  }
}
