package dev.llmgateway.core;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.GatewayTimeoutException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.Usage;
import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ChatResponseAccumulator;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Core's own small provider stub (core's tests may not use llm-gateway-testing, which depends on
 * core). Every model answers with {@link #deltas} ("Hello, world" in three text deltas) unless a
 * test queued answers for it with {@link #on(String)} or {@link #onAnyModel()}, consumed one per
 * call. Usage is exact: a quarter of the characters of the last user message in and of the
 * answer out, rounded up, at least one token; an embedding's, of all its inputs.
 * Streams run on the stub's own daemon pool. It records every call (unless told not to, with
 * {@link #recordCalls(boolean)}), and can do everything but what {@link #capabilities(String,
 * ModelCapabilities)} takes away. Thread-safe.
 */
public final class StubProvider implements Provider {
  private static final ModelCapabilities EVERYTHING =
      ModelCapabilities.CHAT_ALL.withEmbeddings(true);

  private final String name;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "stub-provider");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Map<String, ModelCapabilities> capabilities = new ConcurrentHashMap<>();
  private final Map<String, Answers> answers = new ConcurrentHashMap<>();
  private final Answers anyModel = new Answers();
  private final List<GatewayRequest> calls = Collections.synchronizedList(new ArrayList<>());
  final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());
  final List<Map<String, String>> headers = Collections.synchronizedList(new ArrayList<>());
  final List<EmbeddingRequest> embeddings = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger emitted = new AtomicInteger();
  final AtomicInteger cancelled = new AtomicInteger();
  volatile Function<ChatRequest, List<String>> deltas = r -> List.of("Hello", ", ", "world");
  volatile @Nullable GatewayException failure;
  volatile @Nullable GatewayException failAfterDeltas;
  volatile @Nullable CountDownLatch gate;
  volatile int gateBeforeEvent = -1;
  private volatile boolean recording = true;

  public StubProvider(String name) {
    this.name = name;
  }

  /** Gives one model these capabilities instead of everything. */
  public StubProvider capabilities(String model, ModelCapabilities caps) {
    capabilities.put(model, caps);
    return this;
  }

  /** Whether calls are recorded (they are by default); off, the stub retains nothing per call. */
  public StubProvider recordCalls(boolean record) {
    this.recording = record;
    return this;
  }

  /** Makes every call without a queued answer reply with this text, as one delta. */
  public StubProvider replyToAll(Function<ChatRequest, String> text) {
    deltas = r -> List.of(text.apply(r));
    return this;
  }

  /** The answers queued for one model, taken before {@link #onAnyModel()}'s. */
  public Answers on(String model) {
    return answers.computeIfAbsent(model, m -> new Answers());
  }

  /** The answers queued for whichever model is called next. */
  public Answers onAnyModel() {
    return anyModel;
  }

  /** Every chat, stream and embedding request received so far, in arrival order (a snapshot). */
  public List<GatewayRequest> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** The requests received so far for one model (the provider's own model name). */
  public List<GatewayRequest> calls(String model) {
    return calls().stream().filter(r -> r.model().equals(model)).toList();
  }

  @Override
  public ModelCapabilities capabilities(String model) {
    return capabilities.getOrDefault(model, EVERYTHING);
  }

  @Override
  public String name() {
    return name;
  }

  static Usage usageFor(ChatRequest request, String answer) {
    return Usage.of(tokens(request.lastUserText().length()), tokens(answer.length()));
  }

  private static long tokens(int chars) {
    return Math.max(1, (chars + 3) / 4);
  }

  @Override
  public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
    Answer answer = received(request, attempt);
    List<ChatEvent> events = answer.events().apply(request);
    try {
      answer.hold().await(attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderUnavailableException("interrupted while the stub held the answer");
    }
    for (ChatEvent e : events) {
      if (e instanceof ChatEvent.Failed f) {
        throw f.error();
      }
      if (e instanceof ChatEvent.Completed c) {
        return c.response();
      }
    }
    throw new IllegalStateException("an answer that never ends: " + events);
  }

  @Override
  public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
    Answer answer = received(request, attempt);
    List<ChatEvent> events = answer.events().apply(request);
    return PullPublisher.of(() -> new Source(answer.hold(), attempt, events), pool);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, AttemptContext attempt) {
    if (recording) {
      calls.add(request);
      embeddings.add(request);
    }
    GatewayException f = failure;
    if (f != null) {
      throw f;
    }
    List<float[]> vectors = new ArrayList<>();
    int chars = 0;
    for (String input : request.inputs()) {
      vectors.add(new float[] {input.length(), 1f});
      chars += input.length();
    }
    return EmbeddingResponse.of(vectors, Usage.of(tokens(chars), 0),
        new Deployment(name, request.model()));
  }

  @Override
  public void close() {
    closed.countDown();
    pool.shutdownNow();
  }

  /** Records the call and takes its answer: the model's own, any model's, else the default. */
  private Answer received(ChatRequest request, AttemptContext attempt) {
    if (recording) {
      calls.add(request);
      requests.add(request);
      headers.add(Map.copyOf(attempt.headers()));
    }
    Answers own = answers.get(request.model());
    Answer next = own == null ? null : own.queue.poll();
    if (next == null) {
      next = anyModel.queue.poll();
    }
    return next != null ? next : new Answer(Hold.NONE, this::byDefault);
  }

  private List<ChatEvent> byDefault(ChatRequest request) {
    GatewayException f = failure;
    if (f != null) {
      return List.of(ChatEvent.Failed.of(f));
    }
    List<ChatEvent> events = new ArrayList<>();
    deltas.apply(request).forEach(d -> events.add(new ChatEvent.TextDelta(d)));
    GatewayException late = failAfterDeltas;
    if (late != null) {
      events.add(ChatEvent.Failed.of(late));
      return events;
    }
    return completed(request, events, null);
  }

  /**
   * The events as given when they end with a terminal event; else followed by a usage report
   * (unless they end with one: the given usage, or else exact usage) and the response they make.
   */
  private List<ChatEvent> completed(ChatRequest request, List<ChatEvent> given,
      @Nullable Usage usage) {
    ChatEvent last = given.isEmpty() ? null : given.get(given.size() - 1);
    if (last != null && last.isTerminal()) {
      return given;
    }
    ChatResponseAccumulator acc = new ChatResponseAccumulator();
    given.forEach(acc::accept);
    List<ChatEvent> events = new ArrayList<>(given);
    Usage reported;
    if (last instanceof ChatEvent.UsageReport report) {
      reported = report.usage();
    } else {
      reported = usage != null ? usage : usageFor(request, acc.text());
      events.add(new ChatEvent.UsageReport(reported));
    }
    events.add(new ChatEvent.Completed(acc.toResponse().usage(reported)
        .deployment(new Deployment(name, request.model())).rawFinishReason("stop").build()));
    return events;
  }

  /**
   * Answers queued for one model (or for any model), taken one per call in order. Each answer is
   * the events of a stream; a unary call gets the response they make, or throws the error they
   * end with. Thread-safe.
   */
  public final class Answers {
    private final Queue<Answer> queue = new ConcurrentLinkedQueue<>();
    private Hold hold = Hold.NONE; // for the next answer queued; guarded by this

    private Answers() {}

    /** Replies with this text, as one delta, with exact usage. */
    public Answers reply(String text) {
      return add(r -> completed(r, List.of(new ChatEvent.TextDelta(text)), null));
    }

    /** Replies with this text, as one delta, and this usage. */
    public Answers reply(String text, Usage usage) {
      return add(r -> completed(r, List.of(new ChatEvent.TextDelta(text)), usage));
    }

    /**
     * Streams these events. Unless they end with a terminal event, a usage report follows (exact
     * usage; none when they end with one) and then the response they make.
     */
    public Answers events(List<ChatEvent> events) {
      List<ChatEvent> given = List.copyOf(events);
      return add(r -> completed(r, given, null));
    }

    /** Fails before any content: a unary call throws the error, a stream ends with it. */
    public Answers fail(GatewayException error) {
      return add(r -> List.of(ChatEvent.Failed.of(error)));
    }

    /** The next answer queued takes this long (a stream before its first event). */
    public synchronized Answers delay(Duration delay) {
      hold = attempt -> closed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
      return this;
    }

    /**
     * The next answer queued waits for the gate (a stream before its first event), and counts
     * {@code arrived} down as it starts to wait.
     */
    public synchronized Answers holdUntil(CountDownLatch gate, CountDownLatch arrived) {
      hold = attempt -> {
        arrived.countDown();
        gate.await();
      };
      return this;
    }

    /**
     * Answers nothing, as a stalled upstream behind a transport that honours its attempt's
     * deadline late: waits the deadline out, counts {@code expired} down, waits for {@code release}
     * ignoring interrupts
     * (so a test can place other callers first), then fails with the attempt's timeout. The
     * attempt must have a deadline.
     */
    public synchronized Answers stallPastDeadline(CountDownLatch expired,
        CountDownLatch release) {
      hold = attempt -> {
        long deadline = attempt.deadlineNanos();
        if (deadline == AttemptContext.NO_DEADLINE) {
          throw new IllegalStateException("a stall past the deadline needs a deadline");
        }
        long started = System.nanoTime();
        boolean interrupted = false;
        try {
          closed.await(Math.max(0, deadline - started), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true; // the gateway's own watch on the deadline came first
        }
        expired.countDown();
        awaitIgnoringInterrupts(release, interrupted);
        throw new GatewayTimeoutException(GatewayTimeoutException.Kind.ATTEMPT,
            Duration.ofNanos(Math.max(0, deadline - started)), ErrorDetails.NONE, null);
      };
      return add(r -> List.of(ChatEvent.Failed.of(
          new ProviderUnavailableException("a stalled upstream never answers"))));
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch, boolean wasInterrupted) {
      boolean interrupted = wasInterrupted;
      for (;;) {
        try {
          latch.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    private synchronized Answers add(Function<ChatRequest, List<ChatEvent>> events) {
      queue.add(new Answer(hold, events));
      hold = Hold.NONE;
      return this;
    }
  }

  /** What an answer waits for before its first event; it may also fail the attempt. */
  private interface Hold {
    Hold NONE = attempt -> {};

    void await(AttemptContext attempt) throws InterruptedException;
  }

  /** One call's answer: what it waits for, and its events for the request. */
  private record Answer(Hold hold, Function<ChatRequest, List<ChatEvent>> events) {}

  /** Emits the events, one per pull, after the answer's hold and at the stub's gate. */
  private final class Source implements PullPublisher.Source<ChatEvent> {
    private final Hold hold;
    private final AttemptContext attempt;
    private final List<ChatEvent> events;
    private final CountDownLatch sourceClosed = new CountDownLatch(1);
    private int next;

    Source(Hold hold, AttemptContext attempt, List<ChatEvent> events) {
      this.hold = hold;
      this.attempt = attempt;
      this.events = events;
    }

    @Override
    public @Nullable ChatEvent next() throws InterruptedException {
      if (next == events.size()) {
        return null;
      }
      if (next == 0) {
        hold.await(attempt);
      }
      CountDownLatch g = gate;
      if (g != null && next == gateBeforeEvent) {
        while (!g.await(10, TimeUnit.MILLISECONDS)) {
          if (sourceClosed.getCount() == 0) {
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
      sourceClosed.countDown();
    }
  }
}
