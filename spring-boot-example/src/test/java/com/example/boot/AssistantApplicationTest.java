package com.example.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.AuthenticationException;
import dev.llmgateway.Usage;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockRequest;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Boot application's context with its gateway bean, calling OpenAI's wire format over a real
 * socket: OkHttp, okio, Kotlin's standard library and Jackson at the versions Spring Boot's
 * dependency management chose.
 */
@SpringBootTest
class AssistantApplicationTest {
  static final OpenAiMockServer OPENAI = OpenAiMockServer.start();

  @DynamicPropertySource
  static void pointAtTheMock(DynamicPropertyRegistry registry) {
    registry.add("llm.openai.base-url", OPENAI::baseUrl);
    registry.add("llm.openai.api-key", () -> "sk-test");
  }

  @AfterAll
  static void stopTheMock() {
    OPENAI.close();
  }

  @Autowired Assistant assistant;

  @Test
  void answersOverTheWireInsideABootApplication() {
    OPENAI.replyText("Restart the spooler.", Usage.of(12, 4));

    assertThat(assistant.answer("The printer is stuck.")).isEqualTo("Restart the spooler.");

    MockRequest sent = OPENAI.takeRequest();
    assertThat(sent.target()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("authorization")).isEqualTo("Bearer sk-test");
    assertThat(sent.body()).contains("\"model\":\"gpt-4.1-mini\"", "The printer is stuck.");
  }

  @Test
  void streamsOverTheWireInsideABootApplication() {
    OPENAI.streamText(List.of("Restart ", "the ", "spooler."), Usage.of(12, 4));

    assertThat(assistant.streamAnswer("The printer is stuck.")).isEqualTo("Restart the spooler.");
  }

  @Test
  void aProviderErrorIsTypedInsideABootApplication() {
    OPENAI.error(MockError.AUTHENTICATION);

    assertThatThrownBy(() -> assistant.answer("The printer is stuck."))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("status=401");
  }
}
