package com.example.boot;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.StreamIterator;
import dev.llmgateway.core.Gateway;
import org.springframework.stereotype.Service;

/** The application's own service: it asks the gateway and knows nothing of providers. */
@Service
public class Assistant {
  private final Gateway gateway;

  public Assistant(Gateway gateway) {
    this.gateway = gateway;
  }

  /** One answer, in one call. */
  public String answer(String question) {
    return gateway.chat(ChatRequest.of("assistant", question)).text();
  }

  /** The same, streamed: the text as it arrives, joined. */
  public String streamAnswer(String question) {
    StringBuilder text = new StringBuilder();
    try (StreamIterator<ChatEvent> events =
        gateway.stream(ChatRequest.of("assistant", question)).iterator()) {
      while (events.hasNext()) {
        ChatEvent event = events.next();
        if (event instanceof ChatEvent.TextDelta delta) {
          text.append(delta.text());
        } else if (event instanceof ChatEvent.Failed failed) {
          throw failed.error();
        }
      }
    }
    return text.toString();
  }
}
