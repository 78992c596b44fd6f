package dev.llmgateway.core.route;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.RequestOptions;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Labels a request for routing: {@code Condition.classifiedAs(classifier, "code")}. It may be a
 * local heuristic or model, or a cheap LLM asked through the gateway itself ({@link
 * #viaModel(String, String...)}), whose call is metered like any other. The label is asked at
 * most once per call.
 */
@FunctionalInterface
public interface Classifier {

  /** The request's label, or null when it fits none. */
  @Nullable String classify(RoutingInput input);

  /**
   * A classifier that asks {@code model} (an alias or {@code provider/model}; not an alias routed
   * by this classifier, which would ask itself) through the gateway to pick one of the labels for
   * the last user message. The call runs as the same principal, tagged {@code classifier}, so it
   * is metered and budgeted like the caller's own; an answer that is none of the labels gives
   * null.
   */
  static Classifier viaModel(String model, String... labels) {
    Objects.requireNonNull(model, "model");
    if (labels.length < 2) {
      throw new IllegalArgumentException("a classifier needs at least two labels");
    }
    List<String> choices = List.of(labels);
    String instructions = "Classify the user's request. Answer with exactly one word from this"
        + " list and nothing else: " + String.join(", ", choices) + ".";
    RequestOptions options = RequestOptions.DEFAULT.withTags("classifier");
    return input -> {
      ChatRequest ask = ChatRequest.builder(model)
          .system(instructions)
          .user(input.lastUserText())
          .temperature(0.0)
          .maxOutputTokens(10)
          .options(options)
          .build();
      Principal principal = input.call().principal();
      ChatResponse answer = principal != null
          ? input.gateway().chat(ask, principal) : input.gateway().chat(ask);
      String said = answer.text().trim().toLowerCase(Locale.ROOT);
      for (String label : choices) {
        if (said.startsWith(label.toLowerCase(Locale.ROOT))) {
          return label;
        }
      }
      return null;
    };
  }
}
