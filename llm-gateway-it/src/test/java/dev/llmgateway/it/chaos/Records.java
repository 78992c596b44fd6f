package dev.llmgateway.it.chaos;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.UsageRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A chaos run's usage records against what its callers received: one record per call, found by
 * the answer's call id or, for a failure, by the attempts the caller was told of, with the
 * caller's outcome, tokens and cost.
 */
final class Records {
  private Records() {}

  /** What does not match, one line each; empty when every call has its one matching record. */
  static List<String> mismatches(List<CallOutcome> calls, List<UsageRecord> records) {
    List<String> problems = new ArrayList<>();
    Map<String, UsageRecord> byId = new HashMap<>();
    for (UsageRecord r : records) {
      if (byId.put(r.callId(), r) != null) {
        problems.add("two records of call " + r.callId());
      }
    }
    Set<String> matched = new HashSet<>();
    for (CallOutcome call : calls) {
      UsageRecord r = find(call, records, byId, matched);
      if (r == null) {
        problems.add("no record of " + call);
        continue;
      }
      if (!matched.add(r.callId())) {
        problems.add("one record for two calls: " + r.callId());
      }
      String mismatch = compare(call, r);
      if (mismatch != null) {
        problems.add(mismatch + " in the record of " + call);
      }
    }
    if (records.size() != calls.size()) {
      problems.add(records.size() + " records for " + calls.size() + " calls");
    }
    return problems;
  }

  /** The call's record: by call id, else the first not yet matched with the caller's attempts. */
  private static @Nullable UsageRecord find(CallOutcome call, List<UsageRecord> records,
      Map<String, UsageRecord> byId, Set<String> matched) {
    ChatResponse response = call.response();
    if (response != null) {
      return response.callId() == null ? null : byId.get(response.callId());
    }
    List<Attempt> attempts = call.attempts();
    if (attempts.isEmpty()) {
      return null;
    }
    UsageRecord taken = null;
    for (UsageRecord r : records) {
      if (r.attempts().equals(attempts)) {
        if (!matched.contains(r.callId())) {
          return r;
        }
        taken = r;
      }
    }
    return taken; // reported as one record for two calls
  }

  private static @Nullable String compare(CallOutcome call, UsageRecord r) {
    ChatResponse response = call.response();
    if (response != null) {
      if (r.outcome() != UsageRecord.Outcome.SUCCEEDED) {
        return "outcome " + r.outcome();
      }
      if (!r.usage().equals(response.usage())) {
        return "usage " + r.usage() + " for " + response.usage();
      }
      return Objects.equals(r.cost(), response.cost()) ? null
          : "cost " + r.cost() + " for " + response.cost();
    }
    UsageRecord.Outcome failedAs = call.failed() != null && call.failed().committed()
        ? UsageRecord.Outcome.STREAM_FAILED : UsageRecord.Outcome.FAILED;
    if (r.outcome() != failedAs) {
      return "outcome " + r.outcome();
    }
    if (call.failed() != null && !r.usage().equals(call.failed().usage())) {
      return "usage " + r.usage() + " for " + call.failed().usage();
    }
    if (call.failure() != null
        && !call.failure().getClass().getSimpleName().equals(r.errorType())) {
      return "error " + r.errorType() + " for " + call.failure().getClass().getSimpleName();
    }
    return null;
  }
}
