package dev.llmgateway.core.policy;

import dev.llmgateway.core.policy.content.ContentFilter;
import dev.llmgateway.spi.ModerationProvider;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Content filtering on the way in and out: a {@link ContentFilter} (word lists and patterns, in
 * the JVM) and, optionally, a {@link ModerationProvider} (a provider's moderation API, such as
 * OpenAI's {@code /v1/moderations}, one HTTP call per checked text).
 *
 * <p>On the way in a hit refuses the call (or is flagged). A unary answer is checked whole before
 * it is returned. A streamed answer is checked incrementally by the filter over a sliding window
 * as it passes: a hit before any content reached the caller refuses the call with a {@link
 * dev.llmgateway.PolicyViolationException}; after, the stream ends with a {@link
 * dev.llmgateway.ChatEvent.Failed} carrying a {@link dev.llmgateway.ContentFilteredException}. The
 * moderation provider checks prompts and unary answers only (a call per chunk would cost more than
 * the stream).
 *
 * <p>Defaults: no filter, no moderation, input and output checked, block. Immutable, thread-safe.
 */
public final class ContentPolicy {
  private final @Nullable ContentFilter filter;
  private final @Nullable ModerationProvider moderation;
  private final boolean input;
  private final boolean output;
  private final PolicyAction action;

  private ContentPolicy(Builder b) {
    this.filter = b.filter;
    this.moderation = b.moderation;
    this.input = b.input;
    this.output = b.output;
    this.action = b.action;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The filter, or null. */
  public @Nullable ContentFilter filter() {
    return filter;
  }

  /** The moderation provider, or null. */
  public @Nullable ModerationProvider moderation() {
    return moderation;
  }

  /** Whether prompts are checked. */
  public boolean checksInput() {
    return input;
  }

  /** Whether answers are checked. */
  public boolean checksOutput() {
    return output;
  }

  /** What a hit does. */
  public PolicyAction action() {
    return action;
  }

  @Override
  public String toString() {
    return "ContentPolicy[filter=" + (filter != null) + ", moderation=" + (moderation != null)
        + ", input=" + input + ", output=" + output + ", action=" + action + "]";
  }

  /** Builds a {@link ContentPolicy}. Not thread-safe. */
  public static final class Builder {
    private @Nullable ContentFilter filter;
    private @Nullable ModerationProvider moderation;
    private boolean input = true;
    private boolean output = true;
    private PolicyAction action = PolicyAction.BLOCK;

    private Builder() {}

    /** The word-list and pattern filter. */
    public Builder filter(ContentFilter filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /** A provider's moderation API. */
    public Builder moderation(ModerationProvider moderation) {
      this.moderation = Objects.requireNonNull(moderation, "moderation");
      return this;
    }

    /** Whether prompts are checked (default true). */
    public Builder checkInput(boolean check) {
      this.input = check;
      return this;
    }

    /** Whether answers are checked (default true). */
    public Builder checkOutput(boolean check) {
      this.output = check;
      return this;
    }

    /** What a hit does (default block). */
    public Builder action(PolicyAction action) {
      this.action = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * The policy.
     *
     * @throws IllegalStateException with neither a filter nor a moderation provider
     */
    public ContentPolicy build() {
      if (filter == null && moderation == null) {
        throw new IllegalStateException(
            "a content policy needs a filter(ContentFilter) or a moderation(ModerationProvider)");
      }
      return new ContentPolicy(this);
    }
  }
}
