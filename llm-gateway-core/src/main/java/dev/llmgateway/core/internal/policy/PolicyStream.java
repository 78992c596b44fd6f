package dev.llmgateway.core.internal.policy;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentFilteredException;
import dev.llmgateway.GatewayException;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.core.internal.call.ForwardingStream;
import dev.llmgateway.core.policy.ContentPolicy;
import dev.llmgateway.core.policy.PiiPolicy;
import dev.llmgateway.core.policy.PolicyAction;
import dev.llmgateway.core.policy.content.ContentFilter;
import dev.llmgateway.core.policy.content.ContentHit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The output policies on a streamed answer, as it passes: placeholders restored in text and in
 * tool-call arguments (a placeholder split across chunks is held back until it is whole, never
 * more than a placeholder's length), the content filter over a sliding window of the text, and at
 * the end the PII scan of what the model wrote (flagged: the text has gone out).
 *
 * <p>A content-filter hit cancels the provider's stream and ends the caller's with {@link
 * ChatEvent.Failed}: carrying a {@link dev.llmgateway.PolicyViolationException} (the call refused)
 * when no content had reached the caller yet, a {@link ContentFilteredException} after.
 *
 * <p>Demand: each upstream event becomes at most one event downstream, except at the end, where
 * held-back text goes out before the final event; when the caller has not asked for that second
 * event yet, the final event waits for its request. Upstream signals arrive in order on one thread
 * at a time; {@link #request} may come from any thread. The per-event path takes no lock; only the
 * rare wait for that last request does.
 */
final class PolicyStream extends ForwardingStream {
  /** The most tool calls of one answer whose arguments are restored; later ones pass as they are. */
  private static final int MAX_TOOL_CALLS = 256;

  private final CallPolicy policy;
  private final @Nullable Vault vault;
  private final Restorer.@Nullable Streamed text;
  private final @Nullable Map<Integer, Restorer.Streamed> tools;
  private final ContentFilter.@Nullable Window window;
  private final @Nullable PolicyAction contentAction;
  /** Events the caller asked for and has not been given. */
  private final AtomicLong outstanding = new AtomicLong();
  private volatile boolean ending;
  private int deliveredEvents;
  private long deliveredChars;
  private boolean done;
  private boolean hitEnded;
  /** Guarded by this: the final event waiting for the caller's request, and whether onComplete does. */
  private @Nullable ChatEvent waiting;
  private boolean completeWaiting;

  PolicyStream(ChatStream upstream, CallPolicy policy) {
    super(upstream);
    this.policy = policy;
    this.vault = policy.vault();
    this.text = vault == null ? null : new Restorer.Streamed(vault, false);
    this.tools = vault == null ? null : new HashMap<>();
    ContentPolicy content = policy.set.content();
    ContentFilter filter = content == null || !content.checksOutput() ? null : content.filter();
    this.window = filter == null ? null : filter.window();
    this.contentAction = content == null ? null : content.action();
  }

  @Override
  public void request(long n) {
    if (n > 0) {
      outstanding.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
    }
    if (ending) {
      drain();
    }
    super.request(n);
  }

  @Override
  public void onNext(ChatEvent event) {
    if (done) {
      return;
    }
    if (event instanceof ChatEvent.TextDelta d) {
      if (window != null) {
        ContentHit hit = windowed(d.text());
        if (hit != null && hit(hit)) {
          return;
        }
      }
      String out = text == null ? d.text() : text.push(d.text());
      if (out.isEmpty()) {
        super.request(1); // held back whole: the caller still waits for an event
        return;
      }
      emit(out == d.text() ? d : new ChatEvent.TextDelta(out));
    } else if (event instanceof ChatEvent.ToolCallDelta d && tools != null) {
      Restorer.Streamed r = tools.get(d.index());
      if (r == null && tools.size() < MAX_TOOL_CALLS) {
        r = new Restorer.Streamed(vault, true);
        tools.put(d.index(), r);
      }
      String args = r == null ? d.argumentsFragment() : r.push(d.argumentsFragment());
      emit(args == d.argumentsFragment() ? d : new ChatEvent.ToolCallDelta(d.index(), d.id(),
          d.name(), args, d.signature(), d.signatureFormat()));
    } else if (event instanceof ChatEvent.Completed c) {
      completed(c);
    } else if (event instanceof ChatEvent.Failed) {
      done = true;
      emit(event);
    } else {
      emit(event);
    }
  }

  /** The window's first hit with {@code chunk} read (null at the end), a filter failure as a hit. */
  private @Nullable ContentHit windowed(@Nullable String chunk) {
    try {
      return chunk == null ? window.finish() : window.append(chunk);
    } catch (RuntimeException undecided) { // a pattern past its budget: fail closed
      return new ContentHit("undecided", 0, 1);
    }
  }

  private void completed(ChatEvent.Completed c) {
    if (window != null) {
      ContentHit hit = windowed(null);
      if (hit != null && hit(hit)) {
        return;
      }
    }
    done = true;
    ChatResponse response = c.response();
    PiiPolicy pii = policy.set.pii();
    if (pii != null && pii.scanOutput()) {
      Tally tally = new Tally();
      try {
        Redactor.output(response.text(), pii, tally, false);
        // the text has gone out: a stream's findings are recorded, never blocked or masked
        if (!tally.isEmpty()) {
          policy.verdict(CallPolicy.PII_OUTPUT, "flagged", tally.detail());
        }
      } catch (IllegalArgumentException tooLong) {
        policy.verdict(CallPolicy.PII_OUTPUT, "skipped", "the answer is longer than the scanner"
            + " scans");
      }
    }
    if (vault != null) {
      Message restored = CallPolicy.restore(response.message(), vault);
      if (restored != response.message()) {
        response = response.toBuilder().message(restored).build();
      }
    }
    ChatEvent end = response == c.response() ? c : new ChatEvent.Completed(response);
    String tail = text == null ? "" : text.flush();
    if (tail.isEmpty()) {
      emit(end);
      return;
    }
    emit(new ChatEvent.TextDelta(tail));
    synchronized (this) {
      waiting = end;
    }
    ending = true;
    drain();
  }

  /** Ends the stream on a content-filter hit; false when the policy only flags. */
  private boolean hit(ContentHit hit) {
    String detail = "categories " + hit.category();
    boolean block = policy.blocks(contentAction == null ? PolicyAction.BLOCK : contentAction);
    policy.verdict(CallPolicy.CONTENT_OUTPUT,
        contentAction == PolicyAction.FLAG ? "flagged" : "blocked", detail);
    if (!block) {
      return false;
    }
    done = true;
    cancelUpstream();
    String message = "the answer was blocked by policy '" + CallPolicy.CONTENT_OUTPUT
        + "' of the policy set '" + policy.set.name() + "' (" + detail + ")";
    GatewayException error = deliveredEvents == 0 ? policy.refuse(message)
        : new ContentFilteredException(message + " after part of it had reached the caller");
    emit(new ChatEvent.Failed(error, deliveredEvents, deliveredChars, Usage.ZERO,
        policy.call.attempts()));
    hitEnded = true;
    downstream().onComplete();
    return true;
  }

  private void emit(ChatEvent event) {
    outstanding.decrementAndGet();
    if (event.isContent()) {
      deliveredEvents++;
      if (event instanceof ChatEvent.TextDelta d) {
        deliveredChars += d.text().length();
      }
    }
    downstream().onNext(event);
  }

  /** Sends the waiting final event (and the completion) once the caller has asked for it. */
  private void drain() {
    synchronized (this) {
      ChatEvent e = waiting;
      if (e == null || outstanding.get() <= 0) {
        return;
      }
      waiting = null;
      emit(e);
      if (completeWaiting) {
        completeWaiting = false;
        downstream().onComplete();
      }
    }
  }

  @Override
  public void onError(Throwable t) {
    if (!hitEnded) {
      super.onError(t);
    }
  }

  @Override
  public void onComplete() {
    if (hitEnded) {
      return; // ended by the filter, which completed the caller's stream itself
    }
    if (!ending) {
      super.onComplete();
      return;
    }
    synchronized (this) {
      if (waiting != null) {
        completeWaiting = true;
      } else {
        super.onComplete();
      }
    }
  }

  @Override
  public String toString() {
    return "PolicyStream[" + policy + "]";
  }
}
