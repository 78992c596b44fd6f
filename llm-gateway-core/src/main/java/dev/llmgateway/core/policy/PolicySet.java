package dev.llmgateway.core.policy;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The policies one call runs under: PII redaction, prompt-injection scanning, content filtering,
 * a request transformation and the structured-output check, each optional, enforced or only
 * monitored ({@link PolicyMode}). {@link Policies} picks a set per alias or team.
 *
 * <p>On the way in they run in this order, after authentication and access and before rate
 * limits, cache and routing: PII redaction first (so that nothing after it sees a value it
 * redacts, not even a moderation provider or a classifier model the other policies send text to),
 * then the content filter and the injection scan over the redacted request, then the
 * transformation (so the operator's own system prompt is neither scanned nor redacted). On the way
 * back: the content filter, the PII scan of the answer, then the placeholders restored. The structured-output check
 * runs just above the provider call, so a retry stays inside the call's usage record and budget
 * reservation, and the cache keeps only answers that passed.
 *
 * <p>Immutable and thread-safe.
 */
public final class PolicySet {
  /** No policies. */
  public static final PolicySet NONE = builder().build();

  private final String name;
  private final @Nullable PiiPolicy pii;
  private final @Nullable InjectionPolicy injection;
  private final @Nullable ContentPolicy content;
  private final @Nullable RequestTransform transform;
  private final StructuredOutputCheck structuredOutput;
  private final PolicyMode mode;

  private PolicySet(Builder b) {
    this.name = b.name;
    this.pii = b.pii;
    this.injection = b.injection;
    this.content = b.content;
    this.transform = b.transform;
    this.structuredOutput = b.structuredOutput;
    this.mode = b.mode;
  }

  /** A new builder: nothing set, enforced. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this set's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.pii = pii;
    b.injection = injection;
    b.content = content;
    b.transform = transform;
    b.structuredOutput = structuredOutput;
    b.mode = mode;
    return b;
  }

  /** The set's name, as verdicts and logs name it ({@code default} unless set). */
  public String name() {
    return name;
  }

  /** PII redaction, or null. */
  public @Nullable PiiPolicy pii() {
    return pii;
  }

  /** The injection scan, or null. */
  public @Nullable InjectionPolicy injection() {
    return injection;
  }

  /** The content policy, or null. */
  public @Nullable ContentPolicy content() {
    return content;
  }

  /** The request transformation, or null. */
  public @Nullable RequestTransform transform() {
    return transform;
  }

  /** The structured-output check. */
  public StructuredOutputCheck structuredOutput() {
    return structuredOutput;
  }

  /** Enforced or monitored. */
  public PolicyMode mode() {
    return mode;
  }

  /** Whether the set has nothing to do. */
  public boolean isEmpty() {
    return pii == null && injection == null && content == null && transform == null
        && structuredOutput == StructuredOutputCheck.OFF;
  }

  @Override
  public String toString() {
    return "PolicySet[" + name + ", mode=" + mode + ", pii=" + pii + ", injection=" + injection
        + ", content=" + content + ", transform=" + (transform != null) + ", structuredOutput="
        + structuredOutput + "]";
  }

  /** Builds a {@link PolicySet}. Not thread-safe. */
  public static final class Builder {
    private String name = "default";
    private @Nullable PiiPolicy pii;
    private @Nullable InjectionPolicy injection;
    private @Nullable ContentPolicy content;
    private @Nullable RequestTransform transform;
    private StructuredOutputCheck structuredOutput = StructuredOutputCheck.OFF;
    private PolicyMode mode = PolicyMode.ENFORCE;

    private Builder() {}

    /**
     * The set's name (letters, digits, {@code . _ -}, at most 64).
     *
     * @throws IllegalArgumentException for another name
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || name.length() > 64 || !name.chars().allMatch(c ->
          c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-'))) {
        throw new IllegalArgumentException("a policy set's name is 1 to 64 letters, digits, '.',"
            + " '_' or '-'");
      }
      this.name = name;
      return this;
    }

    /** PII redaction. */
    public Builder pii(PiiPolicy pii) {
      this.pii = Objects.requireNonNull(pii, "pii");
      return this;
    }

    /** Prompt-injection scanning. */
    public Builder injection(InjectionPolicy injection) {
      this.injection = Objects.requireNonNull(injection, "injection");
      return this;
    }

    /** Content filtering and moderation. */
    public Builder content(ContentPolicy content) {
      this.content = Objects.requireNonNull(content, "content");
      return this;
    }

    /** The request transformation. */
    public Builder transform(RequestTransform transform) {
      this.transform = Objects.requireNonNull(transform, "transform");
      return this;
    }

    /** The structured-output check (default off). */
    public Builder structuredOutput(StructuredOutputCheck check) {
      this.structuredOutput = Objects.requireNonNull(check, "check");
      return this;
    }

    /** Enforce (default) or only monitor. */
    public Builder mode(PolicyMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Shorthand for {@code mode(PolicyMode.MONITOR)}. */
    public Builder monitorOnly() {
      return mode(PolicyMode.MONITOR);
    }

    /** The set. */
    public PolicySet build() {
      return new PolicySet(this);
    }
  }
}
