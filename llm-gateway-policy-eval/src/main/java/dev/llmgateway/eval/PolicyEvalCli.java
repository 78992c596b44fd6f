package dev.llmgateway.eval;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code policy-eval} command line:
 *
 * <pre>
 * policy-eval pii IN.jsonl OUT.jsonl
 * policy-eval injection IN.jsonl OUT.jsonl
 * policy-eval score pii|injection LABELLED.jsonl PREDICTED.jsonl [--split heldout|tune|all]
 * </pre>
 *
 * <p>{@code pii} reads {@code {"id","text"}} per line (other fields ignored) and writes
 * {@code {"id","spans":[{"type","start","end"}],"redacted"}}: the default
 * {@code PiiScanner}'s spans with offsets in Unicode code points into {@code text}, end exclusive,
 * and the text with each span replaced by {@code <TYPE_n>} (the same value, the same placeholder
 * within a line). {@code injection} writes {@code {"id","flagged","score"}}. {@code score} prints
 * a Markdown table: for pii, precision, recall and F1 per type on exact type, start and end, and
 * the precision over predicted cards passing Luhn and IBANs passing mod-97.
 *
 * <p>Input is bounded: a line longer than 1 MiB of chars, more than 1,000,000 lines, a line that
 * is not a JSON object or lacks a field fail with the file and line number. Exit codes: <b>0</b>
 * done; <b>1</b> an input could not be used or the output not written; <b>2</b> bad arguments,
 * with a message saying what to fix.
 *
 * <p>Run it from a checkout with {@code mvn -q -pl llm-gateway-policy-eval -am compile exec:java
 * -Dexec.args="pii in.jsonl out.jsonl"}. Declared through picocli's programmatic API (no
 * annotations, no reflection). Each {@link #run} call is independent; thread-safe.
 */
public final class PolicyEvalCli {

  /** Exit code: done. */
  public static final int OK = 0;
  /** Exit code: an input could not be used, or the output not written. */
  public static final int FAILED = 1;
  /** Exit code: bad arguments. */
  public static final int USAGE = 2;

  private static final String NAME = "policy-eval";

  private PolicyEvalCli() {}

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
   * @param out where scores (or the help) go
   * @param err where messages go
   * @return the exit code: {@link #OK}, {@link #FAILED} or {@link #USAGE}
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(spec());
    cli.setOut(out);
    cli.setErr(err);
    ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (ParameterException e) {
      return usage(err, e.getMessage());
    }
    if (parsed.isUsageHelpRequested() || !parsed.hasSubcommand()) {
      if (!parsed.isUsageHelpRequested()) {
        return usage(err, "a command is required: pii, injection or score");
      }
      cli.usage(out);
      out.flush();
      return OK;
    }
    ParseResult command = parsed.subcommand();
    String name = command.commandSpec().name();
    if (command.isUsageHelpRequested()) {
      cli.getSubcommands().get(name).usage(out);
      out.flush();
      return OK;
    }
    try {
      List<PositionalParamSpec> positionals = command.commandSpec().positionalParameters();
      switch (name) {
        case "pii" -> {
          List<String> files = positionals.get(0).getValue();
          PiiEval.write(path(files.get(0)), path(files.get(1)));
          err.println(NAME + ": wrote " + files.get(1));
        }
        case "injection" -> {
          List<String> files = positionals.get(0).getValue();
          InjectionEval.write(path(files.get(0)), path(files.get(1)));
          err.println(NAME + ": wrote " + files.get(1));
        }
        default -> {
          String kind = positionals.get(0).getValue();
          List<String> inputs = positionals.get(1).getValue();
          String split = command.matchedOptionValue("--split", "all").toLowerCase(Locale.ROOT);
          if (!List.of("heldout", "tune", "all").contains(split)) {
            return usage(err, "--split must be heldout, tune or all; got '" + split + "'");
          }
          out.print(switch (kind) {
            case "pii" -> PiiEval.score(path(inputs.get(0)), path(inputs.get(1)), split);
            case "injection" -> InjectionEval.score(path(inputs.get(0)), path(inputs.get(1)));
            default -> throw new IllegalArgumentException("score: the first argument must be pii"
                + " or injection; got '" + kind + "'");
          });
        }
      }
      out.flush();
      err.flush();
      return OK;
    } catch (IllegalArgumentException e) {
      return usage(err, e.getMessage());
    } catch (EvalInputException | UnsupportedOperationException e) {
      err.println(NAME + ": " + e.getMessage());
      err.flush();
      return FAILED;
    } catch (IOException | UncheckedIOException e) {
      err.println(NAME + ": " + e.getMessage() + " (check that the file exists, is readable,"
          + " and that the output's directory exists and is writable)");
      err.flush();
      return FAILED;
    }
  }

  private static int usage(PrintWriter err, String message) {
    err.println(NAME + ": " + message);
    err.println("Try '" + NAME + " --help'.");
    err.flush();
    return USAGE;
  }

  private static Path path(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("'" + value + "' is not a valid path", e);
    }
  }

  private static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create().name(NAME);
    spec.usageMessage()
        .description("Runs llm-gateway's PII detection or prompt-injection scan over a JSON"
            + " Lines corpus, and scores predictions against labels.")
        .footerHeading("%nExit codes:%n")
        .footer("  0  done",
            "  1  an input could not be used (missing, a line not JSON or too long, too many"
                + " lines) or the output not written",
            "  2  bad arguments");
    spec.addOption(help());
    spec.addSubcommand("pii", new CommandLine(convert("pii",
        "Writes {\"id\",\"spans\":[{\"type\",\"start\",\"end\"}],\"redacted\"} per input line;"
            + " offsets in Unicode code points, end exclusive.")));
    spec.addSubcommand("injection", new CommandLine(convert("injection",
        "Writes {\"id\",\"flagged\",\"score\"} per input line.")));
    CommandSpec score = CommandSpec.create().name("score");
    score.usageMessage().description("Prints precision, recall and F1 as a Markdown table.");
    score.addOption(help());
    score.addOption(OptionSpec.builder("--split").paramLabel("heldout|tune|all")
        .type(String.class).description("Which labelled texts to score. Default: all.").build());
    score.addPositional(PositionalParamSpec.builder().index("0").paramLabel("pii|injection")
        .type(String.class).description("What the predictions are.").build());
    score.addPositional(PositionalParamSpec.builder().index("1..2").arity("2")
        .paramLabel("FILE").type(List.class).auxiliaryTypes(String.class)
        .description("LABELLED.jsonl, then PREDICTED.jsonl.").build());
    spec.addSubcommand("score", new CommandLine(score));
    return spec;
  }

  private static CommandSpec convert(String name, String description) {
    CommandSpec spec = CommandSpec.create().name(name);
    spec.usageMessage().description("Reads {\"id\",\"text\"} per line of IN.jsonl. "
        + description);
    spec.addOption(help());
    spec.addPositional(PositionalParamSpec.builder().index("0..1").arity("2").paramLabel("FILE")
        .type(List.class).auxiliaryTypes(String.class)
        .description("IN.jsonl, then OUT.jsonl.").build());
    return spec;
  }

  private static OptionSpec help() {
    return OptionSpec.builder("-h", "--help").usageHelp(true)
        .description("Show this help and exit.").build();
  }
}
