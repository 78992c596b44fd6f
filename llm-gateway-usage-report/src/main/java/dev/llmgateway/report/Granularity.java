package dev.llmgateway.report;

import java.util.Locale;

/** The period a report's rows are cut into, in UTC. */
public enum Granularity {
  /** A UTC calendar day, labelled {@code 2026-12-07}. */
  DAY,
  /** A UTC calendar month, labelled {@code 2026-12}. */
  MONTH;

  /** The lower-case name, e.g. {@code day}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
