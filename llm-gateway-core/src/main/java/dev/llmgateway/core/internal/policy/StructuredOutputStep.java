package dev.llmgateway.core.internal.policy;

import dev.llmgateway.CallResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.core.internal.call.Call;
import dev.llmgateway.core.internal.call.Step;
import dev.llmgateway.core.policy.StructuredOutputCheck;

/**
 * The structured-output check, the last step before execute: a unary call the policy step marked
 * ({@link StructuredCheck}) has its answer checked against the request's JSON schema ({@link
 * SchemaCheck}); a miss is asked for once more with the validation errors ({@link
 * StructuredOutputCheck#RETRY_ONCE}) — a second run of execute inside the same call, so its
 * attempts join the call's one usage record and grow its one budget reservation — or refused. A
 * refusal is {@code Call.refuse(POLICY)} with a {@link dev.llmgateway.PolicyViolationException}
 * naming the paths and keywords that failed, never the answer's values. Sitting below the cache, it
 * lets only answers that passed be cached.
 *
 * <p>Thread-safe; the compiled schemas are cached by {@link SchemaCheck}.
 */
public final class StructuredOutputStep implements Step {
  static final String POLICY = "structured-output";
  private final SchemaCheck schemas;

  /** The step, with its own schema cache. */
  public StructuredOutputStep() {
    this.schemas = new SchemaCheck();
  }

  @Override
  public CallResult intercept(Chain chain) {
    Call call = (Call) chain.call();
    StructuredCheck check = call.tag(StructuredCheck.class);
    ChatRequest request = (ChatRequest) chain.request();
    if (check == null) {
      return chain.proceed(request);
    }
    ResponseFormat format = request.responseFormat();
    if (format != null) {
      schemas.prepare(format); // a schema it cannot use fails before the provider is paid
    }
    CallResult result = chain.proceed(request);
    if (format == null || !(result instanceof ChatResponse first)) {
      return result;
    }
    SchemaCheck.Result verdict = schemas.check(format, first.text());
    if (verdict.isValid()) {
      return first;
    }
    CallPolicy policy = check.policy();
    if (check.check() != StructuredOutputCheck.RETRY_ONCE || !policy.enforce) {
      policy.verdict(POLICY, "blocked", verdict.toString());
      if (policy.enforce) {
        throw policy.refuse("the answer does not match the request's JSON schema ("
            + verdict.toString() + ")");
      }
      return first;
    }
    ChatRequest retry = request.toBuilder()
        .message(Message.assistant(first.text()))
        .message(Message.user(schemas.retryMessage(verdict)))
        .build();
    CallResult again = chain.proceed(retry);
    if (!(again instanceof ChatResponse second)) {
      return again;
    }
    SchemaCheck.Result last = schemas.check(format, second.text());
    if (last.isValid()) {
      policy.verdict(POLICY, "retried", verdict.toString());
      return second;
    }
    policy.verdict(POLICY, "blocked", "after one retry: " + last.toString());
    throw policy.refuse("the answer does not match the request's JSON schema, also after one"
        + " retry (" + last.toString() + ")");
  }
}
