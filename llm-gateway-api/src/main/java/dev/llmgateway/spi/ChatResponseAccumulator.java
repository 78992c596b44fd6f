package dev.llmgateway.spi;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseTooLargeException;
import dev.llmgateway.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Assembles the assistant message of a stream from its content events, keeping its parts in the
 * order they arrived: adjacent text deltas are joined into one text part, adjacent reasoning
 * deltas into one reasoning part (a signature or redacted data closes a part), and text after
 * reasoning starts a new part, so a signature stays where the provider put it. Each reasoning part
 * keeps the wire format its deltas named. Tool-call fragments are joined per index, each call with
 * the signature its deltas carried. Transports and test doubles use it to build the {@link
 * ChatEvent.Completed} response. Not thread-safe.
 *
 * <p>Bounded, whatever a provider sends: the calls are kept by index, so an index must stay below
 * {@link #maxToolCalls()} (a stream claiming index 150,000,000 would otherwise make it allocate
 * 150 million empty calls), and the content it keeps — text, reasoning, signatures, redacted
 * blocks, tool call ids, names, arguments and signatures, in characters, each content event
 * counting one more (so that parts and empty deltas are bounded too) — must stay within {@link
 * #maxContentChars()}. An event past either limit is refused with a {@link
 * ResponseTooLargeException} before anything is allocated for it, and the accumulator keeps what
 * it had. The defaults match the built-in transports' {@code ReadLimits}.
 */
public final class ChatResponseAccumulator {
  /**
   * The default {@link #maxToolCalls()}: 128, as many tools as OpenAI accepts in one request (the
   * built-in transports' default {@code maxToolCalls} too).
   */
  public static final int DEFAULT_MAX_TOOL_CALLS = 128;
  /**
   * The default {@link #maxContentChars()}: 32 Mi characters, far above any sane answer (128k
   * output tokens are about half a million characters).
   */
  public static final long DEFAULT_MAX_CONTENT_CHARS = 32L * 1024 * 1024;

  private final int maxToolCalls;
  private final long maxContentChars;
  private long contentChars;
  private final List<ContentPart> parts = new ArrayList<>(2);
  private @Nullable StringBuilder text; // the open text part, after every part in parts
  private @Nullable StringBuilder reasoning; // the open unsigned reasoning part, likewise
  private @Nullable String reasoningFormat;
  private final List<ToolCallBuilder> toolCalls = new ArrayList<>(1);
  private int contentEvents;

  /** An accumulator with the default limits. */
  public ChatResponseAccumulator() {
    this(DEFAULT_MAX_TOOL_CALLS, DEFAULT_MAX_CONTENT_CHARS);
  }

  /**
   * An accumulator with these limits.
   *
   * @param maxToolCalls the most tool calls an answer may have; every tool call's index must be
   *     below it
   * @param maxContentChars the most characters of content the answer may keep (each content event
   *     counting one more)
   * @throws IllegalArgumentException when a limit is not positive
   */
  public ChatResponseAccumulator(int maxToolCalls, long maxContentChars) {
    if (maxToolCalls <= 0) {
      throw new IllegalArgumentException("maxToolCalls must be > 0, was " + maxToolCalls);
    }
    if (maxContentChars <= 0) {
      throw new IllegalArgumentException("maxContentChars must be > 0, was " + maxContentChars);
    }
    this.maxToolCalls = maxToolCalls;
    this.maxContentChars = maxContentChars;
  }

  /** The most tool calls an answer may have; every tool call's index must be below it. */
  public int maxToolCalls() {
    return maxToolCalls;
  }

  /** The most characters of content an answer may keep, each content event counting one more. */
  public long maxContentChars() {
    return maxContentChars;
  }

  /**
   * Takes one event; events other than content events are ignored.
   *
   * @throws ResponseTooLargeException when a tool call's index is at or past {@link
   *     #maxToolCalls()} ({@link ResponseTooLargeException.Kind#TOOL_CALLS}), or the content kept
   *     would pass {@link #maxContentChars()} ({@link ResponseTooLargeException.Kind#BODY}); the
   *     event is then not taken
   */
  public void accept(ChatEvent event) {
    if (event.isContent()) {
      keep(event);
    }
    if (event instanceof ChatEvent.TextDelta d) {
      contentEvents++;
      if (d.text().isEmpty()) {
        return;
      }
      closeReasoning(null, null);
      if (text == null) {
        text = new StringBuilder();
      }
      text.append(d.text());
    } else if (event instanceof ChatEvent.ReasoningDelta d) {
      contentEvents++;
      reasoning(d);
    } else if (event instanceof ChatEvent.ToolCallDelta d) {
      contentEvents++;
      while (toolCalls.size() <= d.index()) {
        toolCalls.add(new ToolCallBuilder());
      }
      ToolCallBuilder b = toolCalls.get(d.index());
      if (d.id() != null) {
        b.id = d.id();
      }
      if (d.name() != null) {
        b.name = d.name();
      }
      if (d.signature() != null) {
        b.signature = d.signature();
        b.signatureFormat = d.signatureFormat();
      }
      b.arguments.append(d.argumentsFragment());
    }
  }

  /** Refuses an event past a limit before anything is kept of it; counts what it keeps. */
  private void keep(ChatEvent event) {
    long chars = 1; // the event itself: a part it opens or closes, a call it names
    if (event instanceof ChatEvent.TextDelta d) {
      chars += d.text().length();
    } else if (event instanceof ChatEvent.ReasoningDelta d) {
      chars += length(d.text()) + length(d.signature()) + length(d.redactedData());
    } else if (event instanceof ChatEvent.ToolCallDelta d) {
      if (d.index() >= maxToolCalls) {
        throw new ResponseTooLargeException("a streamed tool call has index " + d.index()
            + ", at or past this answer's limit of " + maxToolCalls + " tool calls"
            + " (ChatResponseAccumulator's maxToolCalls): the provider's stream is malformed, or"
            + " its answers carry more tool calls than expected; if they really do, build the"
            + " accumulator with a larger maxToolCalls (the built-in transports: raise"
            + " maxToolCalls on the provider's builder)", ResponseTooLargeException.Kind.TOOL_CALLS,
            maxToolCalls, ErrorDetails.NONE, null);
      }
      chars += d.argumentsFragment().length() + length(d.id()) + length(d.name())
          + length(d.signature());
    }
    if (chars > maxContentChars - contentChars) {
      throw new ResponseTooLargeException("the streamed answer's content would pass "
          + maxContentChars + " characters (ChatResponseAccumulator's maxContentChars, each"
          + " content event counting one more): the provider sent more than any sane answer; if"
          + " answers this large are expected, build the accumulator with a larger"
          + " maxContentChars (the built-in transports: raise maxResponseBytes on the provider's"
          + " builder)", ResponseTooLargeException.Kind.BODY, maxContentChars, ErrorDetails.NONE,
          null);
    }
    contentChars += chars;
  }

  private static int length(@Nullable String s) {
    return s == null ? 0 : s.length();
  }

  private void reasoning(ChatEvent.ReasoningDelta d) {
    closeText();
    if (d.redactedData() != null) {
      closeReasoning(null, null);
      parts.add(new ContentPart.Reasoning(null, null, d.redactedData(), d.format()));
      return;
    }
    if (d.text() != null) {
      if (reasoning != null && !Objects.equals(reasoningFormat, d.format())) {
        closeReasoning(null, null);
      }
      if (reasoning == null) {
        reasoning = new StringBuilder();
        reasoningFormat = d.format();
      }
      reasoning.append(d.text());
    }
    if (d.signature() != null) {
      closeReasoning(d.signature(), d.format());
    }
  }

  private void closeText() {
    if (text != null) {
      parts.add(ContentPart.text(text.toString()));
      text = null;
    }
  }

  /** Closes the open reasoning part with a signature (or none); a lone signature is a part too. */
  private void closeReasoning(@Nullable String signature, @Nullable String format) {
    if (reasoning != null || signature != null) {
      String f = format != null ? format : reasoningFormat;
      parts.add(new ContentPart.Reasoning(reasoning == null ? null : reasoning.toString(),
          signature, null, f));
      reasoning = null;
      reasoningFormat = null;
    }
  }

  /** How many content events were taken. */
  public int contentEvents() {
    return contentEvents;
  }

  /** The text so far: every text part joined. */
  public String text() {
    StringBuilder all = new StringBuilder();
    for (ContentPart p : parts) {
      if (p instanceof ContentPart.Text t) {
        all.append(t.text());
      }
    }
    if (text != null) {
      all.append(text);
    }
    return all.toString();
  }

  /** The assistant message assembled so far. */
  public Message message() {
    List<ContentPart> content = new ArrayList<>(parts.size() + 1);
    content.addAll(parts);
    if (text != null) {
      content.add(ContentPart.text(text.toString()));
    } else if (reasoning != null) {
      content.add(new ContentPart.Reasoning(reasoning.toString(), null, null, reasoningFormat));
    }
    if (content.isEmpty() && toolCalls.isEmpty()) {
      content.add(ContentPart.text(""));
    }
    List<ToolCall> calls = new ArrayList<>(toolCalls.size());
    for (ToolCallBuilder b : toolCalls) {
      String args = b.arguments.length() == 0 ? "{}" : b.arguments.toString();
      calls.add(new ToolCall(b.id == null ? "" : b.id, b.name == null ? "" : b.name, args,
          b.signature, b.signature == null ? null : b.signatureFormat));
    }
    return Message.assistant(content, calls);
  }

  /** A response builder with the assembled message. */
  public ChatResponse.Builder toResponse() {
    return ChatResponse.builder().message(message());
  }

  private static final class ToolCallBuilder {
    private @Nullable String id;
    private @Nullable String name;
    private @Nullable String signature;
    private @Nullable String signatureFormat;
    private final StringBuilder arguments = new StringBuilder();
  }
}
