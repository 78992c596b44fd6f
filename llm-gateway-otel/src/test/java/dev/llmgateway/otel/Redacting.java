package dev.llmgateway.otel;

import dev.llmgateway.CallResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.spi.Interceptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for an input/output policy: replaces a personal value with a placeholder in the
 * request going down, and puts the value back into the answer coming up, as a PII policy does.
 */
final class Redacting implements Interceptor {
  private final String secret;
  private final String placeholder;

  Redacting(String secret, String placeholder) {
    this.secret = secret;
    this.placeholder = placeholder;
  }

  @Override
  public CallResult intercept(Chain chain) {
    if (!(chain.request() instanceof ChatRequest chat)) {
      return chain.proceed(chain.request());
    }
    List<Message> redacted = new ArrayList<>();
    for (Message m : chat.messages()) {
      redacted.add(new Message(m.role(),
          List.of(new ContentPart.Text(m.text().replace(secret, placeholder),
              null)), m.toolCalls(), m.toolCallId(), m.name()));
    }
    CallResult answer = chain.proceed(chat.toBuilder().messages(redacted).build());
    if (answer instanceof ChatResponse r) {
      return r.toBuilder().text(r.text().replace(placeholder, secret)).build();
    }
    return answer;
  }
}
