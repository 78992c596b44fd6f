package dev.llmgateway;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link dev.llmgateway.spi.ModerationProvider} said of a {@link ModerationRequest}: one
 * {@link InputResult} per input, in the request's order, and the model that answered. Immutable
 * and thread-safe; it holds no input text, so {@link #toString()} prints none.
 *
 * @param model the model that answered, as the provider named it
 * @param results one result per input, in order; copied
 * @param requestId the provider's request id, for support tickets, or null
 */
public record ModerationResult(String model, List<InputResult> results,
    @Nullable String requestId) {

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException when there is no result
   */
  public ModerationResult {
    Objects.requireNonNull(model, "model");
    results = List.copyOf(results);
    if (results.isEmpty()) {
      throw new IllegalArgumentException("a moderation result needs at least one input's result");
    }
  }

  /** Whether any input was flagged. */
  public boolean flagged() {
    for (InputResult r : results) {
      if (r.flagged()) {
        return true;
      }
    }
    return false;
  }

  /** The categories any input was flagged for, in the order first seen. */
  public Set<String> flaggedCategories() {
    Set<String> all = new LinkedHashSet<>();
    for (InputResult r : results) {
      all.addAll(r.flaggedCategories());
    }
    return Collections.unmodifiableSet(all);
  }

  /**
   * What the provider said of one input. Immutable.
   *
   * @param flagged whether the provider flagged the input (its own verdict, which need not follow
   *     from the scores by any threshold the caller knows)
   * @param flaggedCategories the categories the input was flagged for, in the provider's order;
   *     copied
   * @param scores each category's score, 0 to 1, in the provider's order; copied
   */
  public record InputResult(boolean flagged, Set<String> flaggedCategories,
      Map<String, Double> scores) {
    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a score is not a number from 0 to 1
     */
    public InputResult {
      flaggedCategories = Collections.unmodifiableSet(new LinkedHashSet<>(flaggedCategories));
      for (Map.Entry<String, Double> e : scores.entrySet()) {
        double score = Objects.requireNonNull(e.getValue(), "score");
        if (!(score >= 0 && score <= 1)) {
          throw new IllegalArgumentException("the score of category '" + e.getKey()
              + "' must be from 0 to 1, was " + score);
        }
      }
      scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }

    /** The score of a category, or 0 when the provider gave none. */
    public double score(String category) {
      Double score = scores.get(category);
      return score == null ? 0 : score;
    }

    /** The categories whose score is at least {@code threshold}, in the provider's order. */
    public List<String> categoriesScoringAtLeast(double threshold) {
      List<String> over = new ArrayList<>();
      scores.forEach((category, score) -> {
        if (score >= threshold) {
          over.add(category);
        }
      });
      return over;
    }
  }
}
