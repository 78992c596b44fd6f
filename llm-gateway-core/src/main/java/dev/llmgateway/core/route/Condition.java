package dev.llmgateway.core.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A test over a request's content and metadata that a {@link Route#rules() rules route} uses to
 * pick a target. The factories cover the usual signals (keywords, patterns, code blocks, tools,
 * images, input size, tags, metadata, team, a classifier's label); {@link #and}, {@link #or} and
 * {@link #negate} compose them. Everything costly (lower-casing, regex compilation) happens when
 * the condition is built; per request a condition reads features the {@link RoutingInput}
 * computes once per call.
 *
 * <p>A lambda is a condition too: {@code in -> in.request().messages().size() > 20}; give it a
 * name with {@link #named(String, Condition)} so the decision trail can say why it matched.
 */
@FunctionalInterface
public interface Condition {

  /** Whether the request matches. */
  boolean test(RoutingInput input);

  /** What this condition checks, for the decision trail. */
  default String describe() {
    return "custom condition";
  }

  /** Both this and {@code other}. */
  default Condition and(Condition other) {
    Objects.requireNonNull(other, "other");
    Condition self = this;
    return of(in -> self.test(in) && other.test(in),
        "(" + describe() + " and " + other.describe() + ")");
  }

  /** This or {@code other}. */
  default Condition or(Condition other) {
    Objects.requireNonNull(other, "other");
    Condition self = this;
    return of(in -> self.test(in) || other.test(in),
        "(" + describe() + " or " + other.describe() + ")");
  }

  /** Not this. */
  default Condition negate() {
    Condition self = this;
    return of(in -> !self.test(in), "not " + describe());
  }

  /** A lambda with a description for the decision trail. */
  static Condition named(String description, Condition condition) {
    Objects.requireNonNull(condition, "condition");
    return of(condition::test, Objects.requireNonNull(description, "description"));
  }

  /** All of the conditions. */
  static Condition allOf(Condition... conditions) {
    Condition[] all = conditions.clone();
    return of(in -> {
      for (Condition c : all) {
        if (!c.test(in)) {
          return false;
        }
      }
      return true;
    }, describeAll(all, " and "));
  }

  /** Any of the conditions. */
  static Condition anyOf(Condition... conditions) {
    Condition[] all = conditions.clone();
    return of(in -> {
      for (Condition c : all) {
        if (c.test(in)) {
          return true;
        }
      }
      return false;
    }, describeAll(all, " or "));
  }

  private static String describeAll(Condition[] all, String joiner) {
    List<String> names = new ArrayList<>(all.length);
    for (Condition c : all) {
      names.add(Objects.requireNonNull(c, "condition").describe());
    }
    return "(" + String.join(joiner, names) + ")";
  }

  /**
   * The last user message contains any of the keywords, ignoring case (plain substrings, not
   * words: {@code "prove"} matches "proves").
   */
  static Condition keywords(String... keywords) {
    if (keywords.length == 0) {
      throw new IllegalArgumentException("keywords needs at least one keyword");
    }
    String[] lower = new String[keywords.length];
    for (int i = 0; i < keywords.length; i++) {
      String k = Objects.requireNonNull(keywords[i], "keyword");
      if (k.isBlank()) {
        throw new IllegalArgumentException("a keyword must not be blank");
      }
      lower[i] = k.toLowerCase(Locale.ROOT);
    }
    char[][] needles = new char[lower.length][];
    for (int i = 0; i < lower.length; i++) {
      needles[i] = lower[i].toCharArray();
    }
    return of(in -> {
      String text = in.lastUserText();
      if (RequiredLiteral.isAscii(text)) { // its lower case is its ASCII letters lowered: no copy
        for (char[] k : needles) {
          if (RequiredLiteral.containsLowerAscii(text, k)) {
            return true;
          }
        }
        return false;
      }
      String lowered = in.lastUserTextLowerCase();
      for (String k : lower) {
        if (lowered.contains(k)) {
          return true;
        }
      }
      return false;
    }, "last user message mentions " + Arrays.toString(keywords));
  }

  /**
   * The last user message has a match of the regular expression (compiled here, once). When the
   * expression needs a literal run of characters in every match ({@code from} in {@code
   * (?i)\bselect\b.+\bfrom\b}), a message without it is told apart without running the
   * expression.
   */
  static Condition pattern(String regex) {
    Pattern compiled = Pattern.compile(Objects.requireNonNull(regex, "regex"));
    RequiredLiteral needed = RequiredLiteral.of(compiled);
    return of(in -> {
      String text = in.lastUserText();
      return (needed == null || needed.foundIn(text)) && compiled.matcher(text).find();
    }, "last user message matches /" + regex + "/");
  }

  /** The last user message has a fenced code block ({@code ```}). */
  static Condition codeBlock() {
    return of(RoutingInput::hasCodeBlock, "last user message has a code block");
  }

  /** The request offers tools to call. */
  static Condition toolsRequested() {
    return of(RoutingInput::toolsRequested, "tools requested");
  }

  /** A message of the request carries an image. */
  static Condition imagesPresent() {
    return of(RoutingInput::hasImages, "images present");
  }

  /** The estimated input exceeds {@code tokens}. */
  static Condition inputTokensAbove(long tokens) {
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must be >= 0, was " + tokens);
    }
    return of(in -> in.estimatedInputTokens() > tokens, "estimated input above " + tokens
        + " tokens");
  }

  /** The request's options carry the tag. */
  static Condition tag(String tag) {
    Objects.requireNonNull(tag, "tag");
    return of(in -> in.request().options().tags().contains(tag), "tag '" + tag + "'");
  }

  /** The request's metadata has {@code key} set to {@code value}. */
  static Condition metadata(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return of(in -> value.equals(in.metadata().get(key)),
        "metadata " + key + "=" + value);
  }

  /** The caller's team (as authenticated) is one of these. */
  static Condition team(String... teams) {
    Set<String> set = Set.of(teams);
    return of(in -> {
      dev.llmgateway.Principal p = in.call().principal();
      return p != null && p.teamId() != null && set.contains(p.teamId());
    }, "team in " + Arrays.toString(teams));
  }

  /**
   * The classifier labels the request {@code label} (compared ignoring case). The classifier runs
   * at most once per call, however many conditions ask it.
   */
  static Condition classifiedAs(Classifier classifier, String label) {
    Objects.requireNonNull(classifier, "classifier");
    Objects.requireNonNull(label, "label");
    return of(in -> label.equalsIgnoreCase(in.label(classifier)),
        "classified as '" + label + "'");
  }

  private static Condition of(Condition test, String description) {
    return new Condition() {
      @Override
      public boolean test(RoutingInput input) {
        return test.test(input);
      }

      @Override
      public String describe() {
        return description;
      }

      @Override
      public String toString() {
        return description;
      }
    };
  }
}
