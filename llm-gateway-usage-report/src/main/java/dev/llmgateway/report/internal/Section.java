package dev.llmgateway.report.internal;

import java.util.List;

/**
 * One section of the report: a title, notes, one table and one chart. The text report prints the
 * title, notes and table; the HTML page adds the chart.
 *
 * @param id an HTML id made of letters, digits and '-'
 * @param numeric per column, whether it holds numbers (right-aligned in text)
 * @param rows cells already formatted by {@link Format}
 */
public record Section(String id, String title, List<String> notes, List<String> headers,
    List<Boolean> numeric, List<List<String>> rows, Chart chart) {}
