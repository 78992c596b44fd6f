package dev.llmgateway.core;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.GatewayException;
import dev.llmgateway.Usage;
import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ChatResponseAccumulator;
import dev.llmgateway.spi.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Core's own small provider stub (core's tests may not use llm-gateway-testing). Answers each
 * request through a function, streams text deltas on its own daemon pool, and records what it saw.
 */
final class StubProvider implements Provider {
  private final String name;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "stub-provider");
    t.setDaemon(true);
    return t;
  });
  final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
  final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
  final List<EmbeddingRequest> embeddings = new CopyOnWriteArrayList<>();
  final AtomicInteger emitted = new AtomicInteger();
  final AtomicInteger cancelled = new AtomicInteger();
  volatile Function<ChatRequest, List<String>> deltas = r -> List.of("Hello", ", ", "world");
  volatile @Nullable GatewayException failure;
  volatile @Nullable GatewayException failAfterDeltas;
  volatile @Nullable CountDownLatch gate;
  volatile int gateBeforeEvent = -1;

  StubProvider(String name) {
    this.name = name;
  }

  @Override
  public dev.llmgateway.spi.ModelCapabilities capabilities(String model) {
    return dev.llmgateway.spi.ModelCapabilities.CHAT_ALL.withEmbeddings(true);
  }

  @Override
  public String name() {
    return name;
  }

  static Usage usageFor(ChatRequest request, String answer) {
    return Usage.of(1 + request.lastUserText().length() / 4, 1 + answer.length() / 4);
  }

  @Override
  public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
    requests.add(request);
    headers.add(Map.copyOf(attempt.headers()));
    GatewayException f = failure;
    if (f != null) {
      throw f;
    }
    String text = String.join("", deltas.apply(request));
    return ChatResponse.builder().text(text).usage(usageFor(request, text))
        .deployment(new Deployment(name, request.model())).rawFinishReason("stop").build();
  }

  @Override
  public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
    requests.add(request);
    headers.add(Map.copyOf(attempt.headers()));
    return PullPublisher.of(() -> new Source(request), pool);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, AttemptContext attempt) {
    embeddings.add(request);
    GatewayException f = failure;
    if (f != null) {
      throw f;
    }
    List<float[]> vectors = new ArrayList<>();
    for (String input : request.inputs()) {
      vectors.add(new float[] {input.length(), 1f});
    }
    return EmbeddingResponse.of(vectors, Usage.of(request.inputs().size(), 0),
        new Deployment(name, request.model()));
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** Emits the deltas, a usage report and the terminal event, one per pull. */
  private final class Source implements PullPublisher.Source<ChatEvent> {
    private final ChatRequest request;
    private final List<ChatEvent> events = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private int next;

    Source(ChatRequest request) {
      this.request = request;
      GatewayException f = failure;
      if (f != null) {
        events.add(ChatEvent.Failed.of(f));
        return;
      }
      ChatResponseAccumulator acc = new ChatResponseAccumulator();
      for (String d : deltas.apply(request)) {
        ChatEvent e = new ChatEvent.TextDelta(d);
        acc.accept(e);
        events.add(e);
      }
      GatewayException late = failAfterDeltas;
      if (late != null) {
        events.add(ChatEvent.Failed.of(late));
        return;
      }
      Usage usage = usageFor(request, acc.text());
      events.add(new ChatEvent.UsageReport(usage));
      events.add(new ChatEvent.Completed(acc.toResponse().usage(usage)
          .deployment(new Deployment(name, request.model())).build()));
    }

    @Override
    public @Nullable ChatEvent next() throws InterruptedException {
      if (next == events.size()) {
        return null;
      }
      CountDownLatch g = gate;
      if (g != null && next == gateBeforeEvent) {
        while (!g.await(10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          if (closed.getCount() == 0) {
            return null;
          }
        }
      }
      emitted.incrementAndGet();
      return events.get(next++);
    }

    @Override
    public void close() {
      if (next < events.size()) {
        cancelled.incrementAndGet();
      }
      closed.countDown();
    }
  }
}
