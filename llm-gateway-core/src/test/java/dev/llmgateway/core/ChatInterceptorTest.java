package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Message;
import dev.llmgateway.spi.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An interceptor that only cares about chat cannot break the other call kinds: {@link
 * Interceptor#forChat} sees chat calls, unary and streamed, and lets an embedding pass; {@code
 * chain.chatRequest()} is empty for an embedding rather than a failed cast.
 */
@Timeout(60)
class ChatInterceptorTest {

  @Test
  void aChatInterceptorRewritesChatCallsAndLetsEmbeddingsPass() {
    StubProvider stub = new StubProvider("stub").recordCalls(true);
    stub.replyToAll(r -> "seen " + r.messages().size() + " messages");
    List<String> seen = new CopyOnWriteArrayList<>();
    Interceptor addSystem = Interceptor.forChat((request, chain) -> {
      seen.add(request.model());
      return chain.proceed(request.toBuilder().message(Message.system("be brief")).build());
    });
    try (Gateway gateway = Gateway.builder().provider(stub)
        .interceptor(InterceptorPosition.BEFORE_ROUTING, addSystem).build()) {
      assertThat(gateway.chat(ChatRequest.of("stub/m", "Hi")).text()).isEqualTo("seen 2 messages");
      assertThat(gateway.stream(ChatRequest.of("stub/m", "Hi")).collect().text())
          .isEqualTo("seen 2 messages");
      EmbeddingResponse embedded = gateway.embed(EmbeddingRequest.of("stub/e", "x"));

      assertThat(embedded.size()).isEqualTo(1);
      assertThat(seen).containsExactly("stub/m", "stub/m");
    }
  }

  @Test
  void chatRequestIsEmptyForAnEmbeddingInsteadOfAFailedCast() {
    StubProvider stub = new StubProvider("stub");
    stub.replyToAll(r -> "ok");
    List<String> kinds = new CopyOnWriteArrayList<>();
    Interceptor looking = chain -> {
      kinds.add(chain.chatRequest().map(ChatRequest::model).orElse("not a chat"));
      GatewayRequest request = chain.request();
      return chain.proceed(request);
    };
    try (Gateway gateway = Gateway.builder().provider(stub)
        .interceptor(InterceptorPosition.BEFORE_ROUTING, looking).build()) {
      gateway.chat(ChatRequest.of("stub/m", "Hi"));
      gateway.embed(EmbeddingRequest.of("stub/e", "x"));
    }
    assertThat(kinds).containsExactly("stub/m", "not a chat");
  }
}
