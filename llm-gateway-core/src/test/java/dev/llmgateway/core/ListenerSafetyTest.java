package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.GatewayListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** slf4j-simple (test scope) writes to System.err, which these tests capture. */
class ListenerSafetyTest {
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureLog() {
    originalErr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    System.setErr(originalErr);
  }

  static final class ThrowingListener implements GatewayListener {
    @Override
    public void onCallStart(CallContext call) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void onCallEnd(CallContext call, UsageRecord record) {
      throw new IllegalStateException("listener bug at the end");
    }
  }

  @Test
  void aThrowingListenerOrSinkBreaksNeitherUnaryNorStreamingCallsAndIsLoggedOnce() {
    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (Gateway gateway = Gateway.builder()
        .provider(new StubProvider("stub"))
        .listener(new ThrowingListener())
        .usageSink(record -> {
          throw new IllegalStateException("sink bug");
        })
        .usageSink(usage)
        .build()) {
      for (int i = 0; i < 5; i++) {
        assertThat(gateway.chat(ChatRequest.of("m", "hi")).text()).isEqualTo("Hello, world");
        assertThat(gateway.stream(ChatRequest.of("m", "hi")).collect().text())
            .isEqualTo("Hello, world");
      }
    }

    assertThat(usage.size()).isEqualTo(10);
    String text = log.toString(StandardCharsets.UTF_8);
    assertThat(count(text, "listener " + ThrowingListener.class.getName() + " threw"))
        .isEqualTo(1);
    assertThat(count(text, "usage sink ")).isEqualTo(1);
  }

  private static int count(String text, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
