package com.example;

// tag::providers[]
import dev.llmgateway.Caller;
import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InterceptorPosition;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.spi.Authenticator;
import dev.llmgateway.spi.Interceptor;
import dev.llmgateway.spi.Provider;
import java.time.Duration;
import java.util.List;
// end::providers[]

/**
 * The README's short tour, step by step: each of its Java blocks is a tagged region of this file
 * (the README test checks that they are equal, and this project's build that they compile). {@code
 * TourTest} runs it against wire-level mocks of the providers' APIs.
 */
public final class Tour {
  private Tour() {}

  /** Pick providers: each built with its key from the environment. */
  public static List<Provider> providers() {
    // tag::providers[]
    // keys from ANTHROPIC_API_KEY, GOOGLE_API_KEY or GEMINI_API_KEY, OPENAI_API_KEY,
    // AZURE_OPENAI_API_KEY (or .apiKey(...)); build() names the variable when it is unset
    Provider anthropic = AnthropicProvider.builder().build();
    Provider gemini = GeminiProvider.builder().build();
    Provider openai = OpenAiPresets.openAi().build();
    Provider azure  = OpenAiPresets.azure("https://my-resource.openai.azure.com",
        OpenAiPresets.AZURE_API_VERSION).build();                       // or .azureV1(endpoint)
    Provider local  = OpenAiPresets.ollama().build();                   // vllm(url), groq(), mistral(),
                                                                        // openRouter(), deepSeek(), together()
    // end::providers[]
    return List.of(anthropic, gemini, openai, azure, local);
  }

  /** Build a gateway: once, and share it. */
  public static Gateway gateway(Provider anthropic, Provider openai, Authenticator myApiKeys,
      List<UsageRecord> billing) {
    // tag::gateway[]
    Gateway gateway = Gateway.builder()
        .provider(anthropic)                       // any dev.llmgateway.spi.Provider
        .provider(openai)
        .alias("smart", Route.fallback("anthropic/claude-sonnet-4-5", "openai/gpt-4.1"))
        .authenticator(myApiKeys)                  // checks Caller.apiKey(...) / Caller.bearerToken(...)
        .usageSink(record -> billing.add(record))  // one UsageRecord per call
        .attemptTimeout(Duration.ofSeconds(30))
        .build();
    // end::gateway[]
    return gateway;
  }

  /** Make a call. */
  public static ChatResponse call(Gateway gateway, Caller caller) {
    // tag::call[]
    ChatResponse answer = gateway.chat(ChatRequest.of("smart", "Summarise this ticket: ..."), caller);
    answer.text();          // the answer
    answer.deployment();    // anthropic/claude-sonnet-4-5
    answer.attempts();      // each attempt: deployment, outcome, status, latency, why it moved on
    answer.usage();         // tokens with one meaning for every provider (see Usage's javadoc)
    // end::call[]
    return answer;
  }

  /** Stream: prints the answer as it arrives. */
  public static void stream(Gateway gateway, ChatRequest request, Caller caller) {
    // tag::stream[]
    try (StreamIterator<ChatEvent> events = gateway.stream(request, caller).iterator()) {
      while (events.hasNext()) {
        ChatEvent event = events.next();
        if (event instanceof ChatEvent.TextDelta d) {
          System.out.print(d.text());
        } else if (event instanceof ChatEvent.Completed c) {
          System.out.println("\n" + c.response().usage());
        } else if (event instanceof ChatEvent.Failed f) {
          System.err.println(f.error().getMessage());
        }
      }
    }
    // end::stream[]
  }

  /** Add your own interceptors: this one sends chats with a code block to the alias {@code code}. */
  public static Gateway withCodeRouting(Provider openai) {
    return Gateway.builder()
        .provider(openai)
        .alias("code", Route.to("openai/gpt-4.1"))
        // tag::interceptor[]
        .interceptor(InterceptorPosition.BEFORE_ROUTING, Interceptor.forChat((request, chain) ->
            chain.proceed(request.lastUserText().contains("```") ? request.withModel("code")
                : request)))                         // embeddings pass untouched
        // end::interceptor[]
        .build();
  }
}
