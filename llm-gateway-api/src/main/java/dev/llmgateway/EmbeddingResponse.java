package dev.llmgateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Embedding vectors, one per input and in input order, with the call's story ({@link #story()}:
 * who served them, each attempt, tokens, cost, latency). {@link #toString()} prints the story's
 * facts on one line, never the vectors.
 *
 * @param vectors one vector per input (the arrays are copied on the way in and out)
 * @param usage input tokens consumed
 * @param deployment the deployment that served them, or null when an interceptor answered
 * @param servedModel the model that made the vectors as the provider names it (OpenAI's {@code
 *     model}), or null when it named none or named one longer than 256 characters, blank or holding
 *     a control character (dropped, as {@link ChatResponse#servedModel()})
 * @param attempts every attempt of the call
 * @param latency from the call entering the gateway to the answer
 * @param callId the gateway's id for the call ("" before the gateway assigned one)
 * @param cost the cost in US dollars, or null when a price is unknown
 * @param cacheHit whether the gateway's cache answered
 * @param routing why the call went where it went, or null when it was not routed
 */
public record EmbeddingResponse(
    List<float[]> vectors,
    Usage usage,
    @Nullable Deployment deployment,
    @Nullable String servedModel,
    List<Attempt> attempts,
    Duration latency,
    String callId,
    @Nullable BigDecimal cost,
    boolean cacheHit,
    @Nullable RoutingDecision routing)
    implements CallResult {

  /** Validates and copies. */
  public EmbeddingResponse {
    List<float[]> copy = new ArrayList<>(vectors.size());
    for (float[] v : vectors) {
      copy.add(v.clone());
    }
    vectors = List.copyOf(copy);
    Objects.requireNonNull(usage, "usage");
    servedModel = ServedModel.bounded(servedModel);
    attempts = List.copyOf(attempts);
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(callId, "callId");
  }

  /** A transport's answer, before the gateway adds its story. */
  public static EmbeddingResponse of(List<float[]> vectors, Usage usage, Deployment deployment) {
    return of(vectors, usage, deployment, null);
  }

  /** A transport's answer naming the model that served it, before the gateway adds its story. */
  public static EmbeddingResponse of(List<float[]> vectors, Usage usage, Deployment deployment,
      @Nullable String servedModel) {
    return new EmbeddingResponse(vectors, usage, deployment, servedModel, List.of(), Duration.ZERO,
        "", null, false, null);
  }

  /** The vectors, one per input (copies). */
  @Override
  public List<float[]> vectors() {
    List<float[]> copy = new ArrayList<>(vectors.size());
    for (float[] v : vectors) {
      copy.add(v.clone());
    }
    return copy;
  }

  /** How many vectors there are. */
  public int size() {
    return vectors.size();
  }

  /** The vector of input {@code i} (a copy). */
  public float[] vector(int i) {
    return vectors.get(i).clone();
  }

  /** This response with the gateway's story. */
  public EmbeddingResponse withStory(String callId, List<Attempt> attempts, Duration latency,
      Usage usage, @Nullable BigDecimal cost, boolean cacheHit,
      @Nullable RoutingDecision routing) {
    return new EmbeddingResponse(vectors, usage, deployment, servedModel, attempts, latency,
        callId, cost, cacheHit, routing);
  }

  /**
   * The call's story on a few lines, as {@link ChatResponse#story()} tells it, with the number of
   * vectors: who served them, the routing decision, each attempt, the tokens and the cost in plain
   * notation. For reading, not parsing.
   */
  public String story() {
    return Story.headed(Story.head(callId, deployment, servedModel, cacheHit, latency, null)
            + ": " + vectors.size() + (vectors.size() == 1 ? " vector" : " vectors"))
        .route(routing)
        .attempts(attempts, routing != null)
        .tokensAndCost(usage, cost)
        .toString();
  }

  /** The story's facts on one line, never the vectors. */
  @Override
  public String toString() {
    return "EmbeddingResponse[callId=" + callId + ", deployment=" + deployment
        + (servedModel == null ? "" : ", servedModel=" + servedModel) + ", vectors="
        + vectors.size() + ", usage=" + usage + ", attempts=" + attempts.size() + ", latency="
        + Story.millis(latency) + (cost == null ? "" : ", cost=" + Story.dollars(cost))
        + (cacheHit ? ", cacheHit" : "") + "]";
  }
}
