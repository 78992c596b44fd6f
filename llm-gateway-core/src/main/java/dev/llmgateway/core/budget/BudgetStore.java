package dev.llmgateway.core.budget;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where budgets are counted: per {@link BudgetCounter}, the nano-dollars settled calls spent and
 * those calls in flight hold, and per call id its reservation — a <b>lease</b> that frees itself
 * when it expires, so a process that dies mid-call cannot hold budget for ever. Money is whole
 * nano-dollars ({@code long}) throughout: no floating point, no decimals, which a Lua script can
 * add exactly.
 *
 * <p>The gateway uses a store in three steps per call: {@link #balances} when the call is admitted
 * (one read of the call's counters), {@link #reserve} once the route is planned (and again, for
 * more, when a failover, a retry or a hedge needs it), and {@link #settle} when the call has ended,
 * with what its usage record says it cost. Each step is one operation over all of the call's
 * counters: a shared store makes each one round trip (a Redis store: one Lua script over keys
 * that share the tenant's hash tag, {@link BudgetCounter#tenant()}).
 *
 * <p>What an implementation must guarantee:
 *
 * <ul>
 *   <li><b>{@link #reserve} is all-or-nothing and atomic per counter</b>: it adds {@code amount}
 *       to every counter's reserved figure only if, on every counter, spent + reserved + amount
 *       stays within that counter's cap, checked and added without another reserve or settle of
 *       the same counter in between. This rule is what the worst case in {@link Budgets} is
 *       derived from.
 *   <li><b>{@link #settle} and {@link #release} are idempotent by call id</b>: the first adds the
 *       actual cost to every counter's spent figure and takes the call's reservation off its
 *       counters; a repeat (a retry after a reply that was lost) changes nothing. The store
 *       remembers settled call ids at least until the call's lease would have ended, and at least
 *       a few minutes; it may also bound how many it remembers, forgetting those due first, if it
 *       says so ({@link InMemoryBudgetStore} does).
 *   <li><b>Leases expire</b>: once {@code leaseUntil} has passed, the reservation no longer counts
 *       (expired lazily, on access, is enough). A settle that arrives after its lease expired
 *       still charges the cost, once.
 *   <li>All methods are thread-safe; none blocks for long (they run on the request path, on the
 *       thread of the call).
 * </ul>
 *
 * <p>Times are the gateway's ({@code now} from the clock of {@link Budgets}), so a store needs
 * no clock of its own. Failures are thrown as they are; the gateway turns them into a {@link
 * BudgetStoreException} and does not send the call. The default is {@link InMemoryBudgetStore}.
 */
public interface BudgetStore {

  /**
   * A counter and the most it may hold (spent + reserved) for a reservation to be granted.
   *
   * @param counter the counter
   * @param limitNanos its budget's limit, or {@link Long#MAX_VALUE} for no cap (a downgraded call
   *     under a {@link HardLimitAction#DOWNGRADE_ONLY} budget)
   */
  record Cap(BudgetCounter counter, long limitNanos) {
    /** Validates. */
    public Cap {
      Objects.requireNonNull(counter, "counter");
      if (limitNanos < 0) {
        throw new IllegalArgumentException("a cap is never negative, was " + limitNanos);
      }
    }
  }

  /**
   * The counters' figures now, in their order (zeros for a counter nothing was counted on yet).
   *
   * @param counters the counters of one call (one tenant)
   * @param now the gateway's time
   * @return one balance per counter
   */
  List<BudgetBalance> balances(List<BudgetCounter> counters, Instant now);

  /**
   * Reserves {@code amountNanos} more for call {@code callId} on every counter, if it fits every
   * cap (see the class javadoc); the call's lease then lasts until the later of its previous
   * {@code leaseUntil} and this one.
   *
   * @param callId the call's id
   * @param caps the call's counters with their caps (one tenant)
   * @param amountNanos how much more to hold, at least 0
   * @param leaseUntil when the reservation frees itself if the call has not settled
   * @param now the gateway's time
   * @return null when reserved; else the balance of a counter the amount did not fit
   */
  @Nullable BudgetBalance reserve(String callId, List<Cap> caps, long amountNanos,
      Instant leaseUntil, Instant now);

  /**
   * Ends call {@code callId}: adds {@code actualNanos} to every counter's spent figure and takes
   * whatever the call still holds off its counters, once per call id (a repeat changes nothing).
   *
   * @param callId the call's id
   * @param counters the call's counters, as given to {@link #reserve}
   * @param actualNanos what the call cost, at least 0
   * @param now the gateway's time
   * @return the counters' balances afterwards, in their order
   */
  List<BudgetBalance> settle(String callId, List<BudgetCounter> counters, long actualNanos,
      Instant now);

  /**
   * Ends call {@code callId} without a charge: {@link #settle} with 0.
   *
   * @param callId the call's id
   * @param counters the call's counters
   * @param now the gateway's time
   * @return the counters' balances afterwards
   */
  default List<BudgetBalance> release(String callId, List<BudgetCounter> counters, Instant now) {
    return settle(callId, counters, 0, now);
  }

  /**
   * Sets {@code bits} among the counter's marks for its period and returns those that were not set
   * before: how the gateway announces each threshold of a budget once per period, however many
   * processes share the store.
   *
   * @param counter the counter
   * @param bits the marks to set
   * @param now the gateway's time
   * @return the bits of {@code bits} this call set (0 when all were set already)
   */
  int mark(BudgetCounter counter, int bits, Instant now);

  /**
   * Every counter the store holds, for reports ({@link Budgets#statuses()}); periods that ended may
   * be among them.
   *
   * @param now the gateway's time
   * @return the balances, in no particular order
   */
  List<BudgetBalance> list(Instant now);
}
