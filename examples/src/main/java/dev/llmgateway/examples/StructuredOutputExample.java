package dev.llmgateway.examples;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.StructuredOutputException;
import dev.llmgateway.Usage;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.StructuredOutput;
import dev.llmgateway.providers.openai.OpenAiPresets;
import dev.llmgateway.testing.wire.OpenAiMockServer;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Structured output: describe the answer as a Java record, send its schema with the request, and
 * read the answer back as that record. A model's answer that is not the record is a typed error.
 *
 * <p>Offline: an OpenAI wire mock plays the model (the real OpenAI transport talks to it over a
 * socket), so the request it receives is the one OpenAI would.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.llmgateway.examples.StructuredOutputExample}
 */
public final class StructuredOutputExample {
  private StructuredOutputExample() {}

  // tag::records[]
  /** One line of the invoice. */
  record Item(String product, int quantity, BigDecimal unitPrice) {}

  /** The answer's shape: an Optional may be null in the answer, everything else must be there. */
  record Invoice(String customer, LocalDate date, List<Item> items, Optional<String> note) {}
  // end::records[]

  public static void main(String[] args) {
    try (OpenAiMockServer openAi = OpenAiMockServer.start();
        Gateway gateway = Gateway.builder()
            .provider(OpenAiPresets.openAi().baseUrl(openAi.baseUrl()).apiKey("sk-offline")
                .build())
            .build()) {
      // what the model answers: first the invoice as JSON, then a refusal
      openAi.replyText("{\"customer\":\"ACME Corp\",\"date\":\"2026-05-04\",\"items\":["
          + "{\"product\":\"bolt\",\"quantity\":3,\"unitPrice\":0.25},"
          + "{\"product\":\"hammer\",\"quantity\":1,\"unitPrice\":12.90}],\"note\":null}",
          Usage.of(310, 62));
      openAi.replyText("Sorry, I can't read that scan.", Usage.of(300, 9));

      // tag::request[]
      ChatRequest request = ChatRequest.builder("openai/gpt-4.1-mini")
          .user("Extract the invoice: ACME Corp, 4 May 2026, 3 bolts at 0.25, 1 hammer at 12.90")
          .responseFormat(StructuredOutput.responseFormat(Invoice.class)) // made once per class
          .build();

      ChatResponse response = gateway.chat(request);
      Invoice invoice = StructuredOutput.parse(response, Invoice.class);
      // end::request[]
      System.out.println("parsed:  " + invoice);
      System.out.println("first:   " + invoice.items().get(0).product() + " x "
          + invoice.items().get(0).quantity() + "; the response keeps its story: "
          + response.usage().inputTokens() + " in / " + response.usage().outputTokens()
          + " out tokens");
      System.out.println("schema:  " + request.responseFormat().schema());
      String sent = openAi.takeRequest().body();
      System.out.println("OpenAI received it as response_format json_schema, strict: "
          + (sent.contains("\"type\":\"json_schema\"") && sent.contains("\"strict\":true")));

      try {
        StructuredOutput.parse(gateway.chat(request), Invoice.class);
      } catch (StructuredOutputException e) {
        System.out.println("error:   " + e.problem() + ": " + e.getMessage());
        System.out.println("rawText: " + e.rawText());
      }
    }
  }
}
