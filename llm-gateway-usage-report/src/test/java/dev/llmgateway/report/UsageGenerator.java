package dev.llmgateway.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Writes a seeded month of usage records (December 2026) across teams, projects, tags and the
 * variants of alias {@code smart}, with planted costs, error rates and scores, and keeps the
 * figures a report must find: cost per team (exact {@code BigDecimal} sums) and the variant the
 * cheapest-within-margin rule must pick.
 *
 * <p>Planted variants of {@code smart} (error rate, mean cost per call, mean score):
 * {@code tiny} 0%, $0.0002, 0.9 but only 20 calls (too few); {@code mini} 6%, $0.001, 0.8 (error
 * rate outside the 1-point margin); {@code lite} 1.2%, $0.002, 0.55 (score outside the 0.05
 * margin); {@code mid} 1.5%, $0.003, 0.80 (<b>the pick</b>); {@code big} 1.0%, $0.010, 0.82 (within
 * margin, dearer). Calls of alias {@code fast} have no variant; some calls are refused, cancelled,
 * have an unknown cost, or are written twice (a replayed dead letter).
 */
final class UsageGenerator {

  static final String[] TEAMS = {"search", "support", "ads", "checkout", "research"};
  static final String[] PROJECTS = {"web", "mobile", "batch", "internal"};
  static final String[] TAGS = {"beta", "eu", "batch-job", "vip"};
  static final String PLANTED_PICK = "mid";
  static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
  static final Instant TO = Instant.parse("2027-01-01T00:00:00Z");

  /** name, error rate, cost per call in micro-dollars, mean score, share of calls (‰). */
  private record Planted(String name, double errorRate, long microDollars, double score,
      String deployment) {}

  private static final List<Planted> VARIANTS = List.of(
      new Planted("mini", 0.06, 1_000, 0.80, "openai/gpt-4.1-mini"),
      new Planted("lite", 0.012, 2_000, 0.55, "gemini/gemini-2.5-flash"),
      new Planted("mid", 0.015, 3_000, 0.80, "anthropic/claude-haiku-4-5"),
      new Planted("big", 0.010, 10_000, 0.82, "anthropic/claude-sonnet-4-5"));
  private static final Planted TINY = new Planted("tiny", 0, 200, 0.9, "local/llama");

  final Map<String, BigDecimal> costPerTeam = new TreeMap<>();
  long calls;
  long taggedCounts;

  /** Writes {@code count} calls (plus duplicates and feedback) to {@code file}. */
  UsageGenerator write(Path file, int count, long seed) throws IOException {
    Random random = new Random(seed);
    long span = TO.toEpochMilli() - FROM.toEpochMilli();
    List<String> feedback = new ArrayList<>();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < count; i++) {
        String id = "c" + i;
        String ts = Instant.ofEpochMilli(FROM.toEpochMilli() + (long) (random.nextDouble() * span))
            .toString();
        String team = TEAMS[random.nextInt(TEAMS.length)];
        String project = PROJECTS[random.nextInt(PROJECTS.length)];
        List<String> tags = new ArrayList<>();
        for (String tag : TAGS) {
          if (random.nextInt(4) == 0) {
            tags.add(tag);
          }
        }
        Planted variant = i < 20 ? TINY
            : random.nextInt(5) == 0 ? null : VARIANTS.get(random.nextInt(VARIANTS.size()));
        String outcome;
        if (variant == null && random.nextInt(20) == 0) {
          outcome = "refused";
        } else if (random.nextInt(200) == 0) {
          outcome = "cancelled";
        } else if (variant != null && random.nextDouble() < variant.errorRate()) {
          outcome = random.nextInt(4) == 0 ? "stream_failed" : "failed";
        } else {
          outcome = "succeeded";
        }
        String deployment = outcome.equals("refused") ? null
            : variant == null ? "openai/gpt-4.1" : variant.deployment();
        BigDecimal cost;
        if (outcome.equals("refused")) {
          cost = BigDecimal.ZERO;
        } else if (variant == null && random.nextInt(50) == 0) {
          cost = null;
        } else {
          long base = variant == null ? 4_000 : variant.microDollars();
          // a spread of ±50% around the planted mean, at micro-dollar precision
          cost = BigDecimal.valueOf(base / 2 + random.nextInt((int) base + 1), 6)
              .add(BigDecimal.valueOf(random.nextInt(1000), 9));
        }
        String line = Records.json(Records.call(id, ts, outcome, team, project, tags,
            variant == null ? "fast" : "smart", variant == null ? null : variant.name(),
            deployment, cost == null ? null : cost.toPlainString(),
            50_000 + random.nextInt(2_000_000)));
        out.write(line);
        out.write('\n');
        if (random.nextInt(100) == 0) {
          out.write(line);
          out.write('\n');
        }
        calls++;
        taggedCounts += Math.max(1, tags.size());
        if (cost != null) {
          costPerTeam.merge(team, cost, BigDecimal::add);
        }
        if (variant != null && random.nextInt(3) == 0) {
          double score = Math.max(0, Math.min(1, variant.score() + (random.nextDouble() - 0.5) / 5));
          // an earlier, wrong score first: the later one must win
          feedback.add(Records.feedback(id, ts, 0.0));
          feedback.add(Records.feedback(id, Instant.parse(ts).plusSeconds(5).toString(), score));
        }
      }
      for (String line : feedback) {
        out.write(line);
        out.write('\n');
      }
    }
    return this;
  }
}
