package dev.llmgateway.core.usage;

import java.util.Map;

/** The SQL-standard classes of SQLStates (the first two characters), for messages. */
final class SqlStates {

  private static final Map<String, String> CLASSES = Map.ofEntries(
      Map.entry("08", "connection exception"),
      Map.entry("0A", "feature not supported"),
      Map.entry("22", "data exception"),
      Map.entry("23", "integrity constraint violation"),
      Map.entry("25", "invalid transaction state"),
      Map.entry("28", "invalid authorization specification"),
      Map.entry("3F", "invalid schema name"),
      Map.entry("40", "transaction rollback"),
      Map.entry("42", "syntax error or access rule violation"),
      Map.entry("53", "insufficient resources"),
      Map.entry("54", "program limit exceeded"),
      Map.entry("55", "object not in prerequisite state"),
      Map.entry("57", "operator intervention"),
      Map.entry("58", "system error"));

  private SqlStates() {}

  /** {@code " (class 42: syntax error or access rule violation)"}, or empty for other classes. */
  static String describe(String sqlState) {
    String name = sqlState.length() < 2 ? null : CLASSES.get(sqlState.substring(0, 2));
    return name == null ? "" : " (class " + sqlState.substring(0, 2) + ": " + name + ")";
  }
}
