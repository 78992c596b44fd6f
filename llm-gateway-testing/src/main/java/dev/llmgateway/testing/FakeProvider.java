package dev.llmgateway.testing;

import dev.llmgateway.CallKind;
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
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.UnsupportedCapabilityException;
import dev.llmgateway.Usage;
import dev.llmgateway.internal.PullPublisher;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.ChatResponseAccumulator;
import dev.llmgateway.spi.ModelCapabilities;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.RequestNeeds;
import dev.llmgateway.testing.internal.Answer;
import dev.llmgateway.testing.internal.Step;
import dev.llmgateway.testing.internal.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A scripted {@link Provider} for tests: you say what each call to a model answers, in order, and
 * it records every call it receives. Swap it in with one line: {@code
 * Gateway.builder().provider(fake)}.
 *
 * <pre>{@code
 * FakeProvider fake = FakeProvider.create();
 * fake.on("gpt-4o")
 *     .fail(new RateLimitedException("slow down", Duration.ofSeconds(1)))
 *     .reply("Hello!");
 * fake.onAnyModel().alwaysReply(request -> "echo: " + request.lastUserText());
 *
 * try (Gateway gateway = Gateway.builder().provider(fake).build()) {
 *   ...
 * }
 * fake.assertAllConsumed();
 * }</pre>
 *
 * <p><b>Scripts.</b> {@link #on(String)} and {@link #onAnyModel()} return a {@link Script} whose
 * steps are consumed in order, one per call. A call to a model takes the next step of that model's
 * script; when it has none left, the next step of the any-model script; when neither has one, the
 * model's {@link Script#alwaysReply fallback}, then the any-model fallback. With nothing to answer,
 * {@code chat} and {@code embed} throw an {@link InvalidRequestException} naming the model, and a
 * stream ends with a {@link ChatEvent.Failed} carrying it. A step serves any kind of call: a reply
 * consumed by a stream is streamed (its content as deltas, a {@link ChatEvent.UsageReport}, then
 * {@link ChatEvent.Completed}); a stream consumed by a unary call is assembled into the response.
 *
 * <p><b>Answers.</b> Responses the fake builds carry the deployment {@code <name>/<model>}, finish
 * reason {@code STOP} ({@code TOOL_CALLS} with tool calls, raw {@code "stop"} / {@code
 * "tool_calls"}) and exact usage: input tokens are the request's text characters divided by four,
 * rounded up, at least one; output tokens the same over the answer's text, reasoning and tool
 * calls.
 * Streams report their usage in a {@link ChatEvent.UsageReport} right before {@link
 * ChatEvent.Completed}. Stream events are delivered on the executor (by default a pool of daemon
 * threads named {@code fake-provider-N} that {@link #close()} shuts down).
 *
 * <p><b>Capabilities.</b> {@link #capabilities(String)} returns what the builder configured
 * (everything, embeddings included, by default). Like a real transport, and by the same rule
 * ({@link RequestNeeds}), the fake rejects a call its model's capabilities cannot serve (the call
 * kind, tools, images, documents, a JSON schema, reasoning settings) with an {@link
 * UnsupportedCapabilityException} before consuming a step; the context window is not checked.
 *
 * <p>Thread-safe: script, call and inspect it from any thread.
 */
public final class FakeProvider implements Provider {
  /** The name of a provider made by {@link #create()}. */
  public static final String DEFAULT_NAME = "fake";

  private static final ModelCapabilities DEFAULT_CAPABILITIES =
      ModelCapabilities.CHAT_ALL.withEmbeddings(true);

  private final String name;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  private final Map<String, ModelCapabilities> capabilities;
  private final ModelCapabilities defaultCapabilities;
  private final ConcurrentHashMap<String, Script> scripts = new ConcurrentHashMap<>();
  private final Script anyModel = new Script("any model");
  private final List<RecordedCall> calls = new ArrayList<>(); // guarded by itself
  private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
  private final AtomicInteger cancellations = new AtomicInteger();
  private final AtomicLong emittedEvents = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final boolean recordCalls;
  private final AtomicInteger callCount = new AtomicInteger();

  private FakeProvider(Builder b) {
    this.name = b.name;
    this.recordCalls = b.recordCalls;
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownedExecutor = null;
    } else {
      ExecutorService pool = Executors.newCachedThreadPool(daemonThreads());
      this.executor = pool;
      this.ownedExecutor = pool;
    }
    this.capabilities = Map.copyOf(b.capabilities);
    this.defaultCapabilities = b.defaultCapabilities;
  }

  /** A fake named {@value #DEFAULT_NAME} with default settings. */
  public static FakeProvider create() {
    return builder().build();
  }

  /** A builder for a fake with a name, an executor or capabilities of its own. */
  public static Builder builder() {
    return new Builder();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "fake-provider-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The script of one model (the provider's own model name); the same script on every call. */
  public Script on(String model) {
    Objects.requireNonNull(model, "model");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    return scripts.computeIfAbsent(model, m -> new Script("model '" + m + "'"));
  }

  /** The script used for any model whose own script has no step left. */
  public Script onAnyModel() {
    return anyModel;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ModelCapabilities capabilities(String model) {
    return capabilities.getOrDefault(model, defaultCapabilities);
  }

  @Override
  public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(attempt, "attempt");
    requireOpen();
    Deployment deployment = new Deployment(name, request.model());
    record(CallKind.CHAT, request, attempt, deployment);
    requireCapable(CallKind.CHAT, request, deployment);
    Step step = take(request, deployment);
    await(step, attempt, new Timeouts(name, deployment, attempt.remaining()));
    return step.answer().chat(request, deployment);
  }

  @Override
  public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(attempt, "attempt");
    requireOpen();
    Deployment deployment = new Deployment(name, request.model());
    RecordedCall call = record(CallKind.STREAM, request, attempt, deployment);
    Timeouts timeouts = new Timeouts(name, deployment, attempt.remaining());
    Step step = null;
    List<ChatEvent> events;
    try {
      requireCapable(CallKind.STREAM, request, deployment);
      step = take(request, deployment);
      events = step.answer().events(request, deployment);
    } catch (GatewayException e) {
      events = List.of(ChatEvent.Failed.of(e));
    }
    Step held = step;
    List<ChatEvent> all = List.copyOf(events);
    long deadline = attempt.deadlineNanos();
    return PullPublisher.of(
        () -> new FakeSource(this, call, request, all, held, deadline, timeouts), executor);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, AttemptContext attempt) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(attempt, "attempt");
    requireOpen();
    Deployment deployment = new Deployment(name, request.model());
    record(CallKind.EMBED, request, attempt, deployment);
    requireCapable(CallKind.EMBED, request, deployment);
    Step step = take(request, deployment);
    await(step, attempt, new Timeouts(name, deployment, attempt.remaining()));
    return step.answer().embed(request, deployment);
  }

  /** Every call received so far, in arrival order (a snapshot). */
  public List<RecordedCall> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** The calls received so far for one model, in arrival order (a snapshot). */
  public List<RecordedCall> calls(String model) {
    return calls().stream().filter(c -> c.model().equals(model))
        .collect(Collectors.toUnmodifiableList());
  }

  /**
   * The most recent call.
   *
   * @throws IllegalStateException when no call arrived yet
   */
  public RecordedCall lastCall() {
    synchronized (calls) {
      if (calls.isEmpty()) {
        throw new IllegalStateException("fake provider '" + name + "' received no call yet");
      }
      return calls.get(calls.size() - 1);
    }
  }

  /** How many calls arrived so far (counted with or without {@code recordCalls}). */
  public int callCount() {
    return callCount.get();
  }

  /** How many streams their consumer closed before their terminal event. */
  public int cancellations() {
    return cancellations.get();
  }

  /** How many events all streams emitted so far, terminal events included. */
  public long emittedEvents() {
    return emittedEvents.get();
  }

  /**
   * Checks that every scripted step was consumed (fallbacks do not count).
   *
   * @throws AssertionError listing every model with steps left, and what they are
   */
  public void assertAllConsumed() {
    List<String> problems = new ArrayList<>();
    new TreeMap<>(scripts).values().forEach(script -> script.leftovers(problems));
    anyModel.leftovers(problems);
    if (!problems.isEmpty()) {
      throw new AssertionError("fake provider '" + name + "' has scripted steps that no call "
          + "consumed:\n  " + String.join("\n  ", problems));
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Releases every call waiting at a delay or gate (unary calls then throw a {@link
   * ProviderUnavailableException}, streams end with it) and shuts down the executor the fake
   * created (not one you supplied). Later calls throw {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Waiter w : waiting) {
      w.cancel();
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  @Override
  public String toString() {
    return "FakeProvider[name=" + name + ", calls=" + callCount() + (isClosed() ? ", closed" : "")
        + "]";
  }

  void register(Waiter waiter) {
    waiting.add(waiter);
    if (closed.get()) {
      waiter.cancel();
    }
  }

  void unregister(Waiter waiter) {
    waiting.remove(waiter);
  }

  void eventEmitted() {
    emittedEvents.incrementAndGet();
  }

  void streamCancelled() {
    cancellations.incrementAndGet();
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("fake provider '" + name + "' is closed");
    }
  }

  private RecordedCall record(CallKind kind, GatewayRequest request, AttemptContext attempt,
      Deployment deployment) {
    RecordedCall call = new RecordedCall(kind, request, attempt.headers(), attempt.number(),
        attempt.callId(), deployment);
    callCount.incrementAndGet();
    if (recordCalls) {
      synchronized (calls) {
        calls.add(call);
      }
    }
    return call;
  }

  /** The step that answers this call: scripted steps first, then fallbacks. */
  private Step take(GatewayRequest request, Deployment deployment) {
    String model = request.model();
    Script own = scripts.get(model);
    Step step = own == null ? null : own.poll();
    if (step == null) {
      step = anyModel.poll();
    }
    if (step == null && request instanceof ChatRequest chat) {
      step = own == null ? null : own.fallback(chat);
      if (step == null) {
        step = anyModel.fallback(chat);
      }
    }
    if (step == null) {
      int consumed = own == null ? 0 : own.consumed();
      throw new InvalidRequestException("no step was scripted for model '" + model
          + "' at fake provider '" + name + "'"
          + (consumed == 0 ? "" : " (the " + consumed + " scripted for it were consumed)")
          + ": script one with fake.on(\"" + model + "\") or fake.onAnyModel()",
          ErrorDetails.of(deployment), null);
    }
    return step;
  }

  /** The waits of a unary call: its delay, then its gates in index order. */
  private void await(Step step, AttemptContext attempt, Timeouts timeouts) {
    if (!step.waits()) {
      return;
    }
    Waiter waiter = new Waiter();
    register(waiter);
    attempt.onCancel(waiter::cancel); // a hedge's loser, or a cancelled chatAsync
    try {
      Waiter.Outcome outcome = Waiter.Outcome.DONE;
      if (!step.delay().isZero()) {
        outcome = waiter.delay(step.delay().toNanos(), attempt.deadlineNanos());
      }
      for (Step.Gate gate : step.gates().values()) {
        if (outcome != Waiter.Outcome.DONE) {
          break;
        }
        CountDownLatch arrived = gate.arrived();
        if (arrived != null) {
          arrived.countDown();
        }
        outcome = waiter.gate(gate.open(), attempt.deadlineNanos());
      }
      if (outcome == Waiter.Outcome.TIMED_OUT) {
        throw timeouts.attemptTimeout();
      }
      if (outcome != Waiter.Outcome.DONE) {
        throw timeouts.interrupted(outcome == Waiter.Outcome.CANCELLED);
      }
    } finally {
      unregister(waiter);
    }
  }

  /** Refuses what the model's capabilities cannot serve, by the transports' one rule. */
  private void requireCapable(CallKind kind, GatewayRequest request, Deployment deployment) {
    RequestNeeds.of(request, kind).requireMetBy(capabilities(deployment.model()),
        ErrorDetails.of(deployment));
  }

  /** The failures of a wait that ended early, for one call. */
  record Timeouts(String provider, Deployment deployment, Duration limit) {
    GatewayTimeoutException attemptTimeout() {
      return new GatewayTimeoutException(GatewayTimeoutException.Kind.ATTEMPT, limit,
          ErrorDetails.of(deployment), null);
    }

    GatewayTimeoutException firstTokenTimeout() {
      return new GatewayTimeoutException(GatewayTimeoutException.Kind.FIRST_TOKEN, limit,
          ErrorDetails.of(deployment), null);
    }

    ProviderUnavailableException interrupted(boolean providerClosed) {
      return new ProviderUnavailableException(providerClosed
          ? "fake provider '" + provider + "' was closed while the call waited"
          : "the thread was interrupted while fake provider '" + provider + "' waited",
          ErrorDetails.of(deployment), null);
    }
  }

  /**
   * Builds a {@link FakeProvider}. Not thread-safe; reusable: {@link #build()} copies its state.
   */
  public static final class Builder {
    private String name = DEFAULT_NAME;
    private @Nullable Executor executor;
    private final Map<String, ModelCapabilities> capabilities = new LinkedHashMap<>();
    private ModelCapabilities defaultCapabilities = DEFAULT_CAPABILITIES;
    private boolean recordCalls = true;

    private Builder() {}

    /**
     * Whether {@link FakeProvider#calls()} keeps every call (the default). Turn it off for load
     * tests and benchmarks, where the list would grow without bound.
     */
    public Builder recordCalls(boolean recordCalls) {
      this.recordCalls = recordCalls;
      return this;
    }

    /**
     * The provider's name, the first half of its deployments; {@value #DEFAULT_NAME} by default.
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.indexOf('/') >= 0) {
        throw new IllegalArgumentException(
            "a provider name must be non-blank and contain no '/', was '" + name + "'");
      }
      this.name = name;
      return this;
    }

    /**
     * The executor that delivers stream events. By default the fake owns a cached pool of daemon
     * threads named {@code fake-provider-N}, shut down by {@link FakeProvider#close()}; an
     * executor you supply is never shut down by the fake.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** What one model can do. */
    public Builder capabilities(String model, ModelCapabilities capabilities) {
      this.capabilities.put(Objects.requireNonNull(model, "model"),
          Objects.requireNonNull(capabilities, "capabilities"));
      return this;
    }

    /**
     * What models without capabilities of their own can do; by default everything, embeddings
     * included ({@code ModelCapabilities.CHAT_ALL.withEmbeddings(true)}).
     */
    public Builder defaultCapabilities(ModelCapabilities capabilities) {
      this.defaultCapabilities = Objects.requireNonNull(capabilities, "capabilities");
      return this;
    }

    /** Builds the fake. */
    public FakeProvider build() {
      return new FakeProvider(this);
    }
  }

  /**
   * What the calls to one model (or to any model) answer: steps consumed in order, one per call,
   * and an optional fallback for when no step is left. Chain the steps: {@code
   * fake.on("gpt-4o").fail(error).reply("Hello")}; calling {@link FakeProvider#on(String)} again
   * for the same model appends to the same script.
   *
   * <p>{@link #delay(Duration)} and {@link #pauseBeforeEvent(int, CountDownLatch)} hold back the
   * next step added after them (or every answer of a fallback added after them).
   *
   * <p>Thread-safe.
   */
  public static final class Script {
    private final String owner;
    private final ConcurrentLinkedQueue<Step> steps = new ConcurrentLinkedQueue<>();
    private final AtomicInteger consumed = new AtomicInteger();
    private Duration pendingDelay = Duration.ZERO; // guarded by this
    private final Map<Integer, Step.Gate> pendingGates = new HashMap<>(); // guarded by this
    private volatile @Nullable Fallback fallback;

    private Script(String owner) {
      this.owner = owner;
    }

    /** Answers with this text; exact usage. */
    public Script reply(String text) {
      return add(Answer.Reply.text(text, null));
    }

    /** Answers with this text and usage. */
    public Script reply(String text, Usage usage) {
      return add(Answer.Reply.text(text, Objects.requireNonNull(usage, "usage")));
    }

    /**
     * Answers with this response as it is (its usage included); its deployment is filled in when
     * it has none.
     */
    public Script reply(ChatResponse response) {
      return add(Answer.Reply.response(response));
    }

    /** Answers with one tool call, finish reason {@code TOOL_CALLS}; exact usage. */
    public Script replyWithToolCall(String id, String name, String argsJson) {
      return add(Answer.Reply.toolCall(id, name, argsJson));
    }

    /** Fails: unary calls throw the error, a stream emits a single {@link ChatEvent.Failed}. */
    public Script fail(GatewayException error) {
      return add(new Answer.Fail(error));
    }

    /**
     * Streams these text deltas, then a {@link ChatEvent.UsageReport} and a {@link
     * ChatEvent.Completed}; a unary call gets the joined text.
     */
    public Script stream(String... textDeltas) {
      return add(Answer.Events.text(Arrays.asList(textDeltas.clone()), null));
    }

    /**
     * Streams these events. Without a terminal event, a {@link ChatEvent.UsageReport} (unless the
     * events end with one) and a {@link ChatEvent.Completed} assembled from the content with a
     * {@link ChatResponseAccumulator} are appended. A unary call gets the assembled response, or
     * throws the error of a {@link ChatEvent.Failed} terminal event.
     *
     * @throws IllegalArgumentException when a terminal event is not the last
     */
    public Script streamEvents(List<ChatEvent> events) {
      String label =
          "streamEvents(" + events.size() + (events.size() == 1 ? " event)" : " events)");
      return add(new Answer.Events(events, null, label));
    }

    /**
     * Streams these text deltas, then ends with a {@link ChatEvent.Failed} carrying the error
     * (with estimated usage of what was streamed); a unary call throws the error.
     */
    public Script streamThenFail(List<String> textDeltas, GatewayException error) {
      return add(Answer.Events.text(textDeltas, Objects.requireNonNull(error, "error")));
    }

    /** Answers an embedding call with these vectors, as given. */
    public Script embedding(float[]... vectors) {
      return add(new Answer.Embedding(Arrays.asList(vectors)));
    }

    /**
     * Holds back the next step: a unary call waits this long before answering, a stream before
     * its first event. The wait honours the attempt's deadline: when it passes first, a unary call
     * throws a {@link GatewayTimeoutException} of kind {@code ATTEMPT} and a stream ends with a
     * {@link ChatEvent.Failed} carrying one. Closing the stream (or the fake) ends the wait.
     */
    public synchronized Script delay(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must be >= 0, was " + delay);
      }
      if (delay.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0) {
        throw new IllegalArgumentException("delay is too long to wait for: " + delay);
      }
      this.pendingDelay = delay;
      return this;
    }

    /**
     * Makes the next step, on a stream, wait before emitting event number {@code index} (0 for the
     * first) until {@code gate} reaches zero; a unary call waits for the gate before answering.
     * For deterministic tests of what happens mid-stream. The wait honours the attempt's deadline
     * (see {@link #delay(Duration)}), and closing the stream (or the fake) ends it.
     */
    public Script pauseBeforeEvent(int index, CountDownLatch gate) {
      return addGate(new Step.Gate(index, gate, null));
    }

    /**
     * Like {@link #pauseBeforeEvent(int, CountDownLatch)}, and counts {@code arrived} down when the
     * call starts waiting at the gate, so a test can wait until the stream is held there.
     */
    public Script pauseBeforeEvent(int index, CountDownLatch gate, CountDownLatch arrived) {
      return addGate(new Step.Gate(index, gate, Objects.requireNonNull(arrived, "arrived")));
    }

    /**
     * Answers every call that finds no step left with this text (exact usage), for load tests;
     * streamed as one delta. A {@link #delay(Duration)} or pause set just before applies to every
     * such answer. Replaces an earlier fallback.
     */
    public synchronized Script alwaysReply(Function<ChatRequest, String> replies) {
      Objects.requireNonNull(replies, "replies");
      return setFallback(request -> Answer.Reply.text(replies.apply(request), null));
    }

    /**
     * Streams these deltas to every call that finds no step left (a unary call gets the joined
     * text), for load tests. A {@link #delay(Duration)} or pause set just before applies to every
     * such answer. Replaces an earlier fallback.
     */
    public synchronized Script alwaysStream(Function<ChatRequest, List<String>> textDeltas) {
      Objects.requireNonNull(textDeltas, "textDeltas");
      return setFallback(request -> Answer.Events.text(textDeltas.apply(request), null));
    }

    /** How many scripted steps are left (the fallback not counted). */
    public int remaining() {
      return steps.size();
    }

    private synchronized Script add(Answer answer) {
      steps.add(new Step(answer, pendingDelay, pendingGates));
      clearPending();
      return this;
    }

    private synchronized Script addGate(Step.Gate gate) {
      if (pendingGates.containsKey(gate.index())) {
        throw new IllegalArgumentException(
            "the next step already pauses before event " + gate.index());
      }
      pendingGates.put(gate.index(), gate);
      return this;
    }

    private Script setFallback(Function<ChatRequest, Answer> answers) {
      fallback = new Fallback(answers, pendingDelay, Map.copyOf(pendingGates));
      clearPending();
      return this;
    }

    private void clearPending() {
      pendingDelay = Duration.ZERO;
      pendingGates.clear();
    }

    @Nullable Step poll() {
      Step step = steps.poll();
      if (step != null) {
        consumed.incrementAndGet();
      }
      return step;
    }

    int consumed() {
      return consumed.get();
    }

    @Nullable Step fallback(ChatRequest request) {
      Fallback f = fallback;
      return f == null ? null : new Step(f.answers().apply(request), f.delay(), f.gates());
    }

    synchronized void leftovers(List<String> out) {
      List<Step> left = List.copyOf(steps);
      if (!left.isEmpty()) {
        out.add(owner + ": " + left.size() + (left.size() == 1 ? " step" : " steps") + " left: "
            + left.stream().map(Step::describe).collect(Collectors.joining(", ")));
      }
      if (!pendingDelay.isZero() || !pendingGates.isEmpty()) {
        out.add(owner + ": a delay or pause was set after the last step, so it holds back none");
      }
    }

    @Override
    public String toString() {
      return "Script[" + owner + ", " + remaining() + " steps left"
          + (fallback == null ? "" : ", with a fallback") + "]";
    }

    private record Fallback(
        Function<ChatRequest, Answer> answers, Duration delay, Map<Integer, Step.Gate> gates) {}
  }
}
