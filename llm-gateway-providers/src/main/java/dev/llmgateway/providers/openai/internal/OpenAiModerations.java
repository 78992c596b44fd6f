package dev.llmgateway.providers.openai.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.ModerationRequest;
import dev.llmgateway.ModerationResult;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.providers.internal.HttpFailures;
import dev.llmgateway.providers.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The body of a request to OpenAI's {@code POST /moderations} and the reading of its answer
 * (https://platform.openai.com/docs/api-reference/moderations/create): {@code {"model", "input":
 * [texts]}} out; {@code {"id", "model", "results": [{"flagged", "categories", "category_scores",
 * "category_applied_input_types"}]}} back, one result per input in order. An answer with another
 * number of results, a result without {@code flagged}, or a score that is not a number from 0 to 1
 * (a rounding error of 0.001 past either end is clamped) is the provider's failure, a {@link
 * ProviderUnavailableException} that quotes nothing of the body. Thread-safe.
 */
public final class OpenAiModerations {
  /** OpenAI's default moderation model, which reads text and images. */
  public static final String DEFAULT_MODEL = "omni-moderation-latest";

  private static final ObjectReader ANSWER = Json.MAPPER.readerFor(OpenAiDtos.Moderations.class);
  private static final double SLACK = 0.001;

  private OpenAiModerations() {}

  /** The request body: the model and the inputs, always as an array. */
  public static byte[] body(ModerationRequest request, String model) {
    ByteArrayBuilder bytes = Json.buffer();
    try (JsonGenerator out = Json.FACTORY.createGenerator(bytes)) {
      out.writeStartObject();
      out.writeStringField("model", model);
      out.writeArrayFieldStart("input");
      for (String input : request.inputs()) {
        out.writeString(input);
      }
      out.writeEndArray();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Json.bytes(bytes);
  }

  /**
   * Reads an answer to {@code request}.
   *
   * @param model the model asked for, named when the answer names none
   * @throws ProviderUnavailableException when the body is not a moderation answer for the request
   */
  public static ModerationResult read(byte[] body, ModerationRequest request, String model,
      ErrorDetails details, @Nullable String requestId) {
    OpenAiDtos.Moderations answer;
    try {
      answer = ANSWER.readValue(body);
    } catch (IOException e) {
      throw HttpFailures.malformed("the moderation body", details, e);
    }
    int expected = request.inputs().size();
    List<OpenAiDtos.ModerationItem> items = answer == null ? null : answer.results();
    if (items == null || items.size() != expected) {
      throw new ProviderUnavailableException("the moderation response has "
          + (items == null ? 0 : items.size()) + " results for " + expected + " inputs", details,
          null);
    }
    List<ModerationResult.InputResult> results = new ArrayList<>(expected);
    for (int i = 0; i < expected; i++) {
      results.add(item(items.get(i), i, details));
    }
    String served = answer.model() != null && !answer.model().isBlank() ? answer.model() : model;
    return new ModerationResult(served, results, requestId);
  }

  private static ModerationResult.InputResult item(OpenAiDtos.@Nullable ModerationItem item,
      int index, ErrorDetails details) {
    if (item == null || item.flagged() == null) {
      throw new ProviderUnavailableException("moderation result " + index + " has no 'flagged'",
          details, null);
    }
    Set<String> flagged = new LinkedHashSet<>();
    if (item.categories() != null) {
      item.categories().forEach((category, on) -> {
        if (Boolean.TRUE.equals(on)) {
          flagged.add(category);
        }
      });
    }
    Map<String, Double> scores = new LinkedHashMap<>();
    if (item.categoryScores() != null) {
      for (Map.Entry<String, Double> e : item.categoryScores().entrySet()) {
        Double score = e.getValue();
        if (score == null || !(score >= -SLACK && score <= 1 + SLACK)) {
          throw new ProviderUnavailableException("moderation result " + index + " has a score "
              + "that is not a number from 0 to 1", details, null);
        }
        scores.put(e.getKey(), Math.min(1, Math.max(0, score)));
      }
    }
    return new ModerationResult.InputResult(item.flagged(), flagged, scores);
  }
}
