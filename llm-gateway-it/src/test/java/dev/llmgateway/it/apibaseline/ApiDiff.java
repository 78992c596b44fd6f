package dev.llmgateway.it.apibaseline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What differs between a recorded {@code .api} text and a freshly rendered one, type by type:
 * the lines only the fresh text has (added) and the lines only the recorded one has (removed).
 * Types are matched by name, so a member shows under its type wherever the type sits in the
 * file; a changed declaration line shows as its old line removed and its new line added.
 *
 * <p>Immutable and thread-safe.
 */
final class ApiDiff {

  private static final Set<String> KINDS = Set.of("class", "interface", "enum", "record",
      "@interface");

  private final List<String> added;
  private final List<String> removed;
  private final String report;

  private ApiDiff(List<String> added, List<String> removed, String report) {
    this.added = List.copyOf(added);
    this.removed = List.copyOf(removed);
    this.report = report;
  }

  /** The difference from {@code recorded} to {@code rendered}. */
  static ApiDiff between(String recorded, String rendered) {
    SortedMap<String, Block> before = blocks(recorded);
    SortedMap<String, Block> after = blocks(rendered);
    Set<String> types = new TreeSet<>(before.keySet());
    types.addAll(after.keySet());
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    for (String type : types) {
      @Nullable Block old = before.get(type);
      @Nullable Block now = after.get(type);
      List<String> gone = old == null ? List.of() : without(old.members, now);
      List<String> come = now == null ? List.of() : without(now.members, old);
      if (old != null && now != null && old.header.equals(now.header)) {
        if (gone.isEmpty() && come.isEmpty()) {
          continue;
        }
        line(report, ' ', old.header);
      } else {
        if (old != null) {
          removed.add(old.header);
          line(report, '-', old.header);
        }
        if (now != null) {
          added.add(now.header);
          line(report, '+', now.header);
        }
      }
      removed.addAll(gone);
      gone.forEach(member -> line(report, '-', member));
      added.addAll(come);
      come.forEach(member -> line(report, '+', member));
    }
    return new ApiDiff(added, removed, report.toString());
  }

  /** Lines only the rendered text has, in file order, members with their two-space indent. */
  List<String> added() {
    return added;
  }

  /** Lines only the recorded text has, in file order, members with their two-space indent. */
  List<String> removed() {
    return removed;
  }

  /** Whether both texts list the same signatures (they may still differ in blank lines). */
  boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty();
  }

  /**
   * The changed lines as a diff: {@code +} added, {@code -} removed, and a type's unchanged
   * declaration line (indented by two spaces) above the changes among its members.
   */
  String report() {
    return report;
  }

  @Override
  public String toString() {
    return report;
  }

  private static void line(StringBuilder report, char sign, String line) {
    report.append(sign).append(' ').append(line).append('\n');
  }

  private static List<String> without(List<String> members, @Nullable Block other) {
    if (other == null) {
      return members;
    }
    List<String> rest = new ArrayList<>(members);
    rest.removeAll(other.members);
    return rest;
  }

  /** Parses a baseline text: declaration lines flush left, member lines indented. */
  private static SortedMap<String, Block> blocks(String text) {
    SortedMap<String, Block> blocks = new TreeMap<>();
    @Nullable Block current = null;
    for (String line : text.lines().toList()) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith(" ")) {
        if (current == null) {
          throw new IllegalArgumentException("A member line before any type: '" + line + "'");
        }
        current.members.add(line);
      } else {
        current = new Block(line, new ArrayList<>());
        blocks.put(typeName(line), current);
      }
    }
    return blocks;
  }

  /** The type a declaration line declares: the word after its kind, without type parameters. */
  private static String typeName(String header) {
    List<String> words = Arrays.asList(header.split(" "));
    for (int i = 0; i < words.size() - 1; i++) {
      if (KINDS.contains(words.get(i))) {
        String name = words.get(i + 1);
        int typeParameters = name.indexOf('<');
        return typeParameters < 0 ? name : name.substring(0, typeParameters);
      }
    }
    return header;
  }

  private record Block(String header, List<String> members) {}
}
