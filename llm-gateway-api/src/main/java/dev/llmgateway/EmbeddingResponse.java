package dev.llmgateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Embedding vectors, one per input and in input order, with the call's story.
 *
 * @param vectors one vector per input (the arrays are copied on the way in and out)
 * @param usage input tokens consumed
 * @param deployment the deployment that served them, or null when an interceptor answered
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
    attempts = List.copyOf(attempts);
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(callId, "callId");
  }

  /** A transport's answer, before the gateway adds its story. */
  public static EmbeddingResponse of(List<float[]> vectors, Usage usage, Deployment deployment) {
    return new EmbeddingResponse(vectors, usage, deployment, List.of(), Duration.ZERO, "", null,
        false, null);
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
    return new EmbeddingResponse(vectors, usage, deployment, attempts, latency, callId, cost,
        cacheHit, routing);
  }

  @Override
  public String toString() {
    return "EmbeddingResponse[callId=" + callId + ", deployment=" + deployment + ", vectors="
        + vectors.size() + ", usage=" + usage + ", attempts=" + attempts.size() + ", latency="
        + latency + (cost == null ? "" : ", cost=" + cost.toPlainString())
        + (cacheHit ? ", cacheHit" : "") + "]";
  }
}
