package dev.llmgateway.core.internal.policy;

import dev.llmgateway.CallKind;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.GatewayRequest;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.CallLog;
import dev.llmgateway.core.internal.call.Step;
import dev.llmgateway.core.policy.Policies;
import dev.llmgateway.core.policy.PolicySet;
import dev.llmgateway.core.policy.StructuredOutputCheck;

/**
 * The policy step, after access and before rate limits, cache and routing: picks the call's
 * {@link PolicySet} ({@link Policies#resolve}), runs its input policies over the request (a block
 * refuses the call: {@code Call.refuse(POLICY)} and a {@link
 * dev.llmgateway.PolicyViolationException}), passes the redacted, transformed request on, and runs
 * the output policies over what comes back: a unary answer before it is returned, a stream as it
 * passes ({@link PolicyStream}). Everything after this step — rate limits' token counts, the cache,
 * the listeners' attempt events, the transports, the provider — sees only the redacted request, and
 * the cache keeps answers with their placeholders; the caller alone gets the values back.
 *
 * <p>A request for a JSON-schema answer under a set with a {@link StructuredOutputCheck} leaves a
 * {@link StructuredCheck} for {@link StructuredOutputStep}, which sits just above execute.
 *
 * <p>Thread-safe: one instance serves every call; the per-call state is a {@link CallPolicy}.
 */
public final class PolicyInterceptor implements Step {
  private final Policies policies;
  private final Classifiers classifiers = new Classifiers();

  /** The step over {@code policies}. */
  public PolicyInterceptor(Policies policies) {
    this.policies = policies;
  }

  /** The gateway this step's policies call models through (set once the chain is built). */
  public void gateway(Gateway gateway) {
    classifiers.gateway(gateway);
  }

  /** Whether any set of {@code policies} checks structured output (so the check's step is needed). */
  public static boolean checksStructuredOutput(Policies policies) {
    if (policies.defaults().structuredOutput() != StructuredOutputCheck.OFF) {
      return true;
    }
    for (PolicySet set : policies.teams().values()) {
      if (set.structuredOutput() != StructuredOutputCheck.OFF) {
        return true;
      }
    }
    for (PolicySet set : policies.aliases().values()) {
      if (set.structuredOutput() != StructuredOutputCheck.OFF) {
        return true;
      }
    }
    return false;
  }

  @Override
  public CallResult intercept(Chain chain) {
    GatewayRequest request = chain.request();
    if (Bypass.active()) {
      return chain.proceed(request);
    }
    Call call = (Call) chain.call();
    PolicySet set = policies.resolve(call.principal(), request.model());
    if (set.isEmpty()) { // the content logger is this step's in a gateway with policies
      if (request instanceof ChatRequest chat) {
        CallLog.redactedPrompt(call, chat);
      }
      CallResult result = chain.proceed(request);
      if (result instanceof ChatResponse response) {
        CallLog.redactedAnswer(call, response.text());
      }
      return result;
    }
    CallPolicy policy = new CallPolicy(call, set);
    if (request instanceof EmbeddingRequest embedding) {
      return chain.proceed(policy.input(embedding));
    }
    ChatRequest chat = policy.input((ChatRequest) request, classifiers);
    CallLog.redactedPrompt(call, chat);
    ResponseFormat format = chat.responseFormat();
    if (set.structuredOutput() != StructuredOutputCheck.OFF && call.kind() == CallKind.CHAT
        && format != null && format.type() == ResponseFormat.Type.JSON_SCHEMA) {
      call.tag(StructuredCheck.class, new StructuredCheck(policy, set.structuredOutput()));
    }
    CallResult result = chain.proceed(chat);
    if (result instanceof ChatStream stream) {
      return new PolicyStream(stream, policy);
    }
    if (result instanceof ChatResponse response) {
      return policy.output(response);
    }
    return result;
  }
}
