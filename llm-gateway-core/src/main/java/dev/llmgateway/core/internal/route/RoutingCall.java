package dev.llmgateway.core.internal.route;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.cost.Price;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.resilience.CircuitState;
import dev.llmgateway.core.route.Classifier;
import dev.llmgateway.core.route.RoutingContext;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.RequestNeeds;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * One call as routing sees it: features of the request computed on first use and kept for the
 * call, and the gateway's knowledge of each deployment. Used on the calling thread only.
 */
final class RoutingCall implements RoutingContext {

  private final RouteWalk walk;
  private final Call call;
  private final GatewayRequest request;
  private List<Deployment> candidates = List.of();
  private @Nullable String lastUserText;
  private @Nullable String lower;
  private @Nullable RequestNeeds needs;
  private @Nullable Classifier classifier;
  private @Nullable String label;
  private @Nullable Map<Classifier, String> moreLabels;

  public RoutingCall(RouteWalk walk, Call call, GatewayRequest request) {
    this.walk = walk;
    this.call = call;
    this.request = request;
  }

  public void candidates(List<Deployment> candidates) {
    this.candidates = candidates;
  }

  @Override
  public GatewayRequest request() {
    return request;
  }

  @Override
  public CallContext call() {
    return call;
  }

  @Override
  public String lastUserText() {
    String text = lastUserText;
    if (text == null) {
      if (request instanceof ChatRequest chat) {
        text = chat.lastUserText();
      } else if (request instanceof EmbeddingRequest embed) {
        text = String.join("\n", embed.inputs());
      } else {
        text = "";
      }
      lastUserText = text;
    }
    return text;
  }

  @Override
  public String lastUserTextLowerCase() {
    String text = lower;
    if (text == null) {
      text = lastUserText().toLowerCase(Locale.ROOT);
      lower = text;
    }
    return text;
  }

  @Override
  public boolean hasCodeBlock() {
    return lastUserText().contains("```");
  }

  /** What the request needs of a model, worked out once per call. */
  public RequestNeeds needs() {
    RequestNeeds n = needs;
    if (n == null) {
      n = call.needs(request);
      needs = n;
    }
    return n;
  }

  @Override
  public boolean toolsRequested() {
    return needs().tools();
  }

  @Override
  public boolean hasImages() {
    return needs().images();
  }

  /** Whether the request carries a document. */
  public boolean hasDocuments() {
    return needs().documents();
  }

  @Override
  public long estimatedInputTokens() {
    return needs().estimatedInputTokens();
  }

  /** The request's own cap on output tokens, or 0. */
  public long maxOutputTokens() {
    return needs().maxOutputTokens();
  }

  @Override
  public Map<String, String> metadata() {
    return request instanceof ChatRequest chat ? chat.metadata() : Map.of();
  }

  @Override
  public @Nullable String label(Classifier classifier) {
    if (this.classifier == classifier) {
      return label;
    }
    Map<Classifier, String> more = moreLabels;
    if (more != null && more.containsKey(classifier)) {
      return more.get(classifier);
    }
    String result = walk.classify(classifier, this);
    if (this.classifier == null) {
      this.classifier = classifier;
      this.label = result;
    } else {
      if (more == null) {
        more = new IdentityHashMap<>(4);
        moreLabels = more;
      }
      more.put(classifier, result);
    }
    return result;
  }

  @Override
  public Gateway gateway() {
    return walk.gateway();
  }

  @Override
  public List<Deployment> candidates() {
    return candidates;
  }

  @Override
  public @Nullable Price price(Deployment deployment) {
    return walk.price(deployment);
  }

  /**
   * This request's estimated cost at the deployment in dollars (estimated input tokens, the
   * request's max output tokens or 500); -1 when the price is unknown. A double: it only orders.
   */
  public double estimatedCost(Deployment deployment) {
    double[] rates = walk.known(deployment).rates();
    if (rates == null) {
      return -1;
    }
    long output = maxOutputTokens();
    return estimatedInputTokens() * rates[0] + (output > 0 ? output : 500) * rates[1];
  }

  @Override
  public long latencyNanos(Deployment deployment) {
    return walk.known(deployment).breaker.latencyEwmaNanos();
  }

  @Override
  public int inFlight(Deployment deployment) {
    return walk.known(deployment).breaker.inFlight();
  }

  @Override
  public CircuitState circuit(Deployment deployment) {
    return walk.known(deployment).breaker.state();
  }

  @Override
  public boolean available(Deployment deployment) {
    return walk.known(deployment).breaker.unavailableReason() == null;
  }

  @Override
  public RandomGenerator random() {
    RandomGenerator random = walk.random();
    return random != null ? random : ThreadLocalRandom.current();
  }
}
