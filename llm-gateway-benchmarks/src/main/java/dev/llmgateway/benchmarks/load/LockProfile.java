package dev.llmgateway.benchmarks.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;

/**
 * The lock waits of a {@link LockRecording}, told apart by the measured round ({@link RoundEvent})
 * they started in, and summarised per mode, callers and arm: the top {@value #TOP} contended
 * monitors by monitor class ({@code jdk.JavaMonitorEnter}), and the top {@value #TOP} parks ({@code
 * jdk.ThreadPark}) by parked class and by the lock's user, the first stack frame outside the JDK;
 * each with count, total and longest wait, ranked by total wait. For the gateway's arms it says
 * whether a gateway-owned class, one in {@code dev.llmgateway} outside the harness package {@code
 * dev.llmgateway.benchmarks}, is among the top {@value #ACCEPTANCE_TOP} contended monitors (the
 * acceptance of issue 25: "no gateway-owned lock among the top five contended monitors at 64
 * callers"). Waits outside every measured round (warm-ups) are counted, not summarised. Immutable.
 */
final class LockProfile {
  static final int TOP = 10;
  static final int ACCEPTANCE_TOP = 5;
  static final String NO_STACK = "(no stack trace)";
  static final String JDK_ONLY = "(JDK frames only)";
  static final String NO_BLOCKER = "(no blocker)";

  private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");
  private static final List<String> ARM_ORDER = List.of("B", "B1", "B0", "A", "C");

  private final Duration threshold;
  private final Map<Where, List<Wait>> byRound;
  private final int outside;

  /** A contended monitor enter, or a park. */
  enum Kind { MONITOR, PARK }

  /**
   * One recorded wait: when it started, the class of the monitor or of the park's blocker, the
   * first frame outside the JDK (class.method) and how long it lasted.
   */
  record Wait(Kind kind, Instant start, String lockClass, String user, long nanos) {}

  /** A measured round: its mode, callers and arm, and when it started and ended. */
  record Window(String mode, int callers, String arm, Instant start, Instant end) {
    Where where() {
      return new Where(mode, callers, arm);
    }
  }

  /** A mode, number of callers and arm: the rounds one summary covers. */
  record Where(String mode, int callers, String arm) {}

  /**
   * One line of a top list: a class or frame, its number of waits, their total and longest
   * duration, and {@code mostly} the other side that occurs most among them (the user of a lock
   * class, the lock class of a user; on a tie, the one with the longer total wait).
   */
  record Row(String name, long count, long totalNanos, long maxNanos, String mostly) {}

  private LockProfile(Duration threshold, Map<Where, List<Wait>> byRound, int outside) {
    this.threshold = threshold;
    this.byRound = byRound;
    this.outside = outside;
  }

  /**
   * The waits of {@code waits} that started within one of {@code windows}, by the window's mode,
   * callers and arm; {@code threshold} is the recording's.
   */
  static LockProfile of(List<Window> windows, List<Wait> waits, Duration threshold) {
    List<Window> sorted = new ArrayList<>(windows);
    sorted.sort(Comparator.comparing(Window::start));
    List<String> places = new ArrayList<>();
    List<Where> covered = new ArrayList<>();
    for (Window w : sorted) {
      if (!places.contains(place(w.where()))) {
        places.add(place(w.where()));
      }
      if (!covered.contains(w.where())) {
        covered.add(w.where());
      }
    }
    covered.sort(Comparator.<Where>comparingInt(w -> places.indexOf(place(w)))
        .thenComparing(Where::arm, armOrder()));
    Map<Where, List<Wait>> byRound = new LinkedHashMap<>();
    for (Where w : covered) {
      byRound.put(w, new ArrayList<>());
    }
    int outside = 0;
    for (Wait wait : waits) {
      Window in = null;
      for (Window w : sorted) {
        if (!wait.start().isBefore(w.start()) && wait.start().isBefore(w.end())) {
          in = w;
          break;
        }
      }
      if (in == null) {
        outside++;
      } else {
        byRound.get(in.where()).add(wait);
      }
    }
    Map<Where, List<Wait>> copy = new LinkedHashMap<>();
    byRound.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return new LockProfile(threshold, copy, outside);
  }

  /**
   * Reads a recording written by {@link LockRecording}.
   *
   * @throws IOException if the file cannot be read or is not a recording
   */
  static LockProfile read(Path file, Duration threshold) throws IOException {
    List<Window> windows = new ArrayList<>();
    List<Wait> waits = new ArrayList<>();
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        switch (e.getEventType().getName()) {
          case RoundEvent.NAME -> windows.add(new Window(e.getString("mode"),
              e.getInt("callers"), e.getString("arm"), e.getStartTime(), e.getEndTime()));
          case LockRecording.MONITOR_ENTER -> waits.add(new Wait(Kind.MONITOR, e.getStartTime(),
              className(e.getClass("monitorClass"), "(unknown)"), user(e.getStackTrace()),
              e.getDuration().toNanos()));
          case LockRecording.THREAD_PARK -> waits.add(new Wait(Kind.PARK, e.getStartTime(),
              className(e.getClass("parkedClass"), NO_BLOCKER), user(e.getStackTrace()),
              e.getDuration().toNanos()));
          default -> {
            // other events of the recording are not summarised
          }
        }
      }
    }
    return of(windows, waits, threshold);
  }

  /** The first frame outside the JDK as {@code class.method}. */
  static String user(@Nullable RecordedStackTrace stack) {
    if (stack == null) {
      return NO_STACK;
    }
    for (RecordedFrame f : stack.getFrames()) {
      if (f.getMethod() == null || f.getMethod().getType() == null) {
        continue;
      }
      String type = f.getMethod().getType().getName();
      if (!jdk(type)) {
        return type + "." + f.getMethod().getName();
      }
    }
    return JDK_ONLY;
  }

  /** Whether a class is in a package of the JDK. */
  static boolean jdk(String className) {
    return JDK.stream().anyMatch(className::startsWith);
  }

  /** Whether a class is the gateway's own: in {@code dev.llmgateway}, not in the harness. */
  static boolean gatewayOwned(String className) {
    return className.startsWith("dev.llmgateway.")
        && !className.startsWith("dev.llmgateway.benchmarks.");
  }

  /** The mode, callers and arm summarised, in the order of their first round. */
  List<Where> covered() {
    return List.copyOf(byRound.keySet());
  }

  /** How many recorded waits started outside every measured round. */
  int outside() {
    return outside;
  }

  /** The waits that started in the rounds of {@code where}, as recorded. */
  List<Wait> waits(Where where) {
    return byRound.getOrDefault(where, List.of());
  }

  /** The top contended monitors by monitor class; "mostly" is the user. */
  List<Row> monitors(Where where) {
    return top(where, Kind.MONITOR, Wait::lockClass, Wait::user);
  }

  /** The top parks by parked class (the blocker's class); "mostly" is the user. */
  List<Row> parksByClass(Where where) {
    return top(where, Kind.PARK, Wait::lockClass, Wait::user);
  }

  /** The top parks by user, the first frame outside the JDK; "mostly" is the parked class. */
  List<Row> parksByUser(Where where) {
    return top(where, Kind.PARK, Wait::user, Wait::lockClass);
  }

  /** The gateway-owned classes among the top five contended monitors, with their rank. */
  List<String> gatewayOwnedInTopFive(Where where) {
    List<String> owned = new ArrayList<>();
    List<Row> rows = monitors(where);
    for (int i = 0; i < Math.min(ACCEPTANCE_TOP, rows.size()); i++) {
      if (gatewayOwned(rows.get(i).name())) {
        owned.add("`" + rows.get(i).name() + "` (#" + (i + 1) + ")");
      }
    }
    return owned;
  }

  /**
   * The acceptance for arm B at every place recorded, one sentence of Markdown: whether no
   * gateway-owned class is among its top five contended monitors, met or missed, and which.
   */
  String acceptance() {
    List<String> parts = new ArrayList<>();
    boolean met = true;
    for (Where w : covered()) {
      if (w.arm().equals("B")) {
        List<String> owned = gatewayOwnedInTopFive(w);
        met &= owned.isEmpty();
        parts.add(place(w) + ": " + (owned.isEmpty() ? "none" : String.join(", ", owned)));
      }
    }
    String sentence = "no gateway-owned class among the top five contended monitors of arm B";
    if (parts.isEmpty()) {
      return sentence + ": not measured (no round of arm B recorded)";
    }
    return sentence + ": " + (met ? "met" : "missed") + " (" + String.join("; ", parts) + ")";
  }

  /**
   * The profile as Markdown: a head naming {@code date}, {@code settings} and the raw recording
   * {@code recording}, then per place and arm the three top lists.
   */
  String markdown(String date, String settings, String recording) {
    Set<String> places = new LinkedHashSet<>();
    for (Where w : covered()) {
      places.add(place(w));
    }
    StringBuilder md = new StringBuilder("# Lock profile of the load runner (`LoadRunner --jfr`)"
        + "\n\n")
        .append("- **Date:** ").append(date).append('\n')
        .append("- **Settings:** ").append(settings).append('\n')
        .append("- **Recorded:** `jdk.JavaMonitorEnter` and `jdk.ThreadPark` with stack traces, ")
        .append("only waits of at least ").append(millis(threshold.toNanos()))
        .append(" ms (shorter ones are not recorded, to keep the recording's overhead low), in ")
        .append(places.isEmpty() ? "no configuration" : String.join(" and ", places))
        .append("; ").append(outside).append(" recorded waits outside the measured rounds "
            + "(warm-ups) are left out. Raw recording: `").append(recording)
        .append("` (not committed; `jfr print` or JDK Mission Control read it).\n")
        .append("- **Acceptance** (\"no gateway-owned lock among the top five contended monitors "
            + "at 64 callers\"): ").append(acceptance()).append("\n\n")
        .append("Gateway-owned: a class in `dev.llmgateway` outside the harness "
            + "`dev.llmgateway.benchmarks`. A monitor's class is the class of the object "
            + "synchronized on; a park's class is its blocker's (`LockSupport.park(blocker)`). "
            + "The user is the first stack frame outside the JDK (`java.`, `javax.`, `jdk.`, "
            + "`sun.`, `com.sun.`): the code that took the lock or waited. Lists are ranked by "
            + "total wait over all rounds of the arm; times in ms. Parks include idle waits: "
            + "pool threads waiting for work, the runner waiting for its callers (`Round.run`).\n");
    String place = "";
    for (Where w : covered()) {
      if (!place(w).equals(place)) {
        place = place(w);
        md.append("\n## ").append(Character.toUpperCase(place.charAt(0)))
            .append(place.substring(1)).append("\n");
      }
      md.append("\n### Arm ").append(w.arm()).append('\n');
      if (w.arm().startsWith("B")) {
        List<String> owned = gatewayOwnedInTopFive(w);
        md.append("\n**Gateway-owned class among the top five contended monitors:** ")
            .append(owned.isEmpty() ? "none — met" : String.join(", ", owned) + " — missed")
            .append('\n');
      }
      table(md, "Contended monitors (`jdk.JavaMonitorEnter`) by monitor class", "monitor class",
          "mostly entered from", monitors(w));
      table(md, "Parks (`jdk.ThreadPark`) by parked class", "parked class", "mostly parked in",
          parksByClass(w));
      table(md, "Parks (`jdk.ThreadPark`) by user, the first frame outside the JDK", "user",
          "mostly parked on", parksByUser(w));
    }
    return md.toString();
  }

  private List<Row> top(Where where, Kind kind, Function<Wait, String> key,
      Function<Wait, String> other) {
    Map<String, long[]> totals = new HashMap<>();
    Map<String, Map<String, long[]>> others = new HashMap<>();
    for (Wait w : waits(where)) {
      if (w.kind() != kind) {
        continue;
      }
      String name = key.apply(w);
      long[] t = totals.computeIfAbsent(name, k -> new long[3]);
      t[0]++;
      t[1] += w.nanos();
      t[2] = Math.max(t[2], w.nanos());
      long[] o = others.computeIfAbsent(name, k -> new HashMap<>())
          .computeIfAbsent(other.apply(w), k -> new long[2]);
      o[0]++;
      o[1] += w.nanos();
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, long[]> e : totals.entrySet()) {
      String mostly = others.get(e.getKey()).entrySet().stream()
          .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(o -> -o.getValue()[0])
              .thenComparingLong(o -> -o.getValue()[1])
              .thenComparing(Map.Entry::getKey))
          .map(Map.Entry::getKey).findFirst().orElse("");
      long[] t = e.getValue();
      rows.add(new Row(e.getKey(), t[0], t[1], t[2], mostly));
    }
    rows.sort(Comparator.comparingLong(Row::totalNanos).reversed()
        .thenComparing(Comparator.comparingLong(Row::count).reversed())
        .thenComparing(Row::name));
    return List.copyOf(rows.subList(0, Math.min(TOP, rows.size())));
  }

  private static void table(StringBuilder md, String title, String name, String mostly,
      List<Row> rows) {
    md.append('\n').append(title).append(":\n\n");
    if (rows.isEmpty()) {
      md.append("none recorded\n");
      return;
    }
    md.append("| # | ").append(name).append(" | waits | total ms | max ms | ").append(mostly)
        .append(" |\n| ---: | --- | ---: | ---: | ---: | --- |\n");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      md.append("| ").append(i + 1).append(" | `").append(r.name()).append("` | ")
          .append(String.format(Locale.ROOT, "%,d", r.count())).append(" | ")
          .append(millis(r.totalNanos())).append(" | ").append(millis(r.maxNanos()))
          .append(" | `").append(r.mostly()).append("` |\n");
    }
  }

  private static String place(Where w) {
    return (w.mode().equals("chat") ? "unary chat" : w.mode()) + ", " + w.callers()
        + (w.callers() == 1 ? " caller" : " callers");
  }

  private static String millis(long nanos) {
    return Report.number(nanos / 1e6);
  }

  private static String className(@Nullable RecordedClass c, String none) {
    return c == null ? none : c.getName();
  }

  /** Arms in report order: B first, then B0, A, C, then any other by name. */
  static Comparator<String> armOrder() {
    return Comparator.<String>comparingInt(a -> ARM_ORDER.contains(a) ? ARM_ORDER.indexOf(a)
        : ARM_ORDER.size()).thenComparing(Function.identity());
  }
}
