package dev.llmgateway.it.chaos;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.GatewayTimeoutException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The counts of a chaos run, read from each call's attempts ({@link Attempt#kind()} and {@link
 * Attempt#outcome()}): attempts by kind and outcome, skips by reason, circuit openings seen in
 * those skips, and where first attempts went. Not thread-safe: built once the run is over.
 */
final class Tally {
  private final Map<Attempt.Kind, Integer> kinds = new EnumMap<>(Attempt.Kind.class);
  private final Map<Attempt.Outcome, Integer> outcomes = new EnumMap<>(Attempt.Outcome.class);
  private final Map<String, Integer> skips = new TreeMap<>();
  private final Set<String> openings = new HashSet<>();
  private final Map<String, Integer> answeredBy = new TreeMap<>();
  private int attempts;
  private int timeouts;
  private int firstAttempts;
  private int firstAtFaulty;
  private int firstFailedAtFaulty;

  /** Counts the attempts of every call; {@code faulty} names the providers that inject faults. */
  static Tally of(List<CallOutcome> calls, Set<String> faulty) {
    Tally t = new Tally();
    for (CallOutcome call : calls) {
      t.add(call, faulty);
    }
    return t;
  }

  private void add(CallOutcome call, Set<String> faulty) {
    ChatResponse response = call.response();
    if (response != null && response.deployment() != null) {
      answeredBy.merge(response.deployment().provider(), 1, Integer::sum);
    }
    for (Attempt a : call.attempts()) {
      if (a.outcome() == Attempt.Outcome.SKIPPED) {
        skip(a);
        continue;
      }
      attempts++;
      kinds.merge(a.kind(), 1, Integer::sum);
      outcomes.merge(a.outcome(), 1, Integer::sum);
      if (GatewayTimeoutException.class.getSimpleName().equals(a.errorType())) {
        timeouts++;
      }
      if (a.number() == 1) {
        firstAttempts++;
        if (faulty.contains(a.deployment().provider())) {
          firstAtFaulty++;
          if (a.outcome() == Attempt.Outcome.FAILED) {
            firstFailedAtFaulty++;
          }
        }
      }
    }
  }

  private void skip(Attempt a) {
    String reason = a.reason() == null ? "" : a.reason();
    String why;
    if (reason.startsWith("circuit open until ")) {
      why = "circuit open";
      String until = reason.substring("circuit open until ".length());
      int space = until.indexOf(' ');
      openings.add(a.deployment() + "@" + (space < 0 ? until : until.substring(0, space)));
    } else if (reason.startsWith("circuit half-open")) {
      why = "half-open";
    } else if (reason.startsWith("cooling down")) {
      why = "cooling down";
    } else {
      why = reason;
    }
    skips.merge(why, 1, Integer::sum);
  }

  /** Attempts of one kind (skips excluded). */
  int kind(Attempt.Kind kind) {
    return kinds.getOrDefault(kind, 0);
  }

  /** Attempts that ended in a timeout of any kind. */
  int timeouts() {
    return timeouts;
  }

  /** The share of first attempts that went to a faulty provider. */
  double firstAtFaultyShare() {
    return firstAttempts == 0 ? 0 : (double) firstAtFaulty / firstAttempts;
  }

  /** Circuit openings seen: distinct (deployment, open-until) pairs in skip reasons. */
  int openingsSeen() {
    return openings.size();
  }

  /** Calls answered by each provider. */
  Map<String, Integer> answeredBy() {
    return answeredBy;
  }

  /** One line per aspect, for the summary block. */
  List<String> lines() {
    int skipped = skips.values().stream().mapToInt(Integer::intValue).sum();
    return List.of(
        "attempts " + attempts + ": first " + kind(Attempt.Kind.FIRST)
            + ", retries " + kind(Attempt.Kind.RETRY)
            + ", failovers " + kind(Attempt.Kind.FAILOVER)
            + ", hedges " + kind(Attempt.Kind.HEDGE)
            + " | succeeded " + outcomes.getOrDefault(Attempt.Outcome.SUCCEEDED, 0)
            + ", failed " + outcomes.getOrDefault(Attempt.Outcome.FAILED, 0)
            + " (timeouts " + timeouts + ")"
            + ", cancelled " + outcomes.getOrDefault(Attempt.Outcome.CANCELLED, 0),
        "skipped " + skipped + " " + skips + "; circuit openings seen " + openingsSeen(),
        String.format(Locale.ROOT,
            "first attempts at a faulty provider %d/%d (%.1f%%), %d of them failed (%.1f%%)",
            firstAtFaulty, firstAttempts, 100 * firstAtFaultyShare(), firstFailedAtFaulty,
            firstAtFaulty == 0 ? 0.0 : 100.0 * firstFailedAtFaulty / firstAtFaulty));
  }
}
