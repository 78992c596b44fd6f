package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.spi.Interceptor;
import dev.llmgateway.testing.FakeProvider;

/**
 * Your own interceptors at the three named positions: one that answers small talk itself
 * (short-circuit, before everything), one that rewrites the model before routing, one that adds a
 * header to every attempt. Streaming calls go through the same interceptors.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.InterceptorsExample}
 */
public final class InterceptorsExample {
  private InterceptorsExample() {}

  public static void main(String[] args) {
    FakeProvider fake = FakeProvider.create();
    fake.onAnyModel().alwaysReply(r -> "answer from " + r.model());

    try (Gateway gateway = Gateway.builder()
        .provider(fake)
        // forChat: these see chat calls (unary and streamed) only; an embedding passes untouched
        .interceptor(InterceptorPosition.FIRST, Interceptor.forChat((request, chain) -> {
          if (request.lastUserText().equalsIgnoreCase("hello")) {
            return ChatResponse.builder().text("Hi! (answered by an interceptor)").build();
          }
          return chain.proceed(request);
        }))
        .interceptor(InterceptorPosition.BEFORE_ROUTING, Interceptor.forChat((request, chain) -> {
          boolean hasCode = request.lastUserText().contains("```");
          return chain.proceed(request.withModel(hasCode ? "code-model" : "chat-model"));
        }))
        .interceptor(InterceptorPosition.AROUND_ATTEMPT, chain -> {
          chain.attempt().header("x-tenant", "acme");
          return chain.proceed(chain.request());
        })
        .build()) {
      print(gateway.chat(ChatRequest.of("any", "hello")));
      print(gateway.chat(ChatRequest.of("any", "fix this: ```int x = ;```")));
      print(gateway.stream(ChatRequest.of("any", "what is a gateway?")).collect());
      System.out.println("headers the provider saw: " + fake.lastCall().headers());
    } finally {
      fake.close();
    }
  }

  private static void print(ChatResponse response) {
    System.out.println(response.text() + "  <- " + (response.deployment() == null
        ? "no provider call" : response.deployment().toString()));
  }
}
