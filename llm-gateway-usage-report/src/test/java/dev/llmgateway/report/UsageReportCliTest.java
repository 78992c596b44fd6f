package dev.llmgateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line run in-process: output, exit codes, and messages that say what to fix. */
@Timeout(30)
class UsageReportCliTest {

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return UsageReportCli.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  private Path usage() throws Exception {
    Path file = dir.resolve("usage.jsonl");
    Files.writeString(file, Records.simple("c1", "search", "0.5") + "\n"
        + Records.simple("c2", "ads", "0.25") + "\n" + "{\"schema\":1,\"rec");
    return file;
  }

  @Test
  void printsTheReportAndSaysWhatItSkipped() throws Exception {
    Path file = usage();

    int code = run("--by", "team,team+project", "--period", "day", "--from", "2026-12-01",
        "--to", "2027-01-01", file.toString());

    assertThat(code).isEqualTo(UsageReportCli.OK);
    assertThat(out.toString())
        .contains("By team, per day", "By team and project, per day", "Cost per team per day",
            "Cheapest variant within margin", "2026-12-07  search")
        .contains("0.5", "0.25");
    assertThat(err.toString()).contains("skipped 1 torn line at the end of " + file);
  }

  @Test
  void writesTheHtmlPage() throws Exception {
    Path html = dir.resolve("report.html");

    int code = run("--html", html.toString(), "--min-calls", "1", usage().toString());

    assertThat(code).isZero();
    assertThat(Jsoup.parse(Files.readString(html)).select("section")).hasSizeGreaterThan(4);
    assertThat(err.toString()).contains("wrote " + html);
  }

  @Test
  void helpListsTheOptionsAndExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("usage-report", "--from=DATE", "--by=DIMS",
        "--margin-error=FRACTION", "--min-calls=N", "FILE...", "Exit codes:", "2  bad arguments");
  }

  @Test
  void unknownDimensionSaysWhichOnesExist() throws Exception {
    assertThat(run("--by", "team,colour", usage().toString())).isEqualTo(UsageReportCli.USAGE);
    assertThat(err.toString()).contains("--by: unknown dimension 'colour'; choose from team,"
        + " project, tag, provider, model, variant, alias");
  }

  @Test
  void badDateSaysTheFormat() throws Exception {
    assertThat(run("--from", "12/01/2026", usage().toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--from must be a date as YYYY-MM-DD (UTC); got"
        + " '12/01/2026'");
  }

  @Test
  void marginOutsideZeroToOneIsRefused() throws Exception {
    assertThat(run("--margin-error", "5", usage().toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--margin-error must be a fraction in [0, 1]");
  }

  @Test
  void emptyPeriodIsRefused() throws Exception {
    assertThat(run("--from", "2026-12-02", "--to", "2026-12-01", usage().toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("is not before to");
  }

  @Test
  void noFileSaysOneIsNeeded() {
    assertThat(run("--by", "team")).isEqualTo(2);
    assertThat(err.toString()).contains("FILE").contains("Try 'usage-report --help'.");
  }

  @Test
  void unknownOptionIsABadArgument() throws Exception {
    assertThat(run("--colour", usage().toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--colour");
  }

  @Test
  void missingFileFailsWithExitCodeOne() {
    Path missing = dir.resolve("missing.jsonl");
    assertThat(run(missing.toString())).isEqualTo(UsageReportCli.FAILED);
    assertThat(err.toString()).contains(missing + ": no such usage file or directory");
  }

  @Test
  void newerSchemaFailsWithExitCodeOne() throws Exception {
    Path file = dir.resolve("new.jsonl");
    Files.writeString(file, "{\"schema\":3,\"record\":\"call\"}\n");
    assertThat(run(file.toString())).isEqualTo(1);
    assertThat(err.toString()).contains(file + ":1: usage schema 3 is newer");
  }
}
