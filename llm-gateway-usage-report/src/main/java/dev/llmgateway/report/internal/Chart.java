package dev.llmgateway.report.internal;

import java.util.List;

/** The chart of one section, drawn as inline SVG by the HTML page only. */
public sealed interface Chart permits Chart.Bars, Chart.Lines {

  /** A caption under the chart, saying what it shows and what it leaves out. */
  String caption();

  /**
   * Horizontal bars, one per label.
   *
   * @param highlighted indexes of bars drawn in the highlight colour
   */
  record Bars(String caption, String unit, List<String> labels, List<Double> values,
      List<Integer> highlighted) implements Chart {}

  /**
   * One line per series over the same x labels.
   *
   * @param values per series, one value per x label
   */
  record Lines(String caption, String unit, List<String> x, List<String> series,
      List<double[]> values) implements Chart {}
}
