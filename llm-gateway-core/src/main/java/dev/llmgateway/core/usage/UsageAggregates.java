package dev.llmgateway.core.usage;

import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.UsageSink;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Running totals in memory per team, project and month (UTC, of the call's timestamp): calls,
 * tokens and cost. At most {@link #maxGroups()} groups are kept; a record of a further group is
 * counted in {@link #overflowed()} and nowhere else. Counts each record it is given: register it
 * {@link UsageDelivery#inline() inline} (what {@code GatewayBuilder.usageSink(sink)} does for this
 * class), where each call's record arrives exactly once. Thread-safe; a record is added under its
 * group's lock.
 */
public final class UsageAggregates implements UsageSink {
  /** The default of {@link #create(int)}. */
  public static final int DEFAULT_MAX_GROUPS = 10_000;

  private final int maxGroups;
  private final ConcurrentHashMap<Key, Group> groups = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final LongAdder overflowed = new LongAdder();

  private UsageAggregates(int maxGroups) {
    this.maxGroups = maxGroups;
  }

  /** Totals for up to {@value #DEFAULT_MAX_GROUPS} groups. */
  public static UsageAggregates create() {
    return new UsageAggregates(DEFAULT_MAX_GROUPS);
  }

  /**
   * Totals for up to {@code maxGroups} groups.
   *
   * @throws IllegalArgumentException unless 1 to 10,000,000
   */
  public static UsageAggregates create(int maxGroups) {
    if (maxGroups < 1 || maxGroups > 10_000_000) {
      throw new IllegalArgumentException("maxGroups must be between 1 and 10,000,000, was "
          + maxGroups);
    }
    return new UsageAggregates(maxGroups);
  }

  /**
   * A group: a team, a project (each null when the caller had none) and a month.
   *
   * @param team the principal's team id, or null
   * @param project the principal's project id, or null
   * @param month the month of the call's timestamp, in UTC
   */
  public record Key(@Nullable String team, @Nullable String project, YearMonth month) {
    /** Validates. */
    public Key {
      Objects.requireNonNull(month, "month");
    }
  }

  /**
   * A group's totals.
   *
   * @param calls calls of every outcome
   * @param inputTokens input tokens, all attempts
   * @param outputTokens output tokens, all attempts
   * @param cost the summed cost in US dollars of the calls whose cost is known
   * @param unpricedCalls calls whose cost was unknown (not in {@code cost})
   */
  public record Totals(long calls, long inputTokens, long outputTokens, BigDecimal cost,
      long unpricedCalls) {
    /** No calls. */
    public static final Totals NONE = new Totals(0, 0, 0, BigDecimal.ZERO, 0);

    /** Validates. */
    public Totals {
      Objects.requireNonNull(cost, "cost");
    }
  }

  @Override
  public void accept(UsageRecord record) {
    Principal p = record.principal();
    Key key = new Key(p == null ? null : p.teamId(), p == null ? null : p.projectId(),
        YearMonth.from(record.timestamp().atOffset(ZoneOffset.UTC)));
    Group group = groups.get(key);
    if (group == null) {
      if (size.incrementAndGet() > maxGroups) {
        size.decrementAndGet();
        overflowed.increment();
        return;
      }
      Group fresh = new Group();
      group = groups.putIfAbsent(key, fresh);
      if (group == null) {
        group = fresh;
      } else {
        size.decrementAndGet(); // another thread made it first
      }
    }
    group.add(record);
  }

  /** The totals of one group; {@link Totals#NONE} when it saw no call. */
  public Totals totals(@Nullable String team, @Nullable String project, YearMonth month) {
    Group group = groups.get(new Key(team, project, month));
    return group == null ? Totals.NONE : group.totals();
  }

  /** Every group's totals, ordered by month, team, project (nulls first). */
  public Map<Key, Totals> totals() {
    Map<Key, Totals> out = new LinkedHashMap<>();
    groups.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(Key::month)
            .thenComparing(Key::team, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Key::project, Comparator.nullsFirst(Comparator.naturalOrder()))))
        .forEach(e -> out.put(e.getKey(), e.getValue().totals()));
    return out;
  }

  /** The most groups kept. */
  public int maxGroups() {
    return maxGroups;
  }

  /** Records not counted because their group would have exceeded {@link #maxGroups()}. */
  public long overflowed() {
    return overflowed.sum();
  }

  @Override
  public String toString() {
    return "UsageAggregates[" + size.get() + " groups of at most " + maxGroups + ", "
        + overflowed.sum() + " records overflowed]";
  }

  private static final class Group {
    private long calls;
    private long input;
    private long output;
    private BigDecimal cost = BigDecimal.ZERO;
    private long unpriced;

    synchronized void add(UsageRecord r) {
      calls++;
      input += r.usage().inputTokens();
      output += r.usage().outputTokens();
      if (r.cost() == null) {
        unpriced++;
      } else {
        cost = cost.add(r.cost());
      }
    }

    synchronized Totals totals() {
      return new Totals(calls, input, output, cost, unpriced);
    }
  }
}
