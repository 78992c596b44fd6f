package dev.llmgateway.report;

import java.util.Locale;

/**
 * What a report groups calls by. A call's missing value (no principal, no variant, no serving
 * deployment) is grouped under {@link UsageRow#NONE}.
 */
public enum Dimension {
  /** The principal's team. */
  TEAM,
  /** The principal's project. */
  PROJECT,
  /**
   * Each of the request's tags: a call with several tags counts once under each of them (so a
   * by-tag table's totals can exceed the calls made), a call without tags under
   * {@link UsageRow#NONE}.
   */
  TAG,
  /** The serving deployment's provider: the part of {@code deployment} before the first '/'. */
  PROVIDER,
  /** The serving deployment's model: the part of {@code deployment} after the first '/'. */
  MODEL,
  /** The A/B variant. */
  VARIANT,
  /** The model or alias the caller asked for ({@code requestedModel}). */
  ALIAS;

  /** The lower-case name used in headings and on the command line, e.g. {@code team}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
