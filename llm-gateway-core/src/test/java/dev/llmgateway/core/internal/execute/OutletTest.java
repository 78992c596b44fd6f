package dev.llmgateway.core.internal.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ProviderUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The outlet's lock-free signalling, one thread: hand-offs and nested signals keep their order. */
@Timeout(10)
class OutletTest {
  private static final ChatEvent FIRST = new ChatEvent.TextDelta("first");
  private static final ChatEvent NESTED = new ChatEvent.TextDelta("nested");
  private static final ChatEvent.Failed END =
      ChatEvent.Failed.of(new ProviderUnavailableException("gone"));

  @Test
  void aTerminalEventDeliveredFromInsideOnNextGoesOutRightAfterIt() {
    Outlet outlet = new Outlet();
    Recorder recorder = new Recorder(event -> {
      if (event == FIRST && outlet.end(END)) {
        outlet.deliverTerminal(END); // e.g. the subscriber's request found the call ended
      }
    });
    outlet.subscriber(recorder);
    outlet.request(5);

    outlet.emit(FIRST);

    assertThat(recorder.signals).containsExactly("event first", "event " + END, "complete");
  }

  @Test
  void anEventSignalledFromInsideOnNextOnTheSameThreadIsDeliveredNested() {
    Outlet outlet = new Outlet();
    Recorder recorder = new Recorder(event -> {
      if (event == FIRST) {
        outlet.emit(NESTED); // an upstream answering a request made from onNext at once
      }
    });
    outlet.subscriber(recorder);
    outlet.request(5);

    outlet.emit(FIRST);
    outlet.emit(new ChatEvent.TextDelta("after"));

    assertThat(recorder.signals).containsExactly("event first", "event nested", "event after");
  }

  @Test
  void noEventFollowsTheTerminalEvent() {
    Outlet outlet = new Outlet();
    Recorder recorder = new Recorder(event -> { });
    outlet.subscriber(recorder);
    outlet.request(5);
    assertThat(outlet.end(END)).isTrue();
    outlet.deliverTerminal(END);

    outlet.emit(FIRST);
    outlet.deliverTerminal(END);

    assertThat(recorder.signals).containsExactly("event " + END, "complete");
  }

  private static final class Recorder implements Flow.Subscriber<ChatEvent> {
    final List<String> signals = new ArrayList<>();
    private final Consumer<ChatEvent> onEvent;

    Recorder(Consumer<ChatEvent> onEvent) {
      this.onEvent = onEvent;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {}

    @Override
    public void onNext(ChatEvent event) {
      signals.add("event " + (event instanceof ChatEvent.TextDelta t ? t.text() : event));
      onEvent.accept(event);
    }

    @Override
    public void onError(Throwable t) {
      signals.add("error " + t);
    }

    @Override
    public void onComplete() {
      signals.add("complete");
    }
  }
}
