package dev.llmgateway.core.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallKind;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Principal;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.EndUsers;
import dev.llmgateway.core.policy.PiiPolicy;
import dev.llmgateway.core.policy.PolicySet;
import dev.llmgateway.core.policy.pii.PiiType;
import dev.llmgateway.spi.AttemptContext;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stream stage's demand: held-back text goes out before the final event, and when the caller
 * has not asked for that extra event the final one waits for its request — never sent unasked,
 * never lost, whatever the order of the caller's request and the provider's last event.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PolicyStreamTest {

  private static CallPolicy policy() {
    Call call = new Call("id-1", CallKind.STREAM, Principal.ANONYMOUS, ChatRequest.of("m", "Hi"),
        Instant.EPOCH, 0, AttemptContext.NO_DEADLINE, new EndUsers(new byte[16]));
    CallPolicy policy = new CallPolicy(call, PolicySet.builder().pii(PiiPolicy.defaults())
        .build());
    Vault vault = new Vault(10, s -> false);
    vault.placeholder(PiiType.EMAIL, "a@example.com");
    policy.useVault(vault);
    return policy;
  }

  /** An upstream the test drives by hand. */
  private static final class Upstream implements Flow.Publisher<ChatEvent>, Flow.Subscription {
    final AtomicLong requested = new AtomicLong();
    volatile Flow.Subscriber<? super ChatEvent> subscriber;

    @Override
    public void subscribe(Flow.Subscriber<? super ChatEvent> s) {
      subscriber = s;
      s.onSubscribe(this);
    }

    @Override
    public void request(long n) {
      requested.addAndGet(n);
    }

    @Override
    public void cancel() {}
  }

  /** A caller that asks by hand and checks it is never sent more than it asked for. */
  private static final class Caller implements Flow.Subscriber<ChatEvent> {
    final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    final AtomicLong asked = new AtomicLong();
    final AtomicReference<String> violation = new AtomicReference<>();
    final CountDownLatch completed = new CountDownLatch(1);
    volatile Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
    }

    void ask(long n) {
      asked.addAndGet(n);
      subscription.request(n);
    }

    @Override
    public void onNext(ChatEvent e) {
      events.add(e);
      if (events.size() > asked.get()) {
        violation.compareAndSet(null, "event " + events.size() + " sent, " + asked.get()
            + " asked for");
      }
    }

    @Override
    public void onError(Throwable t) {
      violation.compareAndSet(null, "onError " + t);
    }

    @Override
    public void onComplete() {
      if (completed.getCount() == 0) {
        violation.compareAndSet(null, "completed twice");
      }
      completed.countDown();
    }
  }

  @Test
  void theFinalEventWaitsForTheCallersRequestAndIsNeverLost() throws Exception {
    Random random = new Random(7);
    for (int round = 0; round < 3_000; round++) {
      Upstream upstream = new Upstream();
      PolicyStream stream = new PolicyStream(ChatStream.of(upstream), policy());
      Caller caller = new Caller();
      stream.subscribe(caller);
      caller.ask(1);
      upstream.subscriber.onNext(new ChatEvent.TextDelta("Hello <EMAIL_1> at <EMA"));
      assertThat(caller.events).hasSize(1);
      caller.ask(1);
      ChatResponse done = ChatResponse.builder().text("Hello <EMAIL_1> at <EMA").build();
      CyclicBarrier start = new CyclicBarrier(2);
      boolean askFirst = random.nextBoolean();
      Thread provider = new Thread(() -> {
        await(start);
        upstream.subscriber.onNext(new ChatEvent.Completed(done));
        upstream.subscriber.onComplete();
      });
      provider.start();
      if (askFirst) {
        await(start);
        caller.ask(1);
      } else {
        await(start);
        Thread.onSpinWait();
        caller.ask(1);
      }
      assertThat(caller.completed.await(10, TimeUnit.SECONDS)).as("round %d completed", round)
          .isTrue();
      provider.join();
      assertThat(caller.violation.get()).as("round %d", round).isNull();
      assertThat(caller.events).as("round %d", round).hasSize(3);
      assertThat(((ChatEvent.TextDelta) caller.events.get(0)).text())
          .isEqualTo("Hello a@example.com at ");
      assertThat(((ChatEvent.TextDelta) caller.events.get(1)).text()).isEqualTo("<EMA");
      assertThat(((ChatEvent.Completed) caller.events.get(2)).response().text())
          .isEqualTo("Hello a@example.com at <EMA");
    }
  }

  @Test
  void aChunkHeldBackWholeAsksUpstreamForOneMore() {
    Upstream upstream = new Upstream();
    PolicyStream stream = new PolicyStream(ChatStream.of(upstream), policy());
    Caller caller = new Caller();
    stream.subscribe(caller);
    caller.ask(1);
    assertThat(upstream.requested.get()).isEqualTo(1);
    upstream.subscriber.onNext(new ChatEvent.TextDelta("<EMAIL"));
    assertThat(caller.events).isEmpty();
    assertThat(upstream.requested.get()).isEqualTo(2);
    upstream.subscriber.onNext(new ChatEvent.TextDelta("_1> hi"));
    assertThat(caller.events).extracting(e -> ((ChatEvent.TextDelta) e).text())
        .containsExactly("a@example.com hi");
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
