package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallKind;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Deployment;
import dev.llmgateway.Principal;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChainTest {
  private final StubProvider stub = new StubProvider("stub");
  private final InMemoryUsageSink usage = new InMemoryUsageSink();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private Gateway gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
  }

  /** Each position records what it saw and rewrites the request for the next. */
  private Gateway rewritingGateway() {
    return Gateway.builder()
        .provider(stub)
        .alias("smart", Route.to("stub/model-b"))
        .usageSink(usage)
        .interceptor(InterceptorPosition.FIRST, chain -> {
          seen.add("first:" + chain.request().model() + ":" + chain.call().kind()
              + ":principal=" + (chain.call().principal() != null));
          ChatRequest r = (ChatRequest) chain.request();
          return chain.proceed(r.toBuilder().metadata("first", "yes").build());
        })
        .interceptor(InterceptorPosition.BEFORE_ROUTING, chain -> {
          ChatRequest r = (ChatRequest) chain.request();
          seen.add("before-routing:" + r.model() + ":" + r.metadata().get("first"));
          return chain.proceed(r.withModel("smart"));
        })
        .interceptor(InterceptorPosition.AROUND_ATTEMPT, chain -> {
          AttemptContext attempt = chain.attempt();
          seen.add("attempt:" + chain.request().model() + ":" + attempt.deployment() + "#"
              + attempt.number());
          attempt.header("x-trace", "abc");
          return chain.proceed(chain.request());
        })
        .build();
  }

  @Test
  void interceptorsSeeTheRequestInOrderAndRewriteIt() {
    gateway = rewritingGateway();
    ChatResponse response = gateway.chat(ChatRequest.of("cheap", "hi"));

    assertThat(seen).containsExactly(
        "first:cheap:CHAT:principal=true",
        "before-routing:cheap:yes",
        "attempt:model-b:stub/model-b#1");
    assertThat(stub.requests.get(0).model()).isEqualTo("model-b");
    assertThat(stub.requests.get(0).metadata()).containsEntry("first", "yes");
    assertThat(stub.headers.get(0)).containsEntry("x-trace", "abc");
    assertThat(response.deployment()).isEqualTo(new Deployment("stub", "model-b"));
    assertThat(usage.last().requestedModel()).isEqualTo("cheap");
  }

  @Test
  void theSameInterceptorsSeeAStreamingCall() {
    gateway = rewritingGateway();
    ChatResponse response = gateway.stream(ChatRequest.of("cheap", "hi")).collect();

    assertThat(seen).containsExactly(
        "first:cheap:STREAM:principal=true",
        "before-routing:cheap:yes",
        "attempt:model-b:stub/model-b#1");
    assertThat(stub.headers.get(0)).containsEntry("x-trace", "abc");
    assertThat(response.text()).isEqualTo("Hello, world");
    assertThat(response.deployment()).isEqualTo(new Deployment("stub", "model-b"));
  }

  @ParameterizedTest
  @EnumSource(InterceptorPosition.class)
  void anyPositionCanShortCircuitUnaryAndStreamingCalls(InterceptorPosition position) {
    Interceptor answer = chain -> ChatResponse.builder().text("from " + position).build();
    gateway = Gateway.builder().provider(stub).usageSink(usage)
        .interceptor(position, answer).build();

    ChatResponse unary = gateway.chat(ChatRequest.of("m", "hi"));
    List<ChatEvent> events = events(gateway.stream(ChatRequest.of("m", "hi")));

    assertThat(unary.text()).isEqualTo("from " + position);
    assertThat(events).first().isEqualTo(new ChatEvent.TextDelta("from " + position));
    assertThat(events).last().isInstanceOf(ChatEvent.Completed.class);
    assertThat(stub.requests).isEmpty();
    assertThat(usage.records()).hasSize(2)
        .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(UsageRecord.Outcome.SUCCEEDED));
    assertThat(usage.records()).extracting(UsageRecord::kind)
        .containsExactly(CallKind.CHAT, CallKind.STREAM);
  }

  @Test
  void aPrincipalPassedByTheHostIsTrustedAsIs() {
    Principal alice = Principal.of("team-a", "alice");
    gateway = Gateway.builder().provider(stub).usageSink(usage).build();
    gateway.chat(ChatRequest.of("m", "hi"), alice);
    assertThat(usage.last().principal()).isEqualTo(alice);
  }

  static List<ChatEvent> events(ChatStream stream) {
    List<ChatEvent> events = new java.util.ArrayList<>();
    try (var it = stream.iterator()) {
      it.forEachRemaining(events::add);
    }
    return events;
  }
}
