package dev.llmgateway.benchmarks.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.benchmarks.load.Report.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A run's per-round figures by place (mode and callers) and arm, the input of the {@link
 * Targets}: read from this run's rounds ({@link #of}) or from the {@code load.json} of a previous
 * run ({@link #read}), so that a target computes its figure the same way from both. Each figure
 * is a number per round under the key {@link Report#json()} writes it with ({@code
 * requestsPerSecond}, {@code p50Micros}, {@code p99Micros}, {@code cpuMicrosPerRequest}, {@code
 * bytesPerRequest}, {@code firstEventP50Micros} for streams; {@code latenessP50Micros}, {@code
 * latenessP99Micros} and {@code events} for the paced mode). Immutable.
 */
final class Figures {
  static final String REQUESTS_PER_SECOND = "requestsPerSecond";
  static final String P50 = "p50Micros";
  static final String P99 = "p99Micros";
  static final String CPU = "cpuMicrosPerRequest";
  static final String BYTES = "bytesPerRequest";
  static final String FIRST_EVENT_P50 = "firstEventP50Micros";
  static final String LATENESS_P50 = "latenessP50Micros";
  static final String LATENESS_P99 = "latenessP99Micros";
  static final String EVENTS = "events";

  private final String label;
  private final Map<Place, Map<String, Arm>> places;

  /** A mode ({@code chat}, {@code stream}, {@code paced}) and a number of callers. */
  record Place(String mode, int callers) {}

  /**
   * One arm's rounds at one place: its failed calls over all rounds and, by key, one value per
   * round (a key is there only if every round has it).
   */
  record Arm(long errors, Map<String, double[]> perRound) {
    Arm {
      perRound = Map.copyOf(perRound);
    }

    /** The figure's value per round, or null if the rounds lack it. */
    double @Nullable [] values(String key) {
      double[] v = perRound.get(key);
      return v == null ? null : v.clone();
    }
  }

  private Figures(String label, Map<Place, Map<String, Arm>> places) {
    this.label = label;
    this.places = places;
  }

  /** The figures of this run's configurations. */
  static Figures of(List<Config> configs) {
    Map<Place, Map<String, Arm>> places = new LinkedHashMap<>();
    for (Config c : configs) {
      Map<String, List<Lateness.Percentiles>> late = c.paced() ? Lateness.of(c.rounds()) : null;
      Map<String, Arm> arms = new LinkedHashMap<>();
      for (Map.Entry<String, List<Round.Result>> e : c.rounds().entrySet()) {
        List<Round.Result> rounds = e.getValue();
        int n = rounds.size();
        Map<String, double[]> values = new LinkedHashMap<>();
        double[] rps = new double[n];
        double[] p50 = new double[n];
        double[] p99 = new double[n];
        double[] cpu = new double[n];
        double[] bytes = new double[n];
        double[] firstEvent = new double[n];
        boolean streamed = true;
        long errors = 0;
        for (int i = 0; i < n; i++) {
          Round.Result r = rounds.get(i);
          errors += r.errors();
          rps[i] = r.requestsPerSecond();
          p50[i] = Round.Result.micros(r.latency(), 50);
          p99[i] = Round.Result.micros(r.latency(), 99);
          cpu[i] = r.cpuMicrosPerRequest();
          bytes[i] = r.bytesPerRequest();
          if (r.firstEvent() == null) {
            streamed = false;
          } else {
            firstEvent[i] = Round.Result.micros(r.firstEvent(), 50);
          }
        }
        values.put(REQUESTS_PER_SECOND, rps);
        values.put(P50, p50);
        values.put(P99, p99);
        values.put(CPU, cpu);
        values.put(BYTES, bytes);
        if (streamed && !c.mode().equals("chat")) {
          values.put(FIRST_EVENT_P50, firstEvent);
        }
        if (late != null) {
          List<Lateness.Percentiles> l = late.get(e.getKey());
          values.put(LATENESS_P50,
              l.stream().mapToDouble(Lateness.Percentiles::p50Micros).toArray());
          values.put(LATENESS_P99,
              l.stream().mapToDouble(Lateness.Percentiles::p99Micros).toArray());
          values.put(EVENTS, l.stream().mapToDouble(Lateness.Percentiles::events).toArray());
        }
        arms.put(e.getKey(), new Arm(errors, values));
      }
      places.put(new Place(c.mode(), c.callers()), arms);
    }
    return new Figures("this run", places);
  }

  /**
   * The figures of a previous run from the {@code load.json} it wrote; named after the file's
   * name and the run's date.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is not JSON, or has no {@code configs} array
   */
  static Figures read(Path file) throws IOException {
    return parse(Files.readString(file), String.valueOf(file.getFileName()));
  }

  /**
   * The figures in a {@code load.json}'s text; {@code name} names it in the label.
   *
   * @throws IllegalArgumentException if it is not JSON, or has no {@code configs} array
   */
  static Figures parse(String json, String name) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("--previous: " + name + " is not JSON: "
          + e.getOriginalMessage(), e);
    }
    JsonNode configs = root == null ? null : root.get("configs");
    if (configs == null || !configs.isArray()) {
      throw new IllegalArgumentException("--previous: " + name + " has no 'configs' array;"
          + " is it a load.json written by LoadRunner?");
    }
    Map<Place, Map<String, Arm>> places = new LinkedHashMap<>();
    for (JsonNode config : configs) {
      Map<String, Arm> arms = new LinkedHashMap<>();
      for (JsonNode arm : config.path("arms")) {
        arms.put(arm.path("arm").asText(), arm(arm.path("errors").asLong(), arm.path("rounds")));
      }
      places.put(new Place(config.path("mode").asText(), config.path("callers").asInt()), arms);
    }
    String date = root.path("date").asText("");
    return new Figures("`" + name + "`" + (date.isEmpty() ? "" : " of " + date), places);
  }

  /** An arm's rounds from JSON: every number that all of its rounds carry. */
  private static Arm arm(long errors, JsonNode rounds) {
    Map<String, List<Double>> byKey = new LinkedHashMap<>();
    int n = 0;
    for (JsonNode round : rounds) {
      for (Map.Entry<String, JsonNode> field : round.properties()) {
        if (field.getValue().isNumber()) {
          byKey.computeIfAbsent(field.getKey(), k -> new ArrayList<>())
              .add(field.getValue().asDouble());
        }
      }
      n++;
    }
    Map<String, double[]> values = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> e : byKey.entrySet()) {
      if (e.getValue().size() == n) {
        values.put(e.getKey(), e.getValue().stream().mapToDouble(Double::doubleValue).toArray());
      }
    }
    return new Arm(errors, values);
  }

  /** What these figures are: "this run", or the previous run's file name and date. */
  String label() {
    return label;
  }

  /** The places, in the run's order. */
  List<Place> places() {
    return List.copyOf(places.keySet());
  }

  /** The arms at {@code place} in the run's order, A first; null if the run lacks the place. */
  @Nullable Map<String, Arm> arms(Place place) {
    return places.get(place);
  }
}
