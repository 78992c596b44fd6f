package dev.llmgateway.redis.internal;

import dev.llmgateway.core.limit.Acquisition;
import dev.llmgateway.core.limit.LimitRequest;
import dev.llmgateway.core.limit.Settlement;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The rate limits' side of Redis: {@link #acquire} and {@link #settle} as scripts, one per tenant,
 * sent together (one round trip). Failures are thrown as Lettuce reports them; the store decides
 * what they mean. Thread-safe.
 */
public final class RedisLimits {
  /** How long a key lives past the moment it stops counting. */
  static final long KEY_MARGIN_MILLIS = 1_000;

  private final ScriptRunner scripts;
  private final Keys keys;
  private final boolean serverTime;

  /** Limits through {@code scripts}, keyed by {@code keys}, on the server's or gateway's clock. */
  public RedisLimits(ScriptRunner scripts, Keys keys, boolean serverTime) {
    this.scripts = scripts;
    this.keys = keys;
    this.serverTime = serverTime;
  }

  /**
   * Takes every request or none (see {@code LimitStore.acquire}): one script per tenant, all sent
   * at once; when one tenant's refuses or fails, what the others took is given back. A give-back
   * that fails too is handed to {@code giveBackLater} before the failure is thrown.
   */
  public Acquisition acquire(List<LimitRequest> requests, long nowMillis,
      Consumer<List<Settlement>> giveBackLater) {
    List<int[]> groups = groups(requests);
    long deadline = scripts.deadline();
    List<ScriptRunner.Sent<List<Object>>> sent = new ArrayList<>(groups.size());
    RuntimeException failure = null;
    for (int[] group : groups) {
      try {
        sent.add(scripts.send(Scripts.LIMIT_ACQUIRE, ScriptOutputType.MULTI,
            acquireKeys(requests, group), acquireArgs(requests, group, nowMillis)));
      } catch (RuntimeException e) {
        failure = e;
        break;
      }
    }
    long[] at = new long[requests.size()];
    int refused = Integer.MAX_VALUE;
    long retryAfter = -1;
    List<int[]> taken = new ArrayList<>(groups.size());
    for (int g = 0; g < sent.size(); g++) {
      int[] group = groups.get(g);
      List<Object> reply;
      try {
        reply = scripts.await(sent.get(g), deadline);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
        continue;
      }
      if (number(reply, 0) == 1) {
        for (int j = 0; j < group.length; j++) {
          at[group[j]] = number(reply, j + 1);
        }
        taken.add(group);
      } else {
        int index = group[(int) number(reply, 1)];
        if (index < refused) {
          refused = index;
          retryAfter = number(reply, 2);
        }
      }
    }
    if (failure == null && refused == Integer.MAX_VALUE) {
      for (int i = 0; i < at.length; i++) {
        if (requests.get(i).isSlot()) {
          at[i] = 0;
        }
      }
      return Acquisition.admitted(at);
    }
    if (!taken.isEmpty()) {
      List<Settlement> giveBack = new ArrayList<>();
      for (int[] group : taken) {
        for (int i : group) {
          LimitRequest r = requests.get(i);
          if (!r.isSlot()) {
            if (r.amount() > 0) {
              giveBack.add(Settlement.adjust(r, at[i], -r.amount()));
            }
          } else if (at[i] == 1) { // newly taken, not renewed
            giveBack.add(Settlement.release(r));
          }
        }
      }
      if (!giveBack.isEmpty()) {
        try {
          settle(giveBack);
        } catch (RuntimeException e) {
          giveBackLater.accept(giveBack);
          if (failure == null) {
            failure = e;
          }
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return Acquisition.refused(refused, retryAfter);
  }

  /** Settles {@code settlements}: one script per tenant, sent at once. */
  public void settle(List<Settlement> settlements) {
    if (settlements.isEmpty()) {
      return;
    }
    List<LimitRequest> requests = new ArrayList<>(settlements.size());
    for (Settlement s : settlements) {
      requests.add(s.request());
    }
    List<int[]> groups = groups(requests);
    long deadline = scripts.deadline();
    List<ScriptRunner.Sent<Long>> sent = new ArrayList<>(groups.size());
    for (int[] group : groups) {
      String[] k = new String[group.length];
      String[] args = new String[2 + 5 * group.length];
      args[0] = "0";
      args[1] = "0";
      for (int j = 0; j < group.length; j++) {
        Settlement s = settlements.get(group[j]);
        LimitRequest r = s.request();
        int a = 2 + 5 * j;
        if (r.isSlot()) {
          k[j] = keys.slots(r.counter());
          args[a] = "s";
          args[a + 1] = r.leaseId();
          args[a + 2] = "0";
          args[a + 3] = "0";
          args[a + 4] = "0";
        } else {
          k[j] = keys.window(r.counter());
          args[a] = "w";
          args[a + 1] = Long.toString(r.windowMillis());
          args[a + 2] = Integer.toString(r.buckets());
          args[a + 3] = Long.toString(Math.max(0, s.countedAtMillis()));
          args[a + 4] = Long.toString(s.delta());
        }
      }
      sent.add(scripts.send(Scripts.LIMIT_SETTLE, ScriptOutputType.INTEGER, k, args));
    }
    RuntimeException failure = null;
    for (ScriptRunner.Sent<Long> s : sent) {
      try {
        scripts.await(s, deadline);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private String[] acquireKeys(List<LimitRequest> requests, int[] group) {
    String[] k = new String[group.length];
    for (int j = 0; j < group.length; j++) {
      LimitRequest r = requests.get(group[j]);
      k[j] = r.isSlot() ? keys.slots(r.counter()) : keys.window(r.counter());
    }
    return k;
  }

  private String[] acquireArgs(List<LimitRequest> requests, int[] group, long nowMillis) {
    String[] args = new String[3 + 5 * group.length];
    args[0] = Long.toString(Math.max(0, nowMillis));
    args[1] = serverTime ? "1" : "0";
    args[2] = Long.toString(KEY_MARGIN_MILLIS);
    for (int j = 0; j < group.length; j++) {
      LimitRequest r = requests.get(group[j]);
      int a = 3 + 5 * j;
      args[a + 1] = Long.toString(r.limit());
      if (r.isSlot()) {
        args[a] = "s";
        args[a + 2] = r.leaseId();
        args[a + 3] = Long.toString(r.leaseUntilMillis());
        args[a + 4] = "0";
      } else {
        args[a] = "w";
        args[a + 2] = Long.toString(r.windowMillis());
        args[a + 3] = Integer.toString(r.buckets());
        args[a + 4] = Long.toString(r.amount());
      }
    }
    return args;
  }

  /** The requests' indices grouped by tenant, in order of first appearance. */
  static List<int[]> groups(List<LimitRequest> requests) {
    int n = requests.size();
    String first = requests.get(0).counter().tenant();
    boolean one = true;
    for (int i = 1; i < n && one; i++) {
      one = requests.get(i).counter().tenant().equals(first);
    }
    if (one) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return List.of(all);
    }
    Map<String, List<Integer>> byTenant = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      byTenant.computeIfAbsent(requests.get(i).counter().tenant(), t -> new ArrayList<>())
          .add(i);
    }
    List<int[]> out = new ArrayList<>(byTenant.size());
    for (List<Integer> indices : byTenant.values()) {
      out.add(indices.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  static long number(List<Object> reply, int i) {
    return ((Number) reply.get(i)).longValue();
  }
}
