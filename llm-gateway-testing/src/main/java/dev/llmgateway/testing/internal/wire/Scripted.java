package dev.llmgateway.testing.internal.wire;

import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One scripted answer of a mock server, format-neutral. A format's responder serves it in the shape
 * the request asked for: streamed when the request asked to stream, else as one body. Immutable.
 */
public sealed interface Scripted {

  /**
   * An answer of text.
   *
   * @param deltas the text, one piece per stream chunk
   * @param usage the token counts to report
   * @param pace the wait before each chunk when streamed ({@link Duration#ZERO} for none)
   */
  record Text(List<String> deltas, Usage usage, Duration pace) implements Scripted {
    /** Validates and copies. */
    public Text {
      deltas = List.copyOf(deltas);
      Objects.requireNonNull(usage, "usage");
      Objects.requireNonNull(pace, "pace");
    }

    /** The whole text. */
    public String text() {
      return String.join("", deltas);
    }
  }

  /**
   * An answer calling tools.
   *
   * @param calls the calls, in order
   * @param fragments how many pieces each call's arguments are split into when streamed
   * @param usage the token counts to report
   * @param pace the wait before each chunk when streamed
   */
  record ToolCalls(List<ToolCall> calls, int fragments, Usage usage, Duration pace)
      implements Scripted {
    /** Validates and copies. */
    public ToolCalls {
      calls = List.copyOf(calls);
      if (calls.isEmpty()) {
        throw new IllegalArgumentException("a tool-call answer needs at least one call");
      }
      if (fragments < 1) {
        throw new IllegalArgumentException("fragments must be >= 1, was " + fragments);
      }
      Objects.requireNonNull(usage, "usage");
      Objects.requireNonNull(pace, "pace");
    }
  }

  /**
   * An embeddings answer.
   *
   * @param vectors one vector per input, copied
   * @param inputTokens the input tokens to report
   */
  record Embeddings(List<float[]> vectors, long inputTokens) implements Scripted {
    /** Validates and copies. */
    public Embeddings {
      List<float[]> copy = new ArrayList<>(vectors.size());
      for (float[] v : vectors) {
        copy.add(v.clone());
      }
      vectors = List.copyOf(copy);
      if (inputTokens < 0) {
        throw new IllegalArgumentException("inputTokens must be >= 0, was " + inputTokens);
      }
    }
  }

  /**
   * An error response.
   *
   * @param error the kind of error
   * @param retryAfter the delay a {@link MockError#RATE_LIMITED} answer asks for, or null for the
   *     format's default (2 s)
   */
  record Error(MockError error, @Nullable Duration retryAfter) implements Scripted {
    /** Validates. */
    public Error {
      Objects.requireNonNull(error, "error");
      if (retryAfter != null) {
        if (error != MockError.RATE_LIMITED) {
          throw new IllegalArgumentException("only a RATE_LIMITED answer carries a retry-after, "
              + "not " + error);
        }
        if (retryAfter.isNegative()) {
          throw new IllegalArgumentException("a retry-after must be >= 0, was " + retryAfter);
        }
      }
    }

    /** An error with the format's default delay, if it has one. */
    public Error(MockError error) {
      this(error, null);
    }
  }

  /**
   * A fault.
   *
   * @param fault the kind of fault
   * @param deltasBefore the text sent before a fault that happens midway
   * @param pace the wait before each chunk when streamed
   */
  record Fault(MockFault fault, List<String> deltasBefore, Duration pace) implements Scripted {
    /** Validates and copies. */
    public Fault {
      Objects.requireNonNull(fault, "fault");
      deltasBefore = List.copyOf(deltasBefore);
      Objects.requireNonNull(pace, "pace");
    }
  }

  /**
   * A moderation answer ({@code /v1/moderations}): the inputs at the given indexes are flagged for
   * {@link #SCRIPTED_CATEGORY}, and any input containing a {@link #marker(String) marker} for the
   * category it names.
   *
   * @param flaggedInputs the indexes of the inputs to flag, copied
   */
  record Moderation(Set<Integer> flaggedInputs) implements Scripted {
    /** The category an input flagged by its index is flagged for. */
    public static final String SCRIPTED_CATEGORY = "harassment";
    /** What starts a marker; the category's name and {@code "]]"} follow. */
    public static final String MARKER_START = "[[flag:";

    /** Validates and copies. */
    public Moderation {
      flaggedInputs = Set.copyOf(flaggedInputs);
      for (int i : flaggedInputs) {
        if (i < 0) {
          throw new IllegalArgumentException("input indexes are >= 0, was " + i);
        }
      }
    }

    /** The marker that makes the mock flag an input for {@code category}. */
    public static String marker(String category) {
      return MARKER_START + category + "]]";
    }
  }
}
