package dev.llmgateway.core.limit;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Message;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.spi.TokenEstimator;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@link TokenCounter#standard()}: jtokkit's {@code o200k_base} and {@code cl100k_base} for
 * OpenAI-family models, {@link TokenEstimator} times a safety factor for the rest. jtokkit's
 * encodings are immutable and thread-safe (each count makes its own matcher); each is loaded once,
 * on first use, by its holder class.
 */
final class StandardTokenCounter implements TokenCounter {
  /** Characters counted exactly per request; the rest is estimated. */
  static final int EXACT_CHARS = 65_536;
  static final StandardTokenCounter DEFAULT =
      new StandardTokenCounter(DEFAULT_SAFETY_FACTOR, EXACT_CHARS);
  private static final int TOKENS_PER_MESSAGE = 3;
  private static final int TOKENS_PER_NAME = 1;
  private static final int REPLY_PRIMING = 3;
  private static final int TOKENS_PER_TOOL = 8;
  private static final int TOKENS_PER_IMAGE = 765;
  private static final String[] O200K = {"gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5",
      "gpt-oss"};
  private static final String[] O_SERIES = {"o1", "o3", "o4"};
  private static final String[] ROLES = {"system", "user", "assistant", "tool"};
  private static final String[] CL100K = {"gpt-4", "gpt-3.5-turbo", "gpt-35-turbo",
      "text-embedding-ada-002", "text-embedding-3"};

  private final double safetyFactor;
  private final int exactChars;

  StandardTokenCounter(double safetyFactor, int exactChars) {
    if (!(safetyFactor >= 1 && safetyFactor <= 10)) {
      throw new IllegalArgumentException("a safety factor must be from 1 to 10, was "
          + safetyFactor);
    }
    this.safetyFactor = safetyFactor;
    this.exactChars = exactChars;
  }

  private static final class O200k {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  private static final class Cl100k {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  /** The encoding OpenAI uses for {@code model}, or null when it is not known to be one. */
  static @Nullable EncodingType encodingOf(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    if (m.startsWith("ft:")) {
      m = m.substring(3);
    }
    for (String family : O200K) {
      if (m.startsWith(family)) {
        return EncodingType.O200K_BASE;
      }
    }
    for (String family : O_SERIES) {
      if (m.equals(family) || m.startsWith(family + "-")) {
        return EncodingType.O200K_BASE;
      }
    }
    for (String family : CL100K) {
      if (m.startsWith(family)) {
        return EncodingType.CL100K_BASE;
      }
    }
    return null;
  }

  private static Encoding encoding(EncodingType type) {
    return type == EncodingType.O200K_BASE ? O200k.ENCODING : Cl100k.ENCODING;
  }

  @Override
  public long inputTokens(GatewayRequest request, String model) {
    EncodingType type = encodingOf(model);
    if (type == null) {
      return estimated(TokenEstimator.input(request));
    }
    Count count = new Count(encoding(type));
    if (request instanceof EmbeddingRequest embedding) {
      for (String input : embedding.inputs()) {
        count.text(input);
      }
      return count.tokens;
    }
    ChatRequest chat = (ChatRequest) request;
    for (Message m : chat.messages()) {
      count.tokens += TOKENS_PER_MESSAGE;
      count.text(ROLES[m.role().ordinal()]);
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.Text t) {
          count.text(t.text());
        } else if (part instanceof ContentPart.Reasoning r && r.text() != null) {
          count.text(r.text());
        } else if (part instanceof ContentPart.Image) {
          count.tokens += TOKENS_PER_IMAGE;
        }
      }
      for (ToolCall call : m.toolCalls()) {
        count.text(call.name());
        count.text(call.arguments());
      }
      if (m.name() != null) {
        count.text(m.name());
        count.tokens += TOKENS_PER_NAME;
      }
    }
    for (ToolDefinition tool : chat.tools()) {
      count.tokens += TOKENS_PER_TOOL;
      count.text(tool.name());
      if (tool.description() != null) {
        count.text(tool.description());
      }
      count.text(tool.parametersSchema());
    }
    return count.tokens + REPLY_PRIMING;
  }

  /** {@code tokens} times the safety factor, rounded up. */
  private long estimated(long tokens) {
    return (long) Math.ceil(tokens * safetyFactor);
  }

  /** One request's count: exact while its budget of characters lasts, estimated beyond. */
  private final class Count {
    private final Encoding encoding;
    private int budget = exactChars;
    long tokens;

    Count(Encoding encoding) {
      this.encoding = encoding;
    }

    void text(String text) {
      int length = text.length();
      if (length <= budget) {
        budget -= length;
        tokens += encoding.countTokensOrdinary(text);
      } else {
        budget = 0; // the rest of the request is estimated: no part after this one is counted
        tokens += estimated(TokenEstimator.tokens(length));
      }
    }
  }

  @Override
  public String toString() {
    return "TokenCounter.standard(" + safetyFactor + ")";
  }
}
