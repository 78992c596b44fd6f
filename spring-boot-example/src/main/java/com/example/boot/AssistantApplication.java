package com.example.boot;

import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.Provider;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application with one {@link Gateway} bean: providers are beans, the gateway is
 * built once from them and shared (it is thread-safe), and Spring closes both on shutdown. No web
 * server: add {@code spring-boot-starter-web} and inject {@link Assistant} into a controller.
 */
@SpringBootApplication
public class AssistantApplication {

  public static void main(String[] args) {
    SpringApplication.run(AssistantApplication.class, args);
  }

  /** OpenAI, or anything that speaks its format, where application.properties says. */
  @Bean
  Provider openai(@Value("${llm.openai.base-url}") String baseUrl,
      @Value("${llm.openai.api-key}") String apiKey) {
    return OpenAiPresets.openAi().baseUrl(baseUrl).apiKey(apiKey).build();
  }

  /** The gateway over every {@link Provider} bean. */
  @Bean
  Gateway gateway(List<Provider> providers) {
    GatewayBuilder builder = Gateway.builder();
    providers.forEach(builder::provider);
    return builder
        .alias("assistant", Route.to("openai/gpt-4.1-mini"))
        .build();
  }
}
