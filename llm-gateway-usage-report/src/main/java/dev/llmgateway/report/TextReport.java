package dev.llmgateway.report;

import dev.llmgateway.report.internal.Sections;
import dev.llmgateway.report.internal.TextRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A report as plain text: a header (period, files read, every skipped line), then per section a
 * title, notes and an aligned table — one section per grouping, the cost per team per day, p95
 * latency and error rate per variant, and the cheapest variant within margin. Strings from the
 * input have their control characters replaced and are cut at 60 characters. The HTML page
 * ({@link HtmlReport}) shows the same cells. Stateless and thread-safe.
 */
public final class TextReport {

  private TextReport() {}

  /**
   * The report as text.
   *
   * @param result the report
   * @return the text, lines ending in {@code \n}
   */
  public static String render(ReportResult result) {
    StringBuilder out = new StringBuilder();
    write(result, out);
    return out.toString();
  }

  /**
   * Writes the report as text to {@code out}.
   *
   * @param result the report
   * @param out where to write
   * @throws UncheckedIOException when {@code out} fails
   */
  public static void write(ReportResult result, Appendable out) {
    try {
      TextRenderer.write(Sections.header(result), Sections.of(result), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
