package dev.llmgateway.core.internal.meter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.cost.Price;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A stream's caller for the race tests: keeps every event it received and counts its demand the way
 * a {@link dev.llmgateway.StreamIterator} would, asking either for everything at once or for one
 * event at a time (the next one from {@code onNext}, as an iterator pulling does); and checks that
 * the one usage record tells what this caller received. Thread-safe.
 */
final class CallerView implements Flow.Subscriber<ChatEvent> {
  final CountDownLatch subscribed = new CountDownLatch(1);
  /** Counted down by {@code onComplete} or {@code onError}. */
  final CountDownLatch done = new CountDownLatch(1);
  final List<ChatEvent> received = new CopyOnWriteArrayList<>();
  final AtomicLong requested = new AtomicLong();
  final AtomicInteger overflows = new AtomicInteger();
  final AtomicInteger completions = new AtomicInteger();
  final AtomicInteger errors = new AtomicInteger();
  private final boolean oneAtATime;
  private volatile Flow.@Nullable Subscription subscription;

  CallerView(boolean oneAtATime) {
    this.oneAtATime = oneAtATime;
  }

  /** The first request: one event, or everything. */
  void start() {
    request(oneAtATime ? 1 : Long.MAX_VALUE);
  }

  /** Asks for {@code n} more. */
  void request(long n) {
    Flow.Subscription s = subscription;
    if (s == null) {
      throw new IllegalStateException("not subscribed");
    }
    requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
    s.request(n);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    subscribed.countDown();
  }

  @Override
  public void onNext(ChatEvent event) {
    received.add(event);
    if (received.size() > requested.get()) {
      overflows.incrementAndGet();
    }
    if (oneAtATime) {
      request(1); // after the terminal event too, as an iterator asks to see the end
    }
  }

  @Override
  public void onError(Throwable t) {
    errors.incrementAndGet();
    done.countDown();
  }

  @Override
  public void onComplete() {
    completions.incrementAndGet();
    done.countDown();
  }

  /** The terminal events received. */
  List<ChatEvent> terminals() {
    return received.stream().filter(ChatEvent::isTerminal).toList();
  }

  /** Whether a terminal event arrived. */
  boolean ended() {
    return !terminals().isEmpty();
  }

  /**
   * Checks the stream's signals (within demand, exactly one terminal event, last, then {@code
   * onComplete}) and that the one record has the outcome, tokens, attempts and cost this caller
   * received, at {@code price} per attempt.
   */
  void assertMatches(List<UsageRecord> records, Price price, String where) {
    assertThat(overflows).as(where + ": events beyond the caller's demand").hasValue(0);
    assertThat(errors).as(where + ": onError").hasValue(0);
    assertThat(terminals()).as(where + ": terminal events").hasSize(1);
    assertThat(received.get(received.size() - 1).isTerminal()).as(where + ": terminal last")
        .isTrue();
    assertThat(completions).as(where + ": onComplete").hasValue(1);
    assertThat(records).as(where + ": usage records").hasSize(1);
    assertRecordIs(records.get(0), terminals().get(0), price, where);
  }

  /** The record tells what the caller got from {@code terminal}. */
  static void assertRecordIs(UsageRecord record, ChatEvent terminal, Price price, String where) {
    if (terminal instanceof ChatEvent.Completed c) {
      assertThat(record.outcome()).as(where).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
      assertThat(record.usage()).as(where + ": tokens").isEqualTo(c.response().usage());
      assertThat(record.attempts()).as(where + ": attempts").isEqualTo(c.response().attempts());
      assertThat(record.cost()).as(where + ": cost").isEqualTo(c.response().cost());
      assertThat(record.cost()).as(where + ": cost of the attempts")
          .isEqualByComparingTo(cost(c.response().attempts(), price));
    } else if (terminal instanceof ChatEvent.Failed f) {
      boolean notStarted = f.error() instanceof InvalidRequestException
          && f.error().getMessage().contains("was not subscribed before its gateway closed");
      UsageRecord.Outcome expected = notStarted ? UsageRecord.Outcome.NOT_STARTED
          : f.committed() ? UsageRecord.Outcome.STREAM_FAILED : UsageRecord.Outcome.FAILED;
      assertThat(record.outcome()).as(where).isEqualTo(expected);
      assertThat(record.usage()).as(where + ": tokens").isEqualTo(f.usage());
      assertThat(record.attempts()).as(where + ": attempts").isEqualTo(f.attempts());
      assertThat(record.cost()).as(where + ": cost of the attempts")
          .isEqualByComparingTo(cost(f.attempts(), price));
    } else {
      throw new AssertionError(where + ": not a terminal event: " + terminal);
    }
  }

  /** What the attempts cost at {@code price}, as the caller can work it out. */
  static BigDecimal cost(List<Attempt> attempts, Price price) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Attempt a : attempts) {
      sum = sum.add(price.cost(a.usage()));
    }
    return sum;
  }
}
