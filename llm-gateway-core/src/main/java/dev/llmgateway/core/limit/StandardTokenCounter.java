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
import org.jspecify.annotations.Nullable;

/**
 * {@link TokenCounter#standard()}: jtokkit's {@code o200k_base} and {@code cl100k_base} for
 * OpenAI-family models, {@link TokenEstimator} times a safety factor for the rest. jtokkit's
 * encodings are immutable and thread-safe (each count makes its own matcher); each is loaded once,
 * on first use, by its holder class.
 */
final class StandardTokenCounter implements TokenCounter {
  /**
   * Characters counted exactly per request; the rest is extrapolated. jtokkit 1.1 counts English
   * at about 0.3 µs a character in {@code o200k_base} (a regex pre-tokenizer) and hostile text far
   * slower (random CJK about 5 µs a character, a run of one letter superlinearly), so this bounds a
   * request's counting to about 10 ms at worst.
   */
  static final int EXACT_CHARS = 2_048;
  /** The fewest tokens per character the extrapolation assumes: {@link TokenEstimator}'s. */
  private static final double MIN_DENSITY = 0.25;
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
    static final int[] ROLE_TOKENS = roleTokens(ENCODING);
  }

  private static final class Cl100k {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    static final int[] ROLE_TOKENS = roleTokens(ENCODING);
  }

  private static int[] roleTokens(Encoding encoding) {
    int[] tokens = new int[ROLES.length];
    for (int i = 0; i < ROLES.length; i++) {
      tokens[i] = encoding.countTokensOrdinary(ROLES[i]);
    }
    return tokens;
  }

  /** The encoding OpenAI uses for {@code model}, or null when it is not known to be one. */
  static @Nullable EncodingType encodingOf(String model) {
    // case-blind prefix checks on the name as it is: no lower-cased copy per call
    int from = model.regionMatches(true, 0, "ft:", 0, 3) ? 3 : 0;
    for (String family : O200K) {
      if (startsWith(model, from, family)) {
        return EncodingType.O200K_BASE;
      }
    }
    for (String family : O_SERIES) {
      if (startsWith(model, from, family) && (model.length() == from + family.length()
          || model.charAt(from + family.length()) == '-')) {
        return EncodingType.O200K_BASE;
      }
    }
    for (String family : CL100K) {
      if (startsWith(model, from, family)) {
        return EncodingType.CL100K_BASE;
      }
    }
    return null;
  }

  /** Whether {@code model} holds {@code family} at {@code from}, ignoring case. */
  private static boolean startsWith(String model, int from, String family) {
    return model.regionMatches(true, from, family, 0, family.length());
  }

  @Override
  public long inputTokens(GatewayRequest request, String model) {
    EncodingType type = encodingOf(model);
    if (type == null) {
      return estimated(TokenEstimator.input(request));
    }
    boolean o200k = type == EncodingType.O200K_BASE;
    Count count = new Count(o200k ? O200k.ENCODING : Cl100k.ENCODING);
    int[] roleTokens = o200k ? O200k.ROLE_TOKENS : Cl100k.ROLE_TOKENS;
    if (request instanceof EmbeddingRequest embedding) {
      for (String input : embedding.inputs()) {
        count.text(input);
      }
      return count.total();
    }
    ChatRequest chat = (ChatRequest) request;
    for (Message m : chat.messages()) {
      count.tokens += TOKENS_PER_MESSAGE + roleTokens[m.role().ordinal()];
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
    return count.total() + REPLY_PRIMING;
  }

  /** {@code tokens} times the safety factor, rounded up. */
  private long estimated(long tokens) {
    return (long) Math.ceil(tokens * safetyFactor);
  }

  /**
   * One request's count: its text counted exactly while its budget of characters lasts (the part
   * of a text that fits, cut between two characters), the rest extrapolated at the density of what
   * was counted (at least one token per four characters) times the safety factor.
   */
  private final class Count {
    private final Encoding encoding;
    private int budget = exactChars;
    private long countedChars;
    private long countedTokens;
    private long restChars;
    /** Framing, images and the text counted exactly. */
    long tokens;

    Count(Encoding encoding) {
      this.encoding = encoding;
    }

    void text(String text) {
      int length = text.length();
      if (length <= budget) {
        exact(text);
        return;
      }
      int head = budget;
      if (head > 0 && Character.isHighSurrogate(text.charAt(head - 1))) {
        head--;
      }
      if (head > 0) {
        exact(text.substring(0, head));
      }
      budget = 0;
      restChars += length - head;
    }

    private void exact(String text) {
      int n = encoding.countTokensOrdinary(text);
      budget -= text.length();
      countedChars += text.length();
      countedTokens += n;
      tokens += n;
    }

    long total() {
      if (restChars == 0) {
        return tokens;
      }
      double density = countedChars == 0 ? MIN_DENSITY
          : Math.max(MIN_DENSITY, countedTokens / (double) countedChars);
      return tokens + (long) Math.ceil(restChars * density * safetyFactor);
    }
  }

  @Override
  public String toString() {
    return "TokenCounter.standard(" + safetyFactor + ")";
  }
}
