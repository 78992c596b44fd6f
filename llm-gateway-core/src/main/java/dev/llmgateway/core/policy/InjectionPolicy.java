package dev.llmgateway.core.policy;

import dev.llmgateway.core.policy.injection.InjectionClassifier;
import dev.llmgateway.core.policy.injection.InjectionScanner;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Prompt-injection scanning: the user's messages (direct injection) and tool results (indirect
 * injection: a fetched page or an e-mail that tells the model what to do) are scored by the
 * {@link InjectionScanner}'s heuristics; a text the scanner finds borderline goes to the {@link
 * InjectionClassifier} when one is set, which may ask a model through this gateway. A text that
 * scores at or above the threshold is blocked or flagged ({@link PolicyAction}).
 *
 * <p>Defaults: {@link InjectionScanner#defaults()}, both user messages and tool results scanned,
 * block, no classifier. Immutable and thread-safe.
 */
public final class InjectionPolicy {
  private final InjectionScanner scanner;
  private final PolicyAction action;
  private final boolean userContent;
  private final boolean toolResults;
  private final @Nullable InjectionClassifier classifier;

  private InjectionPolicy(Builder b) {
    this.scanner = b.scanner;
    this.action = b.action;
    this.userContent = b.userContent;
    this.toolResults = b.toolResults;
    this.classifier = b.classifier;
  }

  /** The defaults above. */
  public static InjectionPolicy defaults() {
    return builder().build();
  }

  /** A new builder with the defaults above. */
  public static Builder builder() {
    return new Builder();
  }

  /** The scanner. */
  public InjectionScanner scanner() {
    return scanner;
  }

  /** What a flagged text does to the call. */
  public PolicyAction action() {
    return action;
  }

  /** Whether the user's messages are scanned. */
  public boolean scansUserContent() {
    return userContent;
  }

  /** Whether tool results are scanned. */
  public boolean scansToolResults() {
    return toolResults;
  }

  /** The classifier for borderline texts, or null. */
  public @Nullable InjectionClassifier classifier() {
    return classifier;
  }

  @Override
  public String toString() {
    return "InjectionPolicy[action=" + action + ", userContent=" + userContent + ", toolResults="
        + toolResults + ", classifier=" + (classifier != null) + "]";
  }

  /** Builds an {@link InjectionPolicy}. Not thread-safe. */
  public static final class Builder {
    private InjectionScanner scanner = InjectionScanner.defaults();
    private PolicyAction action = PolicyAction.BLOCK;
    private boolean userContent = true;
    private boolean toolResults = true;
    private @Nullable InjectionClassifier classifier;

    private Builder() {}

    /** The scanner (default {@link InjectionScanner#defaults()}). */
    public Builder scanner(InjectionScanner scanner) {
      this.scanner = Objects.requireNonNull(scanner, "scanner");
      return this;
    }

    /** What a flagged text does (default block). */
    public Builder action(PolicyAction action) {
      this.action = Objects.requireNonNull(action, "action");
      return this;
    }

    /** Whether the user's messages are scanned (default true). */
    public Builder scanUserContent(boolean scan) {
      this.userContent = scan;
      return this;
    }

    /** Whether tool results are scanned (default true). */
    public Builder scanToolResults(boolean scan) {
      this.toolResults = scan;
      return this;
    }

    /** A classifier for the texts the heuristics find borderline (default none). */
    public Builder classifier(InjectionClassifier classifier) {
      this.classifier = Objects.requireNonNull(classifier, "classifier");
      return this;
    }

    /** The policy. */
    public InjectionPolicy build() {
      return new InjectionPolicy(this);
    }
  }
}
