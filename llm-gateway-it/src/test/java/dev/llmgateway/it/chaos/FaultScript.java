package dev.llmgateway.it.chaos;

import dev.llmgateway.Usage;
import dev.llmgateway.testing.wire.MockError;
import dev.llmgateway.testing.wire.MockFault;
import dev.llmgateway.testing.wire.ScriptedMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * A seeded random script for one mock provider: each answer is, with a given probability, a fault
 * drawn uniformly from a list, else the good answer (a streamed text, served whole to a unary
 * request). The mocks answer in arrival order, so a script longer than the requests a run can make
 * makes every run meet the same sequence of answers; the faults actually served are the first
 * {@link #served(ScriptedMockServer) taken} entries. Immutable once drawn.
 */
final class FaultScript {

  /** The faults a chaos run injects, as a provider shows them on the wire. */
  enum Fault {
    /** A 429 whose Retry-After the run chooses. */
    RATE_LIMITED("429+Retry-After"),
    /** 529 at Anthropic; a 503 saying "overloaded" at OpenAI and Gemini. */
    OVERLOADED("529/503 overloaded"),
    /** A plain 503. */
    UNAVAILABLE("503"),
    /** A 500. */
    SERVER_ERROR("500"),
    /** No headers for 60 s: only the attempt (or first-token) timeout ends it. */
    STALL("stall"),
    /** The request is read, then the connection closes without an answer. */
    DROP_BEFORE_HEADERS("drop before headers"),
    /** A stream cut after N of its text events (a unary body cut halfway). */
    CUT_AFTER_EVENTS("cut after N events");

    private final String label;

    Fault(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /**
   * One scripted answer.
   *
   * @param fault the fault, or null for the good answer
   * @param eventsBeforeCut for {@link Fault#CUT_AFTER_EVENTS}, the text events sent before the cut
   */
  record Entry(@Nullable Fault fault, int eventsBeforeCut) {}

  private final List<Entry> entries;

  private FaultScript(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Draws a script.
   *
   * @param seed the random seed
   * @param length how many answers
   * @param faultRate the probability of a fault, in [0, 1]
   * @param faults the faults to draw from, uniformly
   * @param maxEventsBeforeCut the most text events a cut stream sends first (0: always before
   *     its first event, the commit point)
   */
  static FaultScript draw(long seed, int length, double faultRate, List<Fault> faults,
      int maxEventsBeforeCut) {
    Random random = new Random(seed);
    List<Entry> entries = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      if (random.nextDouble() < faultRate) {
        Fault fault = faults.get(random.nextInt(faults.size()));
        int before = fault == Fault.CUT_AFTER_EVENTS ? random.nextInt(maxEventsBeforeCut + 1) : 0;
        entries.add(new Entry(fault, before));
      } else {
        entries.add(new Entry(null, 0));
      }
    }
    return new FaultScript(entries);
  }

  /**
   * Queues the whole script on a mock.
   *
   * @param deltas the good answer's text, one piece per stream event
   * @param retryAfter the delay a rate-limit answer asks for
   */
  void scriptOnto(ScriptedMockServer<?> server, List<String> deltas, Usage usage,
      Duration retryAfter) {
    for (Entry e : entries) {
      Fault fault = e.fault();
      if (fault == null) {
        server.streamText(deltas, usage);
        continue;
      }
      switch (fault) {
        case RATE_LIMITED:
          server.rateLimited(retryAfter);
          break;
        case OVERLOADED:
          server.error(MockError.OVERLOADED);
          break;
        case UNAVAILABLE:
          server.error(MockError.UNAVAILABLE);
          break;
        case SERVER_ERROR:
          server.error(MockError.SERVER_ERROR);
          break;
        case STALL:
          server.fault(MockFault.STALL_BEFORE_HEADERS, List.of());
          break;
        case DROP_BEFORE_HEADERS:
          server.fault(MockFault.DROP_BEFORE_HEADERS, List.of());
          break;
        default:
          server.fault(MockFault.DROP_MID_STREAM, deltas.subList(0, e.eventsBeforeCut()));
          break;
      }
    }
  }

  /** How many answers the script holds. */
  int length() {
    return entries.size();
  }

  /** How many of its answers are faults. */
  int faults() {
    return (int) entries.stream().filter(e -> e.fault() != null).count();
  }

  /** How many answers the server has handed out (the script's first ones). */
  int taken(ScriptedMockServer<?> server) {
    return entries.size() - server.unconsumed();
  }

  /** The faults among the answers the server has handed out, by kind. */
  Map<Fault, Integer> served(ScriptedMockServer<?> server) {
    Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    for (Entry e : entries.subList(0, taken(server))) {
      Fault fault = e.fault();
      if (fault != null) {
        counts.merge(fault, 1, Integer::sum);
      }
    }
    return counts;
  }
}
