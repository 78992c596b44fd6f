package dev.llmgateway.redis.internal;

import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.limit.LimitCounter;
import dev.llmgateway.core.limit.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Redis key layout. Every key starts with its tenant's hash tag, {@code {<prefix>:t:<tenant>}}
 * ({@link LimitCounter#tenant()}, {@link BudgetCounter#tenant()}: the org id, empty for counters of
 * no org), so all the keys one script touches hash to one Redis Cluster slot:
 *
 * <pre>
 * {llmgw:t:acme}:w:team-rpm:team:support      a sliding window (hash: ring of bucket counts)
 * {llmgw:t:acme}:s:key-concurrent:key:k1      concurrency slots (sorted set: lease id → end)
 * {llmgw:t:acme}:b:team-monthly:team:support:&lt;period start&gt;:&lt;period end&gt;
 *                                             a budget counter (hash: spent, reserved, marks)
 * {llmgw:t:acme}:bh:...                       its holds (sorted set: call id → lease end)
 * {llmgw:t:acme}:ba:...                       its held amounts (hash: call id → nano-dollars)
 * {llmgw:t:acme}:d:&lt;call id&gt;                 a settled call (string, expires)
 * </pre>
 *
 * <p>Variable parts are escaped ({@code %}, {@code :}, braces, spaces and control characters as
 * {@code %XX}), so no two counters share a key and a tenant can never close the hash tag early.
 * An end user's id ({@link Scope#USER}) is never written: its SHA-256 (first 128 bits, hex) is.
 * Periods are written as epoch milliseconds. Immutable and thread-safe.
 */
public final class Keys {
  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  });

  private final String prefix;

  /** Keys under {@code prefix} (checked by the caller: letters, digits, {@code . _ -}). */
  public Keys(String prefix) {
    this.prefix = prefix;
  }

  /** The tenant's hash tag, {@code {<prefix>:t:<tenant>}}. */
  public String tag(String tenant) {
    return "{" + prefix + ":t:" + escape(tenant) + "}";
  }

  /** A sliding window's hash. */
  public String window(LimitCounter c) {
    return tag(c.tenant()) + ":w:" + escape(c.limit()) + ":" + c.scope().label() + ":"
        + id(c.scope(), c.id());
  }

  /** A concurrency limit's sorted set of leases. */
  public String slots(LimitCounter c) {
    return tag(c.tenant()) + ":s:" + escape(c.limit()) + ":" + c.scope().label() + ":"
        + id(c.scope(), c.id());
  }

  /** A budget counter's hash. */
  public String budget(BudgetCounter c) {
    return tag(c.tenant()) + ":b:" + budgetSuffix(c);
  }

  /** A budget counter's holds: call id → when its lease ends. */
  public String holds(BudgetCounter c) {
    return tag(c.tenant()) + ":bh:" + budgetSuffix(c);
  }

  /** A budget counter's held amounts: call id → nano-dollars. */
  public String heldAmounts(BudgetCounter c) {
    return tag(c.tenant()) + ":ba:" + budgetSuffix(c);
  }

  /** The mark that call {@code callId} settled on counters of {@code tenant}. */
  public String settled(String tenant, String callId) {
    return tag(tenant) + ":d:" + escape(callId);
  }

  /** A {@code SCAN MATCH} pattern for every budget counter's hash under this prefix. */
  public String budgetPattern() {
    return "{" + prefix + ":t:*}:b:*";
  }

  /** The id as written in keys and in a budget counter's fields: hashed for an end user. */
  public static String id(Scope scope, String id) {
    return scope == Scope.USER ? "u" + hash(id) : escape(id);
  }

  private static String budgetSuffix(BudgetCounter c) {
    return escape(c.budget()) + ":" + c.scope().label() + ":" + id(c.scope(), c.id()) + ":"
        + c.periodStart().toEpochMilli() + ":" + c.periodEnd().toEpochMilli();
  }

  /** The first 128 bits of the SHA-256 of {@code s}'s UTF-8 bytes, in hex. */
  static String hash(String s) {
    MessageDigest d = SHA256.get();
    byte[] digest = d.digest(s.getBytes(StandardCharsets.UTF_8));
    return HEX.formatHex(digest, 0, 16);
  }

  /** {@code s} with {@code %}, {@code :}, braces, spaces and control characters as {@code %XX}. */
  static String escape(String s) {
    int i = 0;
    while (i < s.length() && plain(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 8).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (plain(c)) {
        out.append(c);
      } else {
        out.append('%').append(Character.forDigit(c >> 4 & 0xF, 16))
            .append(Character.forDigit(c & 0xF, 16));
      }
    }
    return out.toString();
  }

  private static boolean plain(char c) {
    return c > ' ' && c != 0x7F && c != '%' && c != ':' && c != '{' && c != '}';
  }
}
