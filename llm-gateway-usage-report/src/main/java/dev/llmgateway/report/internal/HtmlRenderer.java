package dev.llmgateway.report.internal;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Writes sections as one self-contained HTML page: inline CSS and SVG, no script, no external
 * resource. Every string is escaped ({@link #escape}), in text and in attributes alike. Stateless.
 */
public final class HtmlRenderer {

  private static final String[] PALETTE = {
      "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
  private static final String BAR = "#4e79a7";
  private static final String HIGHLIGHT = "#e15759";
  private static final int WIDTH = 760;
  private static final int LABEL_WIDTH = 260;
  private static final int BAR_HEIGHT = 18;
  private static final int LABEL_CHARS = 40;

  private HtmlRenderer() {}

  /** Writes the page. */
  public static void write(List<String> header, List<Section> sections, Appendable out)
      throws IOException {
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Usage report</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;font-size:13px;margin:1em 0}")
        .append("th,td{border:1px solid #ccc;padding:2px 6px}th{background:#f3f3f3}")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums}")
        .append("svg{display:block;margin:1em 0}svg text{font-size:11px;fill:#333}")
        .append(".caption{font-size:12px;color:#555}section{margin-bottom:3em}\n")
        .append("</style>\n</head>\n<body>\n<header>\n<h1>Usage report</h1>\n");
    for (String line : header) {
      out.append("<p>").append(escape(line)).append("</p>\n");
    }
    out.append("</header>\n");
    for (Section section : sections) {
      out.append("<section id=\"").append(escape(section.id())).append("\">\n<h2>")
          .append(escape(section.title())).append("</h2>\n");
      for (String note : section.notes()) {
        out.append("<p>").append(escape(note)).append("</p>\n");
      }
      if (section.chart() instanceof Chart.Bars bars) {
        bars(bars, out);
      } else {
        lines((Chart.Lines) section.chart(), out);
      }
      out.append("<p class=\"caption\">").append(escape(section.chart().caption()))
          .append("</p>\n");
      table(section, out);
      out.append("</section>\n");
    }
    out.append("</body>\n</html>\n");
  }

  private static void table(Section section, Appendable out) throws IOException {
    out.append("<table>\n<thead><tr>");
    for (String h : section.headers()) {
      out.append("<th>").append(escape(h)).append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : section.rows()) {
      out.append("<tr>");
      for (int c = 0; c < row.size(); c++) {
        out.append(section.numeric().get(c) ? "<td class=\"n\">" : "<td>")
            .append(escape(row.get(c))).append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody>\n</table>\n");
  }

  private static void bars(Chart.Bars chart, Appendable out) throws IOException {
    int n = chart.values().size();
    int height = Math.max(1, n) * (BAR_HEIGHT + 4) + 10;
    double max = 0;
    for (double v : chart.values()) {
      max = Math.max(max, v);
    }
    int area = WIDTH - LABEL_WIDTH - 110;
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(num(WIDTH))
        .append("\" height=\"").append(num(height)).append("\" role=\"img\" aria-label=\"")
        .append(escape(chart.caption())).append("\">\n");
    if (n == 0) {
      out.append("<text x=\"4\" y=\"16\">no data</text>\n");
    }
    for (int i = 0; i < n; i++) {
      double v = chart.values().get(i);
      int y = 5 + i * (BAR_HEIGHT + 4);
      double w = max > 0 ? v / max * area : 0;
      out.append("<text x=\"").append(num(LABEL_WIDTH - 6)).append("\" y=\"")
          .append(num(y + 13)).append("\" text-anchor=\"end\">")
          .append(escape(shorten(chart.labels().get(i)))).append("</text>")
          .append("<rect x=\"").append(num(LABEL_WIDTH)).append("\" y=\"").append(num(y))
          .append("\" width=\"").append(dec(w)).append("\" height=\"").append(num(BAR_HEIGHT))
          .append("\" fill=\"").append(chart.highlighted().contains(i) ? HIGHLIGHT : BAR)
          .append("\"/>")
          .append("<text x=\"").append(dec(LABEL_WIDTH + w + 4)).append("\" y=\"")
          .append(num(y + 13)).append("\">").append(escape(value(v) + " " + chart.unit()))
          .append("</text>\n");
    }
    out.append("</svg>\n");
  }

  private static void lines(Chart.Lines chart, Appendable out) throws IOException {
    int height = 280;
    int left = 70;
    int right = WIDTH - 160;
    int top = 10;
    int bottom = height - 40;
    double max = 0;
    for (double[] series : chart.values()) {
      for (double v : series) {
        max = Math.max(max, v);
      }
    }
    int points = chart.x().size();
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(num(WIDTH))
        .append("\" height=\"").append(num(height)).append("\" role=\"img\" aria-label=\"")
        .append(escape(chart.caption())).append("\">\n")
        .append("<line x1=\"").append(num(left)).append("\" y1=\"").append(num(bottom))
        .append("\" x2=\"").append(num(right)).append("\" y2=\"").append(num(bottom))
        .append("\" stroke=\"#999\"/><line x1=\"").append(num(left)).append("\" y1=\"")
        .append(num(top)).append("\" x2=\"").append(num(left)).append("\" y2=\"")
        .append(num(bottom)).append("\" stroke=\"#999\"/>\n")
        .append("<text x=\"").append(num(left - 4)).append("\" y=\"").append(num(top + 10))
        .append("\" text-anchor=\"end\">").append(escape(value(max) + " " + chart.unit()))
        .append("</text><text x=\"").append(num(left - 4)).append("\" y=\"").append(num(bottom))
        .append("\" text-anchor=\"end\">0</text>\n");
    if (points == 0) {
      out.append("<text x=\"").append(num(left + 10)).append("\" y=\"").append(num(top + 20))
          .append("\">no data</text>\n");
    } else {
      out.append("<text x=\"").append(num(left)).append("\" y=\"").append(num(bottom + 16))
          .append("\">").append(escape(chart.x().get(0))).append("</text><text x=\"")
          .append(num(right)).append("\" y=\"").append(num(bottom + 16))
          .append("\" text-anchor=\"end\">").append(escape(chart.x().get(points - 1)))
          .append("</text>\n");
    }
    for (int s = 0; s < chart.values().size(); s++) {
      double[] series = chart.values().get(s);
      String colour = PALETTE[s % PALETTE.length];
      StringBuilder path = new StringBuilder();
      for (int i = 0; i < points; i++) {
        double x = points == 1 ? (left + right) / 2.0 : left + (double) i * (right - left)
            / (points - 1);
        double y = bottom - (max > 0 ? series[i] / max * (bottom - top) : 0);
        path.append(i == 0 ? "" : " ").append(dec(x)).append(',').append(dec(y));
      }
      out.append("<polyline fill=\"none\" stroke=\"").append(colour)
          .append("\" stroke-width=\"1.5\" points=\"").append(path).append("\"/>\n")
          .append("<rect x=\"").append(num(right + 12)).append("\" y=\"")
          .append(num(top + s * 16)).append("\" width=\"10\" height=\"10\" fill=\"")
          .append(colour).append("\"/><text x=\"").append(num(right + 26)).append("\" y=\"")
          .append(num(top + s * 16 + 9)).append("\">")
          .append(escape(shorten(chart.series().get(s)))).append("</text>\n");
    }
    out.append("</svg>\n");
  }

  /**
   * {@code text} safe in HTML text and in double- or single-quoted attribute values: {@code &},
   * {@code <}, {@code >}, {@code "} and {@code '} as character references.
   */
  public static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (replacement != null) {
        if (out == null) {
          out = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        out.append(replacement);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  private static String shorten(String label) {
    return label.codePointCount(0, label.length()) <= LABEL_CHARS ? label
        : label.substring(0, label.offsetByCodePoints(0, LABEL_CHARS - 1)) + "\u2026";
  }

  private static String value(double v) {
    return v == 0 ? "0" : Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
        : Math.abs(v) >= 1 ? String.format(Locale.ROOT, "%.2f", v)
        : String.format(Locale.ROOT, "%.4g", v);
  }

  private static String num(int v) {
    return Integer.toString(v);
  }

  private static String dec(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
