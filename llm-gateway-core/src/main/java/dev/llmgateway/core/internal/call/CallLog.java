package dev.llmgateway.core.internal.call;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.GatewayException;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.Message;
import dev.llmgateway.Principal;
import dev.llmgateway.RoutingDecision;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.CallContext;
import dev.llmgateway.spi.GatewayListener;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;

/**
 * The gateway's own log of its calls, through SLF4J: the loggers (one per step, named below), the
 * lines that are not a step's own decision, and the MDC keys. Every line names its call by id in
 * its text; none holds a credential, a raw end-user id (a {@link Principal} prints itself
 * redacted; lines name only its team), a provider's error text (an error is named by its type and
 * HTTP status) or — outside {@link #CONTENT} — the content of a request or answer.
 *
 * <p>The loggers:
 * <ul>
 *   <li>{@value #CALL_LOGGER}: DEBUG a call received (id, kind, model, team); INFO a call refused
 *       by a step of the gateway (the step, the exception's type);</li>
 *   <li>{@value #ROUTE_LOGGER}: DEBUG the routing decision (path, variant, plan, skipped with
 *       reasons);</li>
 *   <li>{@value #EXECUTE_LOGGER}: INFO an attempt's failure followed by a retry (deployment, error
 *       type, HTTP status, the delay), WARN one followed by a failover (from, to, why), INFO a
 *       hedge started, DEBUG every attempt's end and every candidate skipped;</li>
 *   <li>{@value #HEALTH_LOGGER}: WARN a circuit opened, INFO it closed;</li>
 *   <li>{@value #SUMMARY_LOGGER}: one line per call when it ends (team, model → deployment,
 *       outcome, tokens, cost, latency, attempts): at INFO with {@code GatewayBuilder.logCalls(true)},
 *       else at DEBUG;</li>
 *   <li>{@value #CONTENT_LOGGER}: DEBUG the prompt of a chat or stream call and the answer of a
 *       chat call. It logs content <em>as received</em>: the gateway has no redaction step yet,
 *       and when its policies step comes, this logger will see what they redacted. Leave it off
 *       unless content may be logged.</li>
 * </ul>
 *
 * <p>The MDC keys {@value #MDC_CALL_ID} and {@value #MDC_TEAM} are set while the gateway works on
 * a call on the caller's thread (from entry to return or throw, then restored to what they were,
 * so a pooled thread keeps nothing), around a {@code chatAsync} call on the executor, around a
 * hedge and a retry after its backoff on the executor; the team once the call is authenticated.
 * They are not set while a stream's events are delivered. With {@code GatewayBuilder.mdc(false)},
 * or under an SLF4J binding without an MDC, the gateway touches no MDC.
 *
 * <p>When a logger is off, its lines cost a level check: nothing is formatted or allocated.
 * Thread-safe.
 */
public final class CallLog {
  /** The logger of calls received and refused. */
  public static final String CALL_LOGGER = "dev.llmgateway.core.call";
  /** The logger of routing decisions. */
  public static final String ROUTE_LOGGER = "dev.llmgateway.core.route";
  /** The logger of attempts: retries, failovers, hedges. */
  public static final String EXECUTE_LOGGER = "dev.llmgateway.core.execute";
  /** The logger of circuit breakers' transitions. */
  public static final String HEALTH_LOGGER = "dev.llmgateway.core.health";
  /** The logger of the one summary line per call. */
  public static final String SUMMARY_LOGGER = "dev.llmgateway.core.summary";
  /** The logger of prompts and answers (DEBUG, off unless enabled). */
  public static final String CONTENT_LOGGER = "dev.llmgateway.content";

  /** The MDC key of the call's id. */
  public static final String MDC_CALL_ID = "llm.call_id";
  /** The MDC key of the caller's team, once known. */
  public static final String MDC_TEAM = "llm.team";

  static final Logger CALL = LoggerFactory.getLogger(CALL_LOGGER);
  static final Logger ROUTE = LoggerFactory.getLogger(ROUTE_LOGGER);
  /** The execute step's logger. */
  public static final Logger EXECUTE = LoggerFactory.getLogger(EXECUTE_LOGGER);
  /** The breakers' logger. */
  public static final Logger HEALTH = LoggerFactory.getLogger(HEALTH_LOGGER);
  static final Logger SUMMARY = LoggerFactory.getLogger(SUMMARY_LOGGER);
  static final Logger CONTENT = LoggerFactory.getLogger(CONTENT_LOGGER);

  /** Whether the SLF4J binding keeps an MDC at all (checked once). */
  private static final boolean MDC_KEPT = !(MDC.getMDCAdapter() instanceof NOPMDCAdapter);

  /** The longest text of the caller's (a model name, a team) a line quotes. */
  private static final int MAX_QUOTED = 256;

  private final boolean summaryAtInfo;
  private final boolean mdc;
  /** Whether a policy step redacts: the content logger then sees only what it logs itself. */
  private boolean redacted;

  /**
   * The log of one gateway: its summary line at INFO when {@code summaryAtInfo}; the MDC set when
   * {@code mdc} (and the binding keeps one).
   */
  public CallLog(boolean summaryAtInfo, boolean mdc) {
    this.summaryAtInfo = summaryAtInfo;
    this.mdc = mdc && MDC_KEPT;
  }

  // ---------------------------------------------------------------- MDC

  /** What {@link #enter} replaced, restored by {@link Scope#close()}. */
  public static class Scope {
    private static final Scope NONE = new Scope();

    /** Restores the MDC keys to what they were before {@link #enter}. */
    public void close() {}
  }

  private static final class Restoring extends Scope {
    private final @Nullable String callId;
    private final @Nullable String team;

    Restoring(@Nullable String callId, @Nullable String team) {
      this.callId = callId;
      this.team = team;
    }

    @Override
    public void close() {
      restore(MDC_CALL_ID, callId);
      restore(MDC_TEAM, team);
    }

    private static void restore(String key, @Nullable String value) {
      if (value == null) {
        MDC.remove(key);
      } else {
        MDC.put(key, value);
      }
    }
  }

  /**
   * Puts the call's id (and its team, when known) in the MDC of this thread until the returned
   * scope is closed, which restores what was there before.
   */
  public Scope enter(Call call) {
    if (!mdc) {
      return Scope.NONE;
    }
    Scope previous = new Restoring(MDC.get(MDC_CALL_ID), MDC.get(MDC_TEAM));
    MDC.put(MDC_CALL_ID, call.callId());
    String team = team(call.principal());
    if (team != null) {
      MDC.put(MDC_TEAM, team);
    } else {
      MDC.remove(MDC_TEAM);
    }
    return previous;
  }

  /**
   * The call was authenticated: its team goes into the MDC of this thread if the gateway works on
   * this call here (its id is in the MDC).
   */
  public static void authenticated(Call call) {
    if (!MDC_KEPT || !call.callId().equals(MDC.get(MDC_CALL_ID))) {
      return;
    }
    String team = team(call.principal());
    if (team != null) {
      MDC.put(MDC_TEAM, team);
    }
  }

  // ---------------------------------------------------------------- lines

  /** A call entered the gateway: DEBUG, and its prompt on the content logger. */
  public void received(Call call) {
    if (CALL.isDebugEnabled()) {
      CALL.debug("call {} received: {} model={} team={}", call.callId(), call.kind(),
          quoted(call.requestedModel()), quoted(team(call.principal())));
    }
    if (!redacted && CONTENT.isDebugEnabled() && call.originalRequest() instanceof ChatRequest r) {
      CONTENT.debug("call {} prompt (as received, not redacted): {}", call.callId(), prompt(r));
    }
  }

  /**
   * The gateway runs input policies: the content logger gets the prompt as the policy step passed
   * it on and the answer before its placeholders are restored, never the caller's own text.
   */
  public void redacted() {
    this.redacted = true;
  }

  /** A chat call's prompt after the input policies: on the content logger only. */
  public static void redactedPrompt(Call call, ChatRequest request) {
    if (CONTENT.isDebugEnabled()) {
      CONTENT.debug("call {} prompt (after the input policies): {}", call.callId(),
          prompt(request));
    }
  }

  /** A chat call's answer before the placeholders are restored: on the content logger only. */
  public static void redactedAnswer(Call call, String text) {
    if (CONTENT.isDebugEnabled()) {
      CONTENT.debug("call {} answer (placeholders not restored): {}", call.callId(), text);
    }
  }

  /**
   * A chat call's answer reached its caller: on the content logger only, unless a policy step
   * logs the answer itself before restoring it ({@link #redacted()}).
   */
  public void answered(ChatResponse response) {
    if (!redacted && CONTENT.isDebugEnabled()) {
      CONTENT.debug("call {} answer (as received, not redacted): {}", response.callId(),
          response.text());
    }
  }

  /** The call's plan was made: DEBUG its decision. */
  static void routed(Call call) {
    if (!ROUTE.isDebugEnabled()) {
      return;
    }
    Plan plan = call.plan();
    if (plan != null) {
      RoutingDecision d = plan.decision();
      ROUTE.debug("call {} routed: {}{}", call.callId(), d.explain(),
          d.variant() == null ? "" : "; variant " + d.variant());
    }
  }

  /** An attempt ended (or a candidate was skipped): DEBUG, without the error's text. */
  static void attemptEnded(Call call, Attempt a) {
    if (!EXECUTE.isDebugEnabled()) {
      return;
    }
    if (a.outcome() != Attempt.Outcome.SKIPPED) { // skips are logged by skipped()
      EXECUTE.debug("call {}: attempt {} ({}) at {} {}{}{} in {} ms", call.callId(), a.number(),
          a.kind(), a.deployment(), a.outcome(),
          a.errorType() == null ? "" : " " + a.errorType(),
          a.httpStatus() == null ? "" : " HTTP " + a.httpStatus(), a.latency().toMillis());
    }
  }

  /** A candidate was skipped (its breaker refused, or it cannot serve the request): DEBUG. */
  public static void skipped(Call call, Deployment deployment, String why) {
    if (EXECUTE.isDebugEnabled()) {
      EXECUTE.debug("call {}: skipped {}: {}", call.callId(), deployment, why);
    }
  }

  /**
   * An attempt failed and the same deployment is tried again after {@code delayNanos}: INFO.
   */
  public static void retrying(Call call, int number, Deployment deployment,
      GatewayException error, long delayNanos) {
    if (EXECUTE.isInfoEnabled()) {
      EXECUTE.info("call {}: attempt {} at {} failed ({}{}); retrying in {} ms", call.callId(),
          number, deployment, error.getClass().getSimpleName(), status(error),
          (delayNanos + 500_000) / 1_000_000);
    }
  }

  /** An attempt failed and the call fails over to {@code to}: WARN, with the planner's why. */
  public static void failingOver(Call call, int number, Deployment from, Deployment to,
      GatewayException error, String why) {
    if (EXECUTE.isWarnEnabled()) {
      EXECUTE.warn("call {}: failing over from {} to {}: attempt {} failed ({}{}); {}",
          call.callId(), from, to, number, error.getClass().getSimpleName(), status(error), why);
    }
  }

  /**
   * A retry's backoff passed but the deployment's breaker refused the retry: the call fails over
   * to {@code to}. WARN.
   */
  public static void failingOverAfterBackoff(Call call, Deployment from, Deployment to) {
    if (EXECUTE.isWarnEnabled()) {
      EXECUTE.warn("call {}: failing over from {} to {}: its circuit breaker refused the retry"
          + " after the backoff", call.callId(), from, to);
    }
  }

  /** A hedge started beside the first attempt: INFO. */
  public static void hedging(Call call, Deployment first, Deployment hedge) {
    if (EXECUTE.isInfoEnabled()) {
      EXECUTE.info("call {}: hedging: {} started beside the slow first attempt at {}",
          call.callId(), hedge, first);
    }
  }

  /** A circuit opened ({@code how}: the breaker's words): WARN. */
  public static void circuitOpened(Call call, Deployment deployment, String how) {
    HEALTH.warn("call {}: circuit of {} {}", call.callId(), deployment, how);
  }

  /** A circuit closed after its probes succeeded: INFO. */
  public static void circuitClosed(Call call, Deployment deployment) {
    HEALTH.info("call {}: circuit of {} closed after successful probe(s)", call.callId(),
        deployment);
  }

  /** The call ended with its record: INFO a refusal; the summary line. */
  void ended(UsageRecord r) {
    if (r.outcome() == UsageRecord.Outcome.REFUSED && CALL.isInfoEnabled()) {
      CALL.info("call {} refused by the {} step: {} (team={}, model={})", r.callId(),
          r.refusal() == null ? "gateway's" : r.refusal().name().toLowerCase(java.util.Locale.ROOT),
          r.errorType(), quoted(team(r.principal())), quoted(r.requestedModel()));
    }
    if (summaryAtInfo ? SUMMARY.isInfoEnabled() : SUMMARY.isDebugEnabled()) {
      String line = summary(r);
      if (summaryAtInfo) {
        SUMMARY.info(line);
      } else {
        SUMMARY.debug(line);
      }
    }
  }

  static String summary(UsageRecord r) {
    StringBuilder s = new StringBuilder(160).append("call ").append(r.callId()).append(' ')
        .append(r.kind()).append(" team=").append(quoted(team(r.principal()))).append(' ')
        .append(quoted(r.requestedModel())).append(" → ")
        .append(r.deployment() == null ? "-" : r.deployment().toString()).append(' ')
        .append(r.outcome());
    if (r.refusal() != null) {
      s.append(" by ").append(r.refusal());
    }
    if (r.errorType() != null) {
      s.append(" (").append(r.errorType()).append(')');
    }
    if (r.cacheHit()) {
      s.append(" cache hit");
    }
    s.append(" tokens=").append(r.usage().inputTokens()).append('/')
        .append(r.usage().outputTokens());
    if (r.usage().estimated()) {
      s.append(" (estimated)");
    }
    s.append(" cost=").append(r.cost() == null ? "unknown" : "$" + r.cost().toPlainString())
        .append(" latency=").append(r.latency().toMillis()).append(" ms attempts=")
        .append(r.attempts().size());
    return s.toString();
  }

  private static String status(GatewayException error) {
    Integer status = error.httpStatus();
    return status == null ? "" : ", HTTP " + status;
  }

  private static @Nullable String team(@Nullable Principal principal) {
    return principal == null ? null : principal.teamId();
  }

  /**
   * A caller's text as a line may quote it: at most {@value #MAX_QUOTED} characters, control
   * characters replaced, so it cannot forge a line.
   */
  static String quoted(@Nullable String text) {
    if (text == null) {
      return "-";
    }
    int n = Math.min(text.length(), MAX_QUOTED);
    boolean clean = n == text.length();
    for (int i = 0; clean && i < n; i++) {
      clean = !Character.isISOControl(text.charAt(i));
    }
    if (clean) {
      return text;
    }
    StringBuilder s = new StringBuilder(n + 1);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      s.append(Character.isISOControl(c) ? '?' : c);
    }
    return n < text.length() ? s.append('…').toString() : s.toString();
  }

  private static String prompt(ChatRequest request) {
    List<Message> messages = request.messages();
    StringBuilder s = new StringBuilder();
    for (Message m : messages) {
      if (s.length() > 0) {
        s.append(" | ");
      }
      s.append('[').append(m.role()).append("] ").append(m.text());
    }
    return s.toString();
  }

  /**
   * {@code listener} with this log's lines added before it hears each event: the routing decision,
   * each attempt's end, the call's end. The lines read the call itself (not the listeners' view).
   */
  public GatewayListener around(GatewayListener listener) {
    return new Logging(listener);
  }

  private final class Logging implements GatewayListener {
    private final GatewayListener next;

    Logging(GatewayListener next) {
      this.next = next;
    }

    @Override
    public void onCallStart(CallContext call) {
      next.onCallStart(call);
    }

    @Override
    public void onRouted(CallContext call, List<Deployment> candidates) {
      if (call instanceof Call c) {
        routed(c);
      }
      next.onRouted(call, candidates);
    }

    @Override
    public void onAttemptStart(CallContext call, AttemptContext attempt) {
      next.onAttemptStart(call, attempt);
    }

    @Override
    public void onAttemptStart(CallContext call, AttemptContext attempt,
        GatewayRequest request) {
      next.onAttemptStart(call, attempt, request);
    }

    @Override
    public void onAttemptEnd(CallContext call, Attempt attempt) {
      if (call instanceof Call c) {
        attemptEnded(c, attempt);
      }
      next.onAttemptEnd(call, attempt);
    }

    @Override
    public void onAttemptEnd(CallContext call, AttemptContext context, Attempt attempt,
        @Nullable CallResult answer) {
      if (call instanceof Call c) {
        attemptEnded(c, attempt);
      }
      next.onAttemptEnd(call, context, attempt, answer);
    }

    @Override
    public void onFirstToken(CallContext call, Duration timeToFirstToken) {
      next.onFirstToken(call, timeToFirstToken);
    }

    @Override
    public void onCallEnd(CallContext call, UsageRecord record) {
      ended(record);
      next.onCallEnd(call, record);
    }
  }
}
