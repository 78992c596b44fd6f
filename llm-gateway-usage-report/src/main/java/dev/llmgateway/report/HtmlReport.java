package dev.llmgateway.report;

import dev.llmgateway.report.internal.HtmlRenderer;
import dev.llmgateway.report.internal.Sections;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A report as one self-contained HTML page for people who would rather look than read: no script
 * and no external resource (inline CSS, inline SVG). Each section holds one chart and a table with
 * the same cells as the text report ({@link TextReport}): one section per grouping (cost per row),
 * the cost per team per day (a line per team), p95 latency per variant, error rate per variant,
 * and the cheapest variant within margin (mean cost per call, the pick highlighted). Every string
 * from the input is HTML-escaped, so a team named {@code <script>} is shown, never run. Stateless
 * and thread-safe.
 */
public final class HtmlReport {

  private HtmlReport() {}

  /**
   * The report as an HTML page.
   *
   * @param result the report
   * @return the page, UTF-8 when written out
   */
  public static String render(ReportResult result) {
    StringBuilder out = new StringBuilder();
    write(result, out);
    return out.toString();
  }

  /**
   * Writes the report as an HTML page to {@code out}.
   *
   * @param result the report
   * @param out where to write
   * @throws UncheckedIOException when {@code out} fails
   */
  public static void write(ReportResult result, Appendable out) {
    try {
      HtmlRenderer.write(Sections.header(result), Sections.of(result), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
