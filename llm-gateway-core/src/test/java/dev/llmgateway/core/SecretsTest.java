package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Caller;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.RequestOptions;
import dev.llmgateway.spi.AttemptContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sentinel secret put into every type of api and core that can hold a key or token never shows
 * in {@code toString()}, an exception message or the log. (The transports' configuration types are
 * swept by the same kind of test in their module.)
 */
class SecretsTest {
  private static final String SECRET = "sk-SENTINEL-7f3a9c1e";

  @Test
  void noPublicTypeThatCanHoldASecretPrintsIt() {
    InMemoryUsageSink usage = new InMemoryUsageSink();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    List<Object> printed = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    try (Gateway gateway = Gateway.builder()
        .provider(new StubProvider("stub"))
        .defaultCaller(Caller.apiKey(SECRET))
        .authenticator(credential -> {
          throw new AuthenticationException("unknown key");
        })
        .usageSink(usage)
        .listener(new dev.llmgateway.spi.GatewayListener() {
          @Override
          public void onCallStart(dev.llmgateway.spi.CallContext call) {
            printed.add(call);
            printed.add(call.caller());
            throw new IllegalStateException("listener bug, logged with its stack trace");
          }
        })
        .build()) {
      ChatRequest request = ChatRequest.builder("m").user("hi")
          .extraHeader("Authorization", "Bearer " + SECRET)
          .extraHeader("api-key", SECRET)
          .providerExtra("openai", "{\"api_key\":\"" + SECRET + "\"}")
          .options(RequestOptions.DEFAULT)
          .build();
      printed.add(request);
      printed.add(request.toBuilder());
      printed.add(new EmbeddingRequest("m", List.of("x"), null, RequestOptions.DEFAULT, Map.of(),
          Map.of("Authorization", SECRET)));
      printed.add(Caller.apiKey(SECRET));
      printed.add(Caller.bearerToken(SECRET));
      printed.add(AttemptContext.standalone(new Deployment("p", "m"))
          .header("Authorization", SECRET));
      printed.add(gateway);

      Throwable unary = catchThrowable(() -> gateway.chat(request));
      Throwable withKey = catchThrowable(() -> gateway.chat(request, Caller.apiKey(SECRET)));
      Throwable withToken =
          catchThrowable(() -> gateway.chat(request, Caller.bearerToken(SECRET)));
      ChatEvent streamed = ChainTest.events(gateway.stream(request)).get(0);
      printed.add(streamed);
      for (Throwable t : List.of(unary, withKey, withToken,
          ((ChatEvent.Failed) streamed).error())) {
        assertThat(t).isInstanceOf(AuthenticationException.class);
        messages.add(t.getMessage());
        messages.add(t.toString());
      }
      printed.addAll(usage.records());
    } finally {
      System.setErr(originalErr);
    }

    assertThat(printed).hasSizeGreaterThan(10);
    for (Object o : printed) {
      assertThat(o.toString()).as(o.getClass().getName()).doesNotContain(SECRET);
    }
    assertThat(messages).allSatisfy(m -> assertThat(m).doesNotContain(SECRET));
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("listener bug")
        .doesNotContain(SECRET);
  }
}
