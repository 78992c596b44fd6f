package dev.llmgateway.core.internal.budget;

import dev.llmgateway.Principal;
import dev.llmgateway.core.budget.Budget;
import dev.llmgateway.core.budget.BudgetCounter;
import dev.llmgateway.core.limit.Scope;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Which budgets apply to a caller, by map lookups: per scope, the budgets for the caller's own id
 * if any names it, else the scope's per-id budgets. Made from one list of budgets (a new one after
 * each admin change); each budget's current period is cached and recomputed when the clock leaves
 * it. Immutable but for those caches; thread-safe.
 */
final class BudgetIndex {
  private static final Scope[] SCOPES = {Scope.ORG, Scope.TEAM, Scope.PROJECT, Scope.KEY};

  final List<Budget> source;
  private final Map<Scope, Map<String, List<Entry>>> fixed = new EnumMap<>(Scope.class);
  private final Map<Scope, List<Entry>> perId = new EnumMap<>(Scope.class);

  /** A budget with its soft threshold in nano-dollars and its current period. */
  static final class Entry {
    final Budget budget;
    final long softNanos;
    private volatile Window window = new Window(Instant.MIN, Instant.MIN);
    /**
     * The last budget applied from this entry, made again for the next caller with the same
     * counter (the same id and tenant, in the same period). Read and written without a lock: an
     * immutable record, safely published by its final fields; a lost write costs a new one.
     */
    private @Nullable Applied last;

    Entry(Budget budget) {
      this.budget = budget;
      this.softNanos = new BigDecimal(budget.limitNanos())
          .multiply(BigDecimal.valueOf(budget.softThreshold()))
          .setScale(0, RoundingMode.CEILING).longValueExact();
    }

    Window window(Instant now) {
      Window w = window;
      if (now.isBefore(w.start) || !now.isBefore(w.end)) {
        w = new Window(budget.period().start(now, budget.zone()),
            budget.period().end(now, budget.zone()));
        window = w;
      }
      return w;
    }
  }

  record Window(Instant start, Instant end) {}

  /**
   * The index of {@code budgets}, keeping the period caches of {@code previous}'s entries for
   * budgets that did not change.
   */
  BudgetIndex(List<Budget> budgets, @Nullable BudgetIndex previous) {
    this.source = budgets;
    Map<Budget, Entry> kept = new IdentityHashMap<>();
    if (previous != null) {
      previous.forEach(e -> kept.put(e.budget, e));
    }
    for (Budget b : budgets) {
      Entry e = kept.getOrDefault(b, null);
      if (e == null) {
        e = new Entry(b);
      }
      if (b.id() == null) {
        perId.computeIfAbsent(b.scope(), s -> new ArrayList<>(1)).add(e);
      } else {
        fixed.computeIfAbsent(b.scope(), s -> new HashMap<>())
            .computeIfAbsent(b.id(), id -> new ArrayList<>(1)).add(e);
      }
    }
  }

  /** An index of no budgets. */
  static BudgetIndex empty() {
    return new BudgetIndex(List.of(), null);
  }

  private void forEach(java.util.function.Consumer<Entry> action) {
    perId.values().forEach(list -> list.forEach(action));
    fixed.values().forEach(byId -> byId.values().forEach(list -> list.forEach(action)));
  }

  /** The budgets that apply to {@code principal}, each with its counter for {@code now}. */
  List<Applied> applicable(Principal principal, Instant now) {
    Applied first = null; // most callers have one budget: a list only for a second
    List<Applied> out = null;
    String tenant = null;
    for (Scope scope : SCOPES) {
      Map<String, List<Entry>> byId = fixed.get(scope);
      List<Entry> every = perId.get(scope);
      if (byId == null && every == null) {
        continue;
      }
      String id = scope.idOf(principal);
      if (id == null) {
        continue;
      }
      List<Entry> entries = byId == null ? null : byId.get(id);
      if (entries == null) {
        entries = every;
      }
      if (entries == null) {
        continue;
      }
      if (tenant == null) {
        tenant = BudgetCounter.tenantOf(principal);
      }
      for (int i = 0; i < entries.size(); i++) {
        Entry e = entries.get(i);
        Window w = e.window(now);
        Applied a = e.last;
        if (a == null || a.counter().periodStart() != w.start || !a.counter().id().equals(id)
            || !a.counter().tenant().equals(tenant)) {
          a = new Applied(e.budget,
              new BudgetCounter(e.budget.name(), scope, tenant, id, w.start, w.end), e.softNanos);
          e.last = a;
        }
        if (first == null) {
          first = a;
        } else {
          if (out == null) {
            out = new ArrayList<>(4);
            out.add(first);
          }
          out.add(a);
        }
      }
    }
    return out != null ? out : first != null ? List.of(first) : List.of();
  }
}
