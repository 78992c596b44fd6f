package dev.llmgateway;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event of a streamed chat. A stream is zero or more content and usage events followed by
 * exactly one terminal event, {@link Completed} or {@link Failed}.
 *
 * <p>Content events ({@link TextDelta}, {@link ReasoningDelta}, {@link ToolCallDelta}) mark the
 * stream's <em>commit point</em>: once the first one reached the caller, the gateway no longer
 * retries or fails over invisibly, and a later failure ends the stream with {@link Failed} saying
 * how much was delivered.
 */
public sealed interface ChatEvent {

  /** Whether this event carries content (and so commits the stream). */
  default boolean isContent() {
    return false;
  }

  /** Whether this event ends the stream. */
  default boolean isTerminal() {
    return false;
  }

  /**
   * A piece of the answer's text.
   *
   * @param text the new text
   */
  record TextDelta(String text) implements ChatEvent {
    /** Validates. */
    public TextDelta {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public boolean isContent() {
      return true;
    }
  }

  /**
   * A piece of the model's reasoning: text, or the signature that closes a reasoning block, or a
   * redacted block.
   *
   * @param text new reasoning text, or null
   * @param signature the provider's signature over the block, or null
   * @param redactedData an encrypted, redacted block, or null
   * @param format the wire format whose provider produced it (see {@link
   *     ContentPart.Reasoning#format()}), or null when unknown
   */
  record ReasoningDelta(@Nullable String text, @Nullable String signature,
      @Nullable String redactedData, @Nullable String format) implements ChatEvent {
    /** A piece of reasoning of unknown origin. */
    public ReasoningDelta(@Nullable String text, @Nullable String signature,
        @Nullable String redactedData) {
      this(text, signature, redactedData, null);
    }

    @Override
    public boolean isContent() {
      return true;
    }

    @Override
    public String toString() {
      return "ReasoningDelta[text=" + (text == null ? "null" : text.length() + " chars")
          + ", signed=" + (signature != null) + ", redacted=" + (redactedData != null)
          + ", format=" + format + "]";
    }
  }

  /**
   * A piece of a tool call: the first delta of a call carries its id and name (and the provider's
   * signature on the call, where it signs calls), later ones append to its JSON arguments.
   *
   * @param index the tool call's position in the message
   * @param id the call's id (first delta only), or null
   * @param name the tool's name (first delta only), or null
   * @param argumentsFragment the next fragment of the arguments' JSON text (may be empty)
   * @param signature the provider's signature on the call (see {@link ToolCall#signature()}), or
   *     null
   * @param signatureFormat the wire format that made the signature, or null
   */
  record ToolCallDelta(int index, @Nullable String id, @Nullable String name,
      String argumentsFragment, @Nullable String signature, @Nullable String signatureFormat)
      implements ChatEvent {
    /** Validates. */
    public ToolCallDelta {
      Objects.requireNonNull(argumentsFragment, "argumentsFragment");
      if (index < 0) {
        throw new IllegalArgumentException("tool call index must be >= 0, was " + index);
      }
    }

    /** A piece of a tool call without a signature. */
    public ToolCallDelta(int index, @Nullable String id, @Nullable String name,
        String argumentsFragment) {
      this(index, id, name, argumentsFragment, null, null);
    }

    @Override
    public boolean isContent() {
      return true;
    }
  }

  /**
   * Token counts as the provider reported them so far (the final counts are on the terminal
   * event).
   *
   * @param usage the counts
   */
  record UsageReport(Usage usage) implements ChatEvent {
    /** Validates. */
    public UsageReport {
      Objects.requireNonNull(usage, "usage");
    }
  }

  /**
   * The stream ended with an answer.
   *
   * @param response the whole answer, as a unary call would have returned it, with time to first
   *     token set
   */
  record Completed(ChatResponse response) implements ChatEvent {
    /** Validates. */
    public Completed {
      Objects.requireNonNull(response, "response");
    }

    @Override
    public boolean isTerminal() {
      return true;
    }
  }

  /**
   * The stream ended with a failure. Never a silent truncation: it says whether content had reached
   * the caller and how much.
   *
   * @param error what happened
   * @param deliveredEvents how many content events had reached the caller (0: not committed)
   * @param deliveredTextChars how many characters of answer text had reached the caller
   * @param usage the tokens incurred all the same (estimated where the provider reported none)
   * @param attempts every attempt of the call
   */
  record Failed(GatewayException error, int deliveredEvents, long deliveredTextChars, Usage usage,
      List<Attempt> attempts) implements ChatEvent {
    /** Validates and copies. */
    public Failed {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(usage, "usage");
      attempts = List.copyOf(attempts);
    }

    /** A failure before anything was delivered, as a transport reports it. */
    public static Failed of(GatewayException error) {
      return new Failed(error, 0, 0, Usage.ZERO, List.of());
    }

    /** Whether content had reached the caller before the failure. */
    public boolean committed() {
      return deliveredEvents > 0;
    }

    @Override
    public boolean isTerminal() {
      return true;
    }
  }
}
