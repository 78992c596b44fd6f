package dev.llmgateway.core.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AccessDeniedException;
import dev.llmgateway.CallKind;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.StubProvider;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.Interceptor;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A step's end hook ({@link Call#onEnd(CallEnd)}) runs exactly once with the call's one usage
 * record, whatever ended the call, also when it is registered while the call ends.
 */
@Timeout(60)
class CallEndTest {

  private static Call call() {
    return new Call("id-1", CallKind.CHAT, Principal.ANONYMOUS, ChatRequest.of("m", "Hi"),
        Instant.EPOCH, 0, AttemptContext.NO_DEADLINE, new EndUsers(new byte[16]));
  }

  @Test
  void hooksRunOnceInOrderAndAHookRegisteredLateRunsAtOnce() {
    Call call = call();
    List<String> ran = new CopyOnWriteArrayList<>();
    call.onEnd(r -> ran.add("first " + r.callId()));
    call.onEnd(r -> {
      throw new IllegalStateException("a broken hook"); // logged; the others still run
    });
    call.onEnd(r -> ran.add("third"));
    UsageRecord record = record(call);

    call.ended(record);
    call.onEnd(r -> ran.add("late " + r.outcome()));

    assertThat(ran).containsExactly("first id-1", "third", "late NOT_STARTED");
  }

  @Test
  void aHookRegisteredWhileTheCallEndsRunsExactlyOnce() throws Exception {
    Random seeds = new Random(0x28e0d01L);
    for (int round = 0; round < 3_000; round++) {
      Call call = call();
      AtomicInteger runs = new AtomicInteger();
      int early = seeds.nextInt(3);
      for (int i = 0; i < early; i++) {
        call.onEnd(r -> runs.incrementAndGet());
      }
      CyclicBarrier start = new CyclicBarrier(2);
      Thread registrar = new Thread(() -> {
        await(start);
        call.onEnd(r -> runs.incrementAndGet());
        call.onEnd(r -> runs.incrementAndGet());
      });
      registrar.start();
      await(start);
      if (seeds.nextBoolean()) {
        Thread.onSpinWait();
      }
      call.ended(record(call));
      registrar.join();
      assertThat(runs).as("round %d", round).hasValue(early + 2);
    }
  }

  @Test
  void aCallRefusedByALaterStepRunsTheHookWithItsRefusedRecord() {
    AtomicReference<UsageRecord> seen = new AtomicReference<>();
    Interceptor registers = chain -> {
      ((Call) chain.call()).onEnd(seen::set);
      return chain.proceed(chain.request());
    };
    Interceptor refuses = chain -> {
      ((Call) chain.call()).refuse(UsageRecord.Refusal.LIMIT);
      throw new AccessDeniedException("refused for the test");
    };
    try (Gateway gateway = Gateway.builder().provider(new StubProvider("stub"))
        .interceptor(InterceptorPosition.FIRST, registers)
        .interceptor(InterceptorPosition.BEFORE_ROUTING, refuses).build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("stub/m", "hi")))
          .isInstanceOf(AccessDeniedException.class);
    }
    assertThat(seen.get().outcome()).isEqualTo(UsageRecord.Outcome.REFUSED);
    assertThat(seen.get().refusal()).isEqualTo(UsageRecord.Refusal.LIMIT);
  }

  @Test
  void aStreamRunsTheHookWhenItEndsNotWhenItIsMade() {
    AtomicReference<UsageRecord> seen = new AtomicReference<>();
    Interceptor registers = chain -> {
      ((Call) chain.call()).onEnd(seen::set);
      return chain.proceed(chain.request());
    };
    StubProvider stub = new StubProvider("stub");
    stub.onAnyModel().reply("streamed");
    try (Gateway gateway = Gateway.builder().provider(stub)
        .alias("a", Route.to("stub/m"))
        .interceptor(InterceptorPosition.BEFORE_ROUTING, registers).build()) {
      ChatStream stream = gateway.stream(ChatRequest.of("a", "hi"));
      assertThat(seen.get()).as("ended before anyone read the stream").isNull();
      try (var events = stream.iterator()) {
        while (events.hasNext()) {
          ChatEvent e = events.next();
          assertThat(e).isNotNull();
        }
      }
    }
    assertThat(seen.get().outcome()).isEqualTo(UsageRecord.Outcome.SUCCEEDED);
    assertThat(seen.get().deployment()).hasToString("stub/m");
  }

  private static UsageRecord record(Call call) {
    return new UsageRecord(call.callId(), Instant.EPOCH, CallKind.CHAT, null, "m", null, null,
        List.of(), dev.llmgateway.Usage.ZERO, java.math.BigDecimal.ZERO, java.time.Duration.ZERO,
        null, UsageRecord.Outcome.NOT_STARTED, null, java.util.Set.of(), false, null, null,
        List.of());
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
