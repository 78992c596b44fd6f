package dev.llmgateway.report;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code usage-report} command line:
 *
 * <pre>
 * usage-report [--from DATE] [--to DATE] [--by team,project,...] [--period day|month]
 *              [--html out.html] [--margin-error 0.01] [--margin-score 0.05] [--min-calls 30]
 *              [--max-line-bytes N] [--max-groups N] [--max-calls N] FILE...
 * </pre>
 *
 * <p>It prints the {@link TextReport} to standard output, writes the {@link HtmlReport} with
 * {@code --html}, and says on standard error what it skipped. Exit codes: <b>0</b> the report was
 * made (skipped lines are reported, not failed on); <b>1</b> the input could not be reported (a file
 * missing or unreadable, a newer schema, a limit exceeded) or the HTML page could not be written;
 * <b>2</b> bad arguments, with a message saying what to fix.
 *
 * <p>Run it from a checkout with {@code mvn -q -pl llm-gateway-usage-report compile exec:java
 * -Dexec.args="--by team usage/"}, or with {@code java -cp} over this module's jar, Jackson and
 * picocli: {@code java -cp ... dev.llmgateway.report.UsageReportCli --help}.
 *
 * <p>The command is declared through picocli's programmatic API (no annotations, no reflection).
 * Each {@link #run} call is independent; thread-safe.
 */
public final class UsageReportCli {

  /** Exit code: the report was made. */
  public static final int OK = 0;
  /** Exit code: the input could not be reported, or the HTML page not written. */
  public static final int FAILED = 1;
  /** Exit code: bad arguments. */
  public static final int USAGE = 2;

  private UsageReportCli() {}

  /**
   * Runs the command and exits the JVM with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8));
    int code = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs the command in this JVM.
   *
   * @param args the command line
   * @param out where the report (or the help) goes
   * @param err where messages go
   * @return the exit code: {@link #OK}, {@link #FAILED} or {@link #USAGE}
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(spec());
    cli.setOut(out);
    cli.setErr(err);
    UsageReport report;
    @Nullable Path html;
    try {
      ParseResult parsed = cli.parseArgs(args);
      if (parsed.isUsageHelpRequested()) {
        cli.usage(out);
        out.flush();
        return OK;
      }
      if (parsed.isVersionHelpRequested()) {
        out.println("usage-report, usage schema " + UsageReport.SCHEMA);
        out.flush();
        return OK;
      }
      report = report(parsed);
      String htmlArg = parsed.matchedOptionValue("--html", (String) null);
      html = htmlArg == null ? null : path("--html", htmlArg);
    } catch (ParameterException e) {
      err.println("usage-report: " + e.getMessage());
      err.println("Try 'usage-report --help'.");
      err.flush();
      return USAGE;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("usage-report: " + e.getMessage());
      err.println("Try 'usage-report --help'.");
      err.flush();
      return USAGE;
    }
    try {
      ReportResult result = report.read();
      for (String message : result.summary().messages()) {
        err.println("usage-report: " + message);
      }
      TextReport.write(result, out);
      out.flush();
      if (html != null) {
        try (Writer writer = Files.newBufferedWriter(html, StandardCharsets.UTF_8)) {
          HtmlReport.write(result, writer);
        }
        err.println("usage-report: wrote " + html);
      }
      err.flush();
      return OK;
    } catch (UsageReportException e) {
      err.println("usage-report: " + e.getMessage());
      err.flush();
      return FAILED;
    } catch (IOException | UncheckedIOException e) {
      err.println("usage-report: cannot write the HTML page " + html + " (" + e.getMessage()
          + "); check that its directory exists and is writable");
      err.flush();
      return FAILED;
    }
  }

  private static UsageReport report(ParseResult parsed) {
    UsageReport.Builder b = UsageReport.builder();
    List<String> files = parsed.matchedPositionalValue(0, List.of());
    for (String file : files) {
      b.input(path("FILE", file));
    }
    String from = parsed.matchedOptionValue("--from", (String) null);
    if (from != null) {
      b.from(date("--from", from));
    }
    String to = parsed.matchedOptionValue("--to", (String) null);
    if (to != null) {
      b.to(date("--to", to));
    }
    List<String> by = parsed.matchedOptionValue("--by", List.of());
    for (String list : by) {
      for (String table : list.split(",", -1)) {
        b.groupBy(dimensions(table));
      }
    }
    String period = parsed.matchedOptionValue("--period", "month");
    b.granularity(switch (period.toLowerCase(Locale.ROOT)) {
      case "day" -> Granularity.DAY;
      case "month" -> Granularity.MONTH;
      default -> throw new IllegalArgumentException("--period must be day or month; got '"
          + period + "'");
    });
    b.errorMargin(fraction("--margin-error", parsed.matchedOptionValue("--margin-error", "0.01")));
    b.scoreMargin(fraction("--margin-score", parsed.matchedOptionValue("--margin-score", "0.05")));
    b.minCalls(number("--min-calls", parsed.matchedOptionValue("--min-calls", "30")));
    String maxLine = parsed.matchedOptionValue("--max-line-bytes", (String) null);
    if (maxLine != null) {
      long bytes = number("--max-line-bytes", maxLine);
      if (bytes > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("--max-line-bytes must be below 2 GiB; got " + bytes);
      }
      b.maxLineBytes((int) bytes);
    }
    String maxGroups = parsed.matchedOptionValue("--max-groups", (String) null);
    if (maxGroups != null) {
      b.maxGroups(number("--max-groups", maxGroups));
    }
    String maxCalls = parsed.matchedOptionValue("--max-calls", (String) null);
    if (maxCalls != null) {
      b.maxCalls(number("--max-calls", maxCalls));
    }
    return b.build();
  }

  private static Dimension[] dimensions(String table) {
    List<Dimension> dims = new ArrayList<>();
    for (String name : table.split("\\+", -1)) {
      String trimmed = name.trim().toLowerCase(Locale.ROOT);
      Dimension found = null;
      for (Dimension d : Dimension.values()) {
        if (d.label().equals(trimmed)) {
          found = d;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException("--by: unknown dimension '" + name.trim()
            + "'; choose from team, project, tag, provider, model, variant, alias (comma for"
            + " separate tables, '+' to group by several in one table, e.g. team,team+project)");
      }
      dims.add(found);
    }
    return dims.toArray(new Dimension[0]);
  }

  private static LocalDate date(String option, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + " must be a date as YYYY-MM-DD (UTC); got '"
          + value + "'", e);
    }
  }

  private static double fraction(String option, String value) {
    try {
      double d = Double.parseDouble(value);
      if (!(d >= 0 && d <= 1)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a fraction in [0, 1] (0.01 is one"
          + " percentage point); got '" + value + "'", e);
    }
  }

  private static long number(String option, String value) {
    try {
      long n = Long.parseLong(value);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number of at least 1; got '"
          + value + "'", e);
    }
  }

  private static Path path(String what, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(what + ": '" + value + "' is not a valid path", e);
    }
  }

  private static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create().name("usage-report");
    spec.usageMessage()
        .description("Reports usage from llm-gateway JSON Lines usage files (schema "
            + UsageReport.SCHEMA + "): calls, errors by type, tokens, cost, latency p50/p95 and"
            + " mean feedback score per group and period, and for each alias the cheapest"
            + " variant within margin.")
        .footerHeading("%nExit codes:%n")
        .footer("  0  the report was made (skipped lines are reported on stderr)",
            "  1  the input could not be reported (missing or unreadable file, newer schema,"
                + " a limit exceeded) or the HTML page could not be written",
            "  2  bad arguments");
    spec.addOption(option("--from", "DATE",
        "First day (UTC) of the period, inclusive, as YYYY-MM-DD. Default: no bound."));
    spec.addOption(option("--to", "DATE",
        "Day (UTC) the period ends before, exclusive, as YYYY-MM-DD. Default: no bound."));
    spec.addOption(OptionSpec.builder("--by").paramLabel("DIMS").type(List.class)
        .auxiliaryTypes(String.class)
        .description("Tables to make, comma-separated, from team, project, tag, provider, model,"
            + " variant, alias; join with '+' for one table over several (team+project)."
            + " Repeatable. Default: one table per dimension.")
        .build());
    spec.addOption(option("--period", "day|month", "Period of each row. Default: month."));
    spec.addOption(option("--html", "FILE", "Also write a self-contained HTML page to FILE."));
    spec.addOption(option("--margin-error", "FRACTION", "How far above the best error rate the"
        + " picked variant may be (0.01 = one percentage point). Default: 0.01."));
    spec.addOption(option("--margin-score", "FRACTION", "How far below the best mean score the"
        + " picked variant may be. Default: 0.05."));
    spec.addOption(option("--min-calls", "N",
        "Fewest decided calls a variant needs to be judged. Default: 30."));
    spec.addOption(option("--max-line-bytes", "N",
        "Longer lines are skipped and reported. Default: 1048576."));
    spec.addOption(option("--max-groups", "N",
        "Most groups over all tables before the report stops. Default: 100000."));
    spec.addOption(option("--max-calls", "N",
        "Most distinct calls in the period before the report stops. Default: 5000000."));
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
        .description("Show this help and exit.").build());
    spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
        .description("Show the version and exit.").build());
    spec.addPositional(PositionalParamSpec.builder().paramLabel("FILE").arity("1..*").required(true)
        .type(List.class).auxiliaryTypes(String.class)
        .description("Usage files (*.jsonl, rotated or .gz too) or directories of them.")
        .build());
    return spec;
  }

  private static OptionSpec option(String name, String label, String description) {
    return OptionSpec.builder(name).paramLabel(label).type(String.class).description(description)
        .build();
  }
}
