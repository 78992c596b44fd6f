package dev.llmgateway.core.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallKind;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Principal;
import dev.llmgateway.core.route.Downgrade;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.RequestNeeds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The call's typed slots: one value per type, set, replaced and removed by the step that owns the
 * type, and read by later steps on any thread.
 */
@Timeout(60)
class CallTagTest {

  private static Call call() {
    return new Call("id-1", CallKind.CHAT, Principal.ANONYMOUS, ChatRequest.of("m", "Hi"),
        Instant.EPOCH, 0, AttemptContext.NO_DEADLINE, new EndUsers(new byte[16]));
  }

  @Test
  void aSlotIsEmptyUntilSetThenHoldsItsValueUntilReplacedOrRemoved() {
    Call call = call();
    assertThat(call.tag(Downgrade.class)).isNull();

    call.tag(Downgrade.class, new Downgrade("team budget at 92%"));
    assertThat(call.tag(Downgrade.class)).isEqualTo(new Downgrade("team budget at 92%"));

    call.tag(Downgrade.class, new Downgrade("org budget at 97%"));
    assertThat(call.tag(Downgrade.class)).isEqualTo(new Downgrade("org budget at 97%"));

    call.tag(Downgrade.class, null);
    assertThat(call.tag(Downgrade.class)).isNull();
    call.tag(Downgrade.class, null); // removing what is absent is a no-op
    assertThat(call.plan()).isNull();
  }

  @Test
  void slotsOfDifferentTypesAreIndependent() {
    Call call = call();
    call.tag(Downgrade.class, new Downgrade("budget"));
    call.tag(String.class, "a note of the host application");
    call.tag(Integer.class, 7);

    call.tag(String.class, null);

    assertThat(call.tag(Downgrade.class)).isEqualTo(new Downgrade("budget"));
    assertThat(call.tag(String.class)).isNull();
    assertThat(call.tag(Integer.class)).isEqualTo(7);
  }

  @Test
  void aValueIsKeptUnderTheTypeItWasSetAsNotItsOwnClass() {
    Call call = call();
    CharSequence text = new StringBuilder("built");
    call.tag(CharSequence.class, text);

    assertThat(call.tag(CharSequence.class)).isSameAs(text);
    assertThat(call.tag(StringBuilder.class)).isNull();
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aValueOfAnotherTypeIsRefusedNamingBoth() {
    Call call = call();
    Class raw = Downgrade.class;
    assertThatThrownBy(() -> call.tag(raw, "not a downgrade"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String")
        .hasMessageContaining(Downgrade.class.getName());
  }

  /**
   * The request's needs are worked out once for the same request object, whichever step asks; a
   * step that rewrote the request gets the needs of the rewritten one.
   */
  @Test
  void needsAreWorkedOutOncePerRequestObject() {
    Call call = call();
    ChatRequest original = (ChatRequest) call.originalRequest();
    RequestNeeds first = call.needs(original);
    assertThat(call.needs(original)).isSameAs(first);
    assertThat(first.request()).isSameAs(original);

    ChatRequest rewritten = original.toBuilder().maxOutputTokens(512).build();
    RequestNeeds second = call.needs(rewritten);
    assertThat(second).isNotSameAs(first);
    assertThat(second.maxOutputTokens()).isEqualTo(512);
    assertThat(call.needs(rewritten)).isSameAs(second);
  }

  /**
   * More slots than the first array holds (six): the array grows and keeps every value; removing
   * one from the middle keeps the others and their order of lookup.
   */
  @Test
  void manySlotsGrowTheArrayAndARemovalInTheMiddleKeepsTheRest() {
    Call call = call();
    List<Class<?>> types = List.of(String.class, Integer.class, Long.class, Double.class,
        Downgrade.class, Boolean.class, Short.class, Byte.class, Character.class);
    for (Class<?> type : types) {
      setAny(call, type);
    }
    call.tag(Long.class, null);
    for (Class<?> type : types) {
      if (type == Long.class) {
        assertThat(call.tag(type)).isNull();
      } else {
        assertThat(call.tag(type)).as("slot %s", type).isEqualTo(valueOf(type));
      }
    }
    call.tag(Long.class, 5L);
    assertThat(call.tag(Long.class)).isEqualTo(5L);
    assertThat(call.tag(Character.class)).isEqualTo('c');
  }

  /**
   * A step reading its slot on another thread while other steps add theirs (in place, or by
   * growing the array) sees it absent or with its whole value, never another slot's value; once
   * set, it never disappears. Seeded, 2,000 runs.
   */
  @Test
  void aReaderOnAnotherThreadSeesASlotAbsentOrWhole() throws Exception {
    Random seeds = new Random(42);
    List<Class<?>> others = List.of(String.class, Integer.class, Long.class, Double.class,
        Boolean.class, Short.class, Byte.class, Character.class);
    for (int run = 0; run < 2_000; run++) {
      Call call = call();
      int before = seeds.nextInt(others.size());
      for (int i = 0; i < before; i++) {
        setAny(call, others.get(i));
      }
      Downgrade mine = new Downgrade("run " + run);
      CyclicBarrier start = new CyclicBarrier(2);
      List<Object> wrong = new ArrayList<>();
      Thread reader = new Thread(() -> {
        try {
          start.await();
          boolean sawMine = false;
          for (int i = 0; i < 20_000; i++) {
            Object seen = call.tag(Downgrade.class);
            if (seen == mine) {
              sawMine = true;
            } else if (seen != null || sawMine) {
              wrong.add(seen == null ? "gone after it was seen" : seen);
              return;
            }
          }
        } catch (Exception e) {
          wrong.add(e);
        }
      });
      reader.start();
      start.await();
      call.tag(Downgrade.class, mine);
      for (int i = before; i < others.size(); i++) {
        setAny(call, others.get(i));
      }
      reader.join();
      assertThat(wrong).as("run %d", run).isEmpty();
      assertThat(call.tag(Downgrade.class)).isSameAs(mine);
    }
  }

  private static void setAny(Call call, Class<?> type) {
    @SuppressWarnings("unchecked")
    Class<Object> raw = (Class<Object>) type;
    call.tag(raw, valueOf(type));
  }

  private static Object valueOf(Class<?> type) {
    if (type == String.class) {
      return "s";
    } else if (type == Integer.class) {
      return 1;
    } else if (type == Long.class) {
      return 1L;
    } else if (type == Double.class) {
      return 1.0;
    } else if (type == Downgrade.class) {
      return new Downgrade("d");
    } else if (type == Short.class) {
      return (short) 2;
    } else if (type == Byte.class) {
      return (byte) 3;
    } else if (type == Character.class) {
      return 'c';
    }
    return Boolean.TRUE;
  }

  /**
   * Steps on different threads (a stream's events arrive elsewhere) set their own slots at once:
   * every value set is there afterwards, whatever the interleaving. Seeded, 2,000 runs.
   */
  @Test
  void concurrentStepsSettingTheirOwnSlotsLoseNoValue() throws Exception {
    Random seeds = new Random(21);
    List<Class<?>> types = List.of(String.class, Integer.class, Long.class, Double.class,
        Downgrade.class, Boolean.class);
    for (int run = 0; run < 2_000; run++) {
      Call call = call();
      int threads = 2 + seeds.nextInt(types.size() - 1);
      CyclicBarrier start = new CyclicBarrier(threads);
      CountDownLatch done = new CountDownLatch(threads);
      List<Thread> started = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Class<?> type = types.get(t);
        Thread thread = new Thread(() -> {
          try {
            start.await();
            set(call, type);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          } finally {
            done.countDown();
          }
        });
        started.add(thread);
        thread.start();
      }
      done.await();
      for (Thread thread : started) {
        thread.join();
      }
      for (int t = 0; t < threads; t++) {
        assertThat(call.tag(types.get(t))).as("run %d, slot %s", run, types.get(t)).isNotNull();
      }
    }
  }

  private static void set(Call call, Class<?> type) {
    if (type == String.class) {
      call.tag(String.class, "s");
    } else if (type == Integer.class) {
      call.tag(Integer.class, 1);
    } else if (type == Long.class) {
      call.tag(Long.class, 1L);
    } else if (type == Double.class) {
      call.tag(Double.class, 1.0);
    } else if (type == Downgrade.class) {
      call.tag(Downgrade.class, new Downgrade("d"));
    } else {
      call.tag(Boolean.class, Boolean.TRUE);
    }
  }
}
