package dev.llmgateway.report.internal;

import java.io.IOException;
import java.util.List;

/** Writes sections as aligned plain-text tables. Stateless. */
public final class TextRenderer {

  private TextRenderer() {}

  /** Writes the header lines, then each section's title, notes and table. */
  public static void write(List<String> header, List<Section> sections, Appendable out)
      throws IOException {
    out.append("Usage report\n");
    for (String line : header) {
      out.append(line).append('\n');
    }
    for (Section section : sections) {
      out.append('\n').append(section.title()).append('\n')
          .append("=".repeat(section.title().length())).append('\n');
      for (String note : section.notes()) {
        out.append(note).append('\n');
      }
      table(section, out);
    }
  }

  private static void table(Section section, Appendable out) throws IOException {
    int columns = section.headers().size();
    int[] widths = new int[columns];
    for (int c = 0; c < columns; c++) {
      widths[c] = width(section.headers().get(c));
    }
    for (List<String> row : section.rows()) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], width(row.get(c)));
      }
    }
    line(section.headers(), section.numeric(), widths, out);
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < columns; c++) {
      rule.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
    }
    out.append(rule).append('\n');
    if (section.rows().isEmpty()) {
      out.append("(no calls)\n");
    }
    for (List<String> row : section.rows()) {
      line(row, section.numeric(), widths, out);
    }
  }

  private static void line(List<String> cells, List<Boolean> numeric, int[] widths,
      Appendable out) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - width(cell));
      line.append(c == 0 ? "" : "  ");
      if (numeric.get(c)) {
        line.append(pad).append(cell);
      } else {
        line.append(cell).append(pad);
      }
    }
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ') {
      end--;
    }
    out.append(line, 0, end).append('\n');
  }

  private static int width(String cell) {
    return cell.codePointCount(0, cell.length());
  }
}
