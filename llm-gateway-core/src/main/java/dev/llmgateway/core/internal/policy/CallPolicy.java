package dev.llmgateway.core.internal.policy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.Message;
import dev.llmgateway.PolicyVerdict;
import dev.llmgateway.PolicyViolationException;
import dev.llmgateway.ToolCall;
import dev.llmgateway.UsageRecord;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.CallLog;
import dev.llmgateway.core.policy.ContentPolicy;
import dev.llmgateway.core.policy.InjectionPolicy;
import dev.llmgateway.core.policy.PiiPolicy;
import dev.llmgateway.core.policy.PolicyAction;
import dev.llmgateway.core.policy.PolicyMode;
import dev.llmgateway.core.policy.PolicySet;
import dev.llmgateway.core.policy.RequestTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One call under one {@link PolicySet}: runs the input policies over its request and the output
 * policies over its answer, and holds the call's {@link Vault}. Made on the calling thread by the
 * policy step; a streamed answer's {@link PolicyStream} then reads it from the stream's thread
 * (the vault is no longer written by then).
 */
final class CallPolicy {
  static final String PII = "pii";
  static final String PII_OUTPUT = "pii-output";
  static final String INJECTION = "prompt-injection";
  static final String CONTENT = "content-filter";
  static final String CONTENT_OUTPUT = "content-filter-output";

  final Call call;
  final PolicySet set;
  final boolean enforce;
  private @Nullable Vault vault;

  CallPolicy(Call call, PolicySet set) {
    this.call = call;
    this.set = set;
    this.enforce = set.mode() == PolicyMode.ENFORCE;
  }

  /** Uses {@code vault} as the call's (its values filled by whoever made it). */
  void useVault(Vault vault) {
    this.vault = vault;
  }

  /** The call's vault, or null when nothing was put in it. */
  @Nullable Vault vault() {
    Vault v = vault;
    return v == null || v.isEmpty() ? null : v;
  }

  // ------------------------------------------------------------------------------------ input

  /**
   * The request after the input policies: PII redaction, then the content filter and the
   * injection scan over the redacted request (a moderation provider and a classifier send text
   * out of the JVM), then the transformation.
   *
   * @throws PolicyViolationException when a policy blocks the call (the call is refused)
   */
  ChatRequest input(ChatRequest request, Classifiers classifiers) {
    ChatRequest out = request;
    PiiPolicy pii = set.pii();
    if (pii != null) {
      out = redact(request, pii);
    }
    // on the redacted request: a moderation provider and a classifier send it out of the JVM
    ContentPolicy content = set.content();
    if (content != null && content.checksInput()) {
      ContentChecks.input(this, out, content);
    }
    InjectionPolicy injection = set.injection();
    if (injection != null) {
      InjectionChecks.input(this, out, injection, classifiers);
    }
    RequestTransform transform = set.transform();
    if (transform != null && enforce) {
      out = transform.apply(out);
    }
    return out;
  }

  /** An embedding request after PII redaction, then the content filter over the redacted inputs. */
  EmbeddingRequest input(EmbeddingRequest request) {
    EmbeddingRequest out = request;
    PiiPolicy pii = set.pii();
    if (pii != null) {
      List<String> texts = request.inputs();
      Vault v = vault(pii, candidate -> {
        for (String t : texts) {
          if (t.contains(candidate)) {
            return true;
          }
        }
        return false;
      });
      Tally tally = new Tally();
      List<String> inputs = new ArrayList<>(request.inputs().size());
      boolean changed = false;
      for (String text : request.inputs()) {
        String r = redactText(text, pii, v, tally);
        changed |= r != text;
        inputs.add(r);
      }
      piiVerdict(tally);
      if (changed) {
        out = new EmbeddingRequest(request.model(), inputs, request.dimensions(),
            request.options(), request.providerExtras(), request.extraHeaders());
      }
    }
    ContentPolicy content = set.content();
    if (content != null && content.checksInput()) {
      ContentChecks.texts(this, out.inputs(), content, CONTENT);
    }
    return out;
  }

  private ChatRequest redact(ChatRequest request, PiiPolicy pii) {
    List<Message> messages = request.messages();
    Vault v = vault(pii, new Taken(messages));
    Tally tally = new Tally();
    Redaction redaction = new Redaction(pii, v, tally);
    List<Message> out = null;
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      Message r = Texts.map(m, redaction);
      if (r != m && out == null) {
        out = new ArrayList<>(messages.size());
        for (int j = 0; j < i; j++) {
          out.add(messages.get(j));
        }
      }
      if (out != null) {
        out.add(r);
      }
    }
    piiVerdict(tally);
    return out == null ? request : request.withMessages(out);
  }

  /** The redaction of one request's texts: tool-call arguments are redacted as text is. */
  private final class Redaction implements Texts.Rewrite {
    private final PiiPolicy pii;
    private final Vault vault;
    private final Tally tally;

    Redaction(PiiPolicy pii, Vault vault, Tally tally) {
      this.pii = pii;
      this.vault = vault;
      this.tally = tally;
    }

    @Override
    public String text(String text) {
      return redactText(text, pii, vault, tally);
    }

    @Override
    public String arguments(String arguments) {
      return redactText(arguments, pii, vault, tally);
    }
  }

  private String redactText(String text, PiiPolicy pii, Vault v, Tally tally) {
    try {
      return Redactor.input(text, pii, v, tally, enforce);
    } catch (IllegalArgumentException tooLong) {
      throw tooLong(PII, tooLong);
    }
  }

  private Vault vault(PiiPolicy pii, Predicate<String> taken) {
    Vault v = new Vault(pii.maxPlaceholders(), taken);
    this.vault = v;
    return v;
  }

  /**
   * Whether a text part or tool-call argument of a request's messages holds a candidate
   * placeholder. A request none of whose texts holds a {@code <} (found by the first question)
   * holds no placeholder: then no text is searched again.
   */
  private static final class Taken implements Predicate<String> {
    private final List<Message> messages;
    private boolean anyAngle = true;
    private boolean looked;

    Taken(List<Message> messages) {
      this.messages = messages;
    }

    @Override
    public boolean test(String candidate) {
      if (!looked) {
        looked = true;
        anyAngle = holds(messages, "<");
      }
      return anyAngle && holds(messages, candidate);
    }
  }

  /** Whether a text part or tool-call argument of {@code messages} holds {@code candidate}. */
  private static boolean holds(List<Message> messages, String candidate) {
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      List<ContentPart> content = m.content();
      for (int j = 0; j < content.size(); j++) {
        if (content.get(j) instanceof ContentPart.Text t && t.text().contains(candidate)) {
          return true;
        }
      }
      List<ToolCall> calls = m.toolCalls();
      for (int j = 0; j < calls.size(); j++) {
        if (calls.get(j).arguments().contains(candidate)) {
          return true;
        }
      }
    }
    return false;
  }

  private void piiVerdict(Tally tally) {
    if (tally.isEmpty()) {
      return;
    }
    if (tally.blocks()) {
      verdict(PII, "blocked", tally.detail());
      if (enforce) {
        throw refuse("the request contains PII the policy set '" + set.name() + "' blocks ("
            + tally.blockedDetail() + "): remove it, or change the PiiPolicy's action");
      }
      return;
    }
    verdict(PII, tally.changes() ? "redacted" : "flagged", tally.detail());
  }

  // ----------------------------------------------------------------------------------- output

  /**
   * A unary answer after the output policies: content filter, the PII scan of what the model
   * wrote, then the placeholders restored (text and tool-call arguments).
   *
   * @throws PolicyViolationException when a policy blocks the answer (the call is refused; its
   *     tokens are metered all the same)
   */
  ChatResponse output(ChatResponse response) {
    CallLog.redactedAnswer(call, response.text());
    ContentPolicy content = set.content();
    if (content != null && content.checksOutput()) {
      ContentChecks.output(this, response, content);
    }
    Message m = response.message();
    Message out = m;
    PiiPolicy pii = set.pii();
    if (pii != null && pii.scanOutput()) {
      out = scanOutput(out, pii);
    }
    Vault v = vault();
    if (v != null) {
      out = restore(out, v);
    }
    return out == m ? response : response.withMessage(out);
  }

  private Message scanOutput(Message m, PiiPolicy pii) {
    Tally tally = new Tally();
    Message out = Texts.map(m, new OutputScan(pii, tally));
    outputVerdict(tally);
    return out;
  }

  /**
   * The PII scan of an answer's texts: tool-call arguments are counted, not masked (they are the
   * tool's input).
   */
  private final class OutputScan implements Texts.Rewrite {
    private final PiiPolicy pii;
    private final Tally tally;

    OutputScan(PiiPolicy pii, Tally tally) {
      this.pii = pii;
      this.tally = tally;
    }

    @Override
    public String text(String text) {
      return scanText(text, pii, tally, enforce);
    }

    @Override
    public String arguments(String arguments) {
      scanText(arguments, pii, tally, false);
      return arguments;
    }
  }

  private String scanText(String text, PiiPolicy pii, Tally tally, boolean apply) {
    try {
      return Redactor.output(text, pii, tally, apply);
    } catch (IllegalArgumentException tooLong) {
      throw tooLong(PII_OUTPUT, tooLong);
    }
  }

  /** Records the output scan's verdict; refuses the call when a kind found blocks. */
  void outputVerdict(Tally tally) {
    if (tally.isEmpty()) {
      return;
    }
    if (tally.blocks()) {
      verdict(PII_OUTPUT, "blocked", tally.detail());
      if (enforce) {
        throw refuse("the answer contains PII or a secret the policy set '" + set.name()
            + "' blocks (" + tally.blockedDetail() + ")");
      }
      return;
    }
    verdict(PII_OUTPUT, tally.changes() ? "masked" : "flagged", tally.detail());
  }

  /** {@code m} with the vault's values in place of its placeholders. */
  static Message restore(Message m, Vault v) {
    return Texts.map(m, new Restoration(v));
  }

  /** The restoration of a message's texts: in tool-call arguments as the inside of JSON strings. */
  private static final class Restoration implements Texts.Rewrite {
    private final Vault vault;

    Restoration(Vault vault) {
      this.vault = vault;
    }

    @Override
    public String text(String text) {
      return Restorer.restore(text, vault, false);
    }

    @Override
    public String arguments(String arguments) {
      return Restorer.restore(arguments, vault, true);
    }
  }

  // ---------------------------------------------------------------------------------- verdicts

  /**
   * Records a verdict; in monitor mode {@code blocked} reads {@code would-block} and so on (a flag
   * changes nothing, so it reads {@code flagged} in both modes).
   */
  void verdict(String policy, String verdict, @Nullable String detail) {
    call.verdict(new PolicyVerdict(policy,
        enforce || verdict.equals("flagged") ? verdict : "would-" + base(verdict), detail));
  }

  private static String base(String verdict) {
    return switch (verdict) {
      case "blocked" -> "block";
      case "redacted" -> "redact";
      case "masked" -> "mask";
      default -> verdict;
    };
  }

  /** Marks the call refused by a policy and returns the exception to throw. */
  PolicyViolationException refuse(String message) {
    call.refuse(UsageRecord.Refusal.POLICY);
    return new PolicyViolationException(message);
  }

  /**
   * A text a scanner refused (longer than it scans): the call is refused, naming the policy and
   * the scanner's limit (its message names the limit, never the text).
   */
  PolicyViolationException tooLong(String policy, IllegalArgumentException e) {
    return refuse("a text of the request is more than policy '" + policy + "' of the policy set '"
        + set.name() + "' scans (" + e.getMessage() + "): shorten it");
  }

  /** Whether a finding with {@code action} stops the call. */
  boolean blocks(PolicyAction action) {
    return enforce && action == PolicyAction.BLOCK;
  }

  @Override
  public String toString() {
    return "CallPolicy[" + set.name() + ", " + (enforce ? "enforced" : "monitored") + ", "
        + (vault == null ? "no vault" : vault) + "]";
  }
}
