package dev.llmgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.core.budget.BudgetBalance;
import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.budget.BudgetStore;
import dev.llmgateway.core.budget.BudgetStore.Cap;
import dev.llmgateway.core.limit.Acquisition;
import dev.llmgateway.core.limit.LimitCounter;
import dev.llmgateway.core.limit.LimitRequest;
import dev.llmgateway.core.limit.LimitStore;
import dev.llmgateway.core.limit.Scope;
import dev.llmgateway.core.limit.Settlement;
import dev.llmgateway.redis.internal.Keys;
import dev.llmgateway.redis.internal.Scripts;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scripts where they must run: every key one script touches hashes to one slot, for tenants
 * with awkward ids; the stores work on a real three-master Redis Cluster (a script over keys of
 * two slots would be refused there with {@code CROSSSLOT}), their tenants spread over the masters
 * and listed back from all of them; and a restarted server — its script cache empty, its data back
 * from the append-only file — is used again by the same stores without a restart of theirs.
 */
@Timeout(90)
class RedisScriptsOnClusterAndRestartTest {
  private static final Instant START = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant END = Instant.parse("2026-06-01T00:00:00Z");
  private static final List<String> TENANTS =
      List.of("", "acme", "globex", "initech", "umbrella", "a}b{c:d", "ünïcode org", "hooli");

  @Test
  void everyKeyOfAScriptIsInItsTenantsSlot() {
    Keys keys = new Keys("llmgw");
    for (String tenant : TENANTS) {
      LimitCounter window = new LimitCounter("team:rpm", Scope.TEAM, tenant, "support}{");
      LimitCounter user = new LimitCounter("user-rpm", Scope.USER, tenant, "alice@example.com");
      BudgetCounter budget = new BudgetCounter("team-monthly", Scope.TEAM, tenant, "x}", START,
          END);
      List<String> all = List.of(keys.window(window), keys.slots(window), keys.window(user),
          keys.budget(budget), keys.holds(budget), keys.heldAmounts(budget),
          keys.settled(tenant, "call-{1}"));
      int slot = SlotHash.getSlot(keys.tag(tenant));
      for (String key : all) {
        assertThat(SlotHash.getSlot(key)).as("%s of tenant '%s'", key, tenant).isEqualTo(slot);
        assertThat(key).startsWith(keys.tag(tenant)).doesNotContain("alice");
      }
    }
    Set<Integer> slots = new HashSet<>();
    TENANTS.forEach(t -> slots.add(SlotHash.getSlot(keys.tag(t))));
    assertThat(slots).as("tenants hash apart").hasSize(TENANTS.size());
  }

  @Test
  void theStoresRunOnAThreeMasterClusterAndListFromEveryNode() throws Exception {
    try (LocalRedisCluster cluster = LocalRedisCluster.start()) {
      RedisClusterClient client = RedisClients.cluster(cluster.uris(), Stores.TIMEOUT);
      try (RedisStores stores = RedisStores.builder().cluster(client).keyPrefix("cluster")
          .commandTimeout(Stores.TIMEOUT).timeSource(TimeSource.GATEWAY).build()) {
        LimitStore limits = stores.limitStore();
        BudgetStore budgets = stores.budgetStore();
        long now = 1_700_000_000_000L;
        Set<Integer> ports = new HashSet<>();
        List<BudgetBalance> expected = new ArrayList<>();
        StatefulRedisClusterConnection<String, String> topology = client.connect();
        for (String tenant : TENANTS) {
          LimitRequest global = LimitRequest.window(new LimitCounter("rpm", Scope.GLOBAL, "",
              "*"), 100, 60_000, 60, 1);
          LimitRequest team = LimitRequest.window(new LimitCounter("tpm", Scope.TEAM, tenant,
              "t"), 100, 60_000, 60, 40);
          LimitRequest slot = LimitRequest.slot(new LimitCounter("conc", Scope.TEAM, tenant, "t"),
              1, "call-" + tenant, now + 60_000);
          Acquisition a = limits.acquire(List.of(global, team, slot), now);
          assertThat(a.isAdmitted()).isTrue();
          assertThat(limits.acquire(List.of(global, team, slot.counter().tenant().isEmpty()
              ? team : LimitRequest.slot(slot.counter(), 1, "other", now + 60_000)), now)
              .isAdmitted()).as("full: the slot, or 80 of 100 tokens").isFalse();
          limits.settle(List.of(Settlement.adjust(team, a.countedAtMillis(1), -40),
              Settlement.release(slot)), now);
          assertThat(limits.acquire(List.of(team, slot), now).isAdmitted()).isTrue();

          BudgetCounter c = new BudgetCounter("team-monthly", Scope.TEAM, tenant, "t", START, END);
          BudgetCounter o = new BudgetCounter("org-monthly", Scope.ORG, tenant, "o", START, END);
          assertThat(budgets.reserve("call-1", List.of(new Cap(c, 1_000), new Cap(o, 5_000)), 600,
              START.plusSeconds(60), START)).isNull();
          assertThat(budgets.reserve("call-2", List.of(new Cap(c, 1_000)), 600,
              START.plusSeconds(60), START)).isNotNull();
          budgets.settle("call-1", List.of(c, o), 250, START);
          assertThat(budgets.mark(c, 1, START)).isEqualTo(1);
          assertThat(budgets.balances(List.of(c, o), START)).containsExactly(
              new BudgetBalance(c, 250, 0, 1), new BudgetBalance(o, 250, 0, 0));
          expected.add(new BudgetBalance(c, 250, 0, 1));
          expected.add(new BudgetBalance(o, 250, 0, 0));
          int slotOf = SlotHash.getSlot(stores.keys().tag(tenant));
          ports.add(topology.getPartitions().getPartitionBySlot(slotOf).getUri().getPort());
        }
        topology.close();
        assertThat(ports).as("the tenants' keys live on every master").hasSize(3);
        assertThat(budgets.list(START)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(stores.health().failures()).isZero();
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void aRestartedServerIsUsedAgainWithItsDataAndAnEmptyScriptCache() throws Exception {
    try (LocalRedis redis = LocalRedis.start(); Stores.Raw raw = new Stores.Raw(redis)) {
      RedisClient client = RedisClients.client(redis.uri(), Stores.TIMEOUT);
      try (RedisStores stores = RedisStores.builder().client(client).keyPrefix(Stores.prefix())
          .commandTimeout(Stores.TIMEOUT).timeSource(TimeSource.GATEWAY)
          .retryInterval(Duration.ZERO).build()) {
        BudgetCounter c = new BudgetCounter("team-monthly", Scope.TEAM, "acme", "t", START, END);
        LimitRequest rpm = LimitRequest.window(new LimitCounter("rpm", Scope.TEAM, "acme", "t"),
            3, 60_000, 60, 1);
        long now = 1_700_000_000_000L;
        assertThat(stores.limitStore().acquire(List.of(rpm), now).isAdmitted()).isTrue();
        stores.budgetStore().settle("call-1", List.of(c), 700, START);

        CountDownLatch back = Stores.reconnected(client);
        CountDownLatch rawBack = Stores.reconnected(raw.client);
        redis.restart();
        assertThat(back.await(30, TimeUnit.SECONDS)).as("Lettuce reconnected").isTrue();
        assertThat(rawBack.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(raw.redis.scriptExists(Scripts.LIMIT_ACQUIRE.sha1(),
            Scripts.BUDGET_SETTLE.sha1())).containsExactly(false, false);

        assertThat(stores.limitStore().acquire(List.of(rpm, rpm), now).isAdmitted()).isTrue();
        assertThat(stores.limitStore().acquire(List.of(rpm), now).isAdmitted())
            .as("the first count came back from the append-only file").isFalse();
        assertThat(stores.budgetStore().settle("call-1", List.of(c), 700, START))
            .as("and the settled call's mark").containsExactly(new BudgetBalance(c, 700, 0, 0));
        assertThat(raw.redis.scriptExists(Scripts.LIMIT_ACQUIRE.sha1())).containsExactly(true);
        assertThat(stores.health().mode()).isEqualTo(RedisHealth.Mode.NORMAL);
      } finally {
        client.shutdown();
      }
    }
  }
}
