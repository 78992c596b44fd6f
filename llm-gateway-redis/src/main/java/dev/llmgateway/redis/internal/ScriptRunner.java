package dev.llmgateway.redis.internal;

import dev.llmgateway.CallCancelledException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs Lua scripts by their SHA-1 ({@code EVALSHA}: the script is not sent each time), falling
 * back to {@code EVAL} — which caches it again — when the server answers {@code NOSCRIPT}: a
 * restarted or failed-over server, a {@code SCRIPT FLUSH}, or a cluster node that never saw the
 * script. Works on a stand-alone connection's and a cluster connection's commands alike (Lettuce
 * routes a cluster script to the node that owns its keys' slot, so all of a script's keys must
 * share one slot: one hash tag).
 *
 * <p>Every wait is bounded by the runner's timeout, whatever the client's own options say: a
 * script is {@linkplain #send sent} and its reply {@linkplain #await awaited} until a deadline, so
 * scripts of several tenants go out together and cost one round trip. A wait that runs out cancels
 * the command and throws {@link RedisCommandTimeoutException} (the script may still run on the
 * server: its effect is unknown); an interrupted wait throws {@link CallCancelledException} with
 * the interrupt kept; a server error is thrown as Lettuce reports it.
 *
 * <p>Thread-safe as the Lettuce commands it is given are (Lettuce's connections are).
 */
public final class ScriptRunner {
  private final RedisClusterAsyncCommands<String, String> commands;
  private final long timeoutNanos;

  /** Runs scripts through {@code commands} (stand-alone or cluster), waiting up to {@code timeout}. */
  public ScriptRunner(RedisClusterAsyncCommands<String, String> commands, Duration timeout) {
    this.commands = Objects.requireNonNull(commands, "commands");
    this.timeoutNanos = timeout.toNanos();
  }

  /** The commands scripts run through, for the other commands a store needs (scan, reads). */
  public RedisClusterAsyncCommands<String, String> commands() {
    return commands;
  }

  /** The deadline of a wait that starts now ({@link System#nanoTime()}). */
  public long deadline() {
    return System.nanoTime() + timeoutNanos;
  }

  /** A script sent, its reply not awaited yet. */
  public static final class Sent<T> {
    private final LuaScript script;
    private final ScriptOutputType type;
    private final String[] keys;
    private final String[] args;
    private final RedisFuture<T> reply;

    private Sent(LuaScript script, ScriptOutputType type, String[] keys, String[] args,
        RedisFuture<T> reply) {
      this.script = script;
      this.type = type;
      this.keys = keys;
      this.args = args;
      this.reply = reply;
    }
  }

  /**
   * Sends {@code script} with {@code keys} (every key it touches: Redis Cluster routes by them) and
   * {@code args}, by SHA-1.
   */
  public <T> Sent<T> send(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
    RedisFuture<T> reply = commands.evalsha(script.sha1(), type, keys, args);
    return new Sent<>(script, type, keys, args, reply);
  }

  /** The reply of {@code sent}, sending the script itself once on {@code NOSCRIPT}. */
  public <T> T await(Sent<T> sent, long deadlineNanos) {
    try {
      return await(sent.reply, deadlineNanos);
    } catch (RedisNoScriptException e) {
      RedisFuture<T> again = commands.eval(sent.script.source(), sent.type, sent.keys, sent.args);
      return await(again, deadlineNanos);
    }
  }

  /** Sends {@code script} and waits for its reply, at most the timeout. */
  public <T> T run(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
    long deadline = deadline();
    return await(send(script, type, keys, args), deadline);
  }

  /**
   * Loads {@code scripts} into the server's script cache ({@code SCRIPT LOAD}; on a cluster, on
   * every node), waiting up to {@code wait}: the first calls then find them, and the connection's
   * first round trips (class loading, a cold JIT) are made here rather than within a call's
   * timeout. A failure is thrown; the scripts are loaded again on {@code NOSCRIPT} anyway.
   */
  public void preload(Duration wait, LuaScript... scripts) {
    long deadline = System.nanoTime() + wait.toNanos();
    java.util.List<RedisFuture<String>> loads = new java.util.ArrayList<>(scripts.length);
    for (LuaScript script : scripts) {
      loads.add(commands.scriptLoad(script.source()));
    }
    for (RedisFuture<String> load : loads) {
      await(load, deadline);
    }
  }

  /** The value of {@code reply}, waited for until {@code deadlineNanos} at most. */
  public static <T> T await(RedisFuture<T> reply, long deadlineNanos) {
    try {
      return reply.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      reply.cancel(true);
      throw new RedisCommandTimeoutException("Redis did not answer within the command timeout");
    } catch (InterruptedException e) {
      reply.cancel(true);
      Thread.currentThread().interrupt();
      throw new CallCancelledException("interrupted while waiting for Redis", null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new RedisException(cause);
    }
  }
}
