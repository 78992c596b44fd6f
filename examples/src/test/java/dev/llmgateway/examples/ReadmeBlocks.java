package dev.llmgateway.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a Markdown page's code blocks against the compiled sources they are copied from. A block
 * names its source on the line before it, {@code <!-- snippet: starter/pom.xml#dependencies -->}
 * (a path from the repository's root, then a tag); the source marks the region with {@code
 * tag::dependencies[]} and {@code end::dependencies[]} comment lines. Regions with the same tag
 * are joined with one blank line (so a block can show a file's imports and then code from inside a
 * method); lines that mark other tags are left out; each region loses its common indentation.
 * Every {@code java} block must name its source: a Java block that is not compiled source is a
 * problem too.
 */
final class ReadmeBlocks {
  private static final Pattern FENCE = Pattern.compile("^( *)```(\\S*).*$");
  private static final Pattern MARKER = Pattern.compile("^<!-- snippet: (\\S+)#([\\w-]+) -->$");
  private static final Pattern ANY_TAG = Pattern.compile("(tag|end)::[\\w-]+\\[\\]");

  private ReadmeBlocks() {}

  /** A fenced block: the line its fence opens on (1-based), its language, its text, its marker. */
  record Block(int line, String language, String text, String source, String tag) {}

  /** The fenced code blocks of {@code page}. */
  static List<Block> blocks(List<String> page) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < page.size(); i++) {
      Matcher open = FENCE.matcher(page.get(i));
      if (!open.matches()) {
        continue;
      }
      int indent = open.group(1).length();
      List<String> text = new ArrayList<>();
      int close = i + 1;
      while (close < page.size() && !page.get(close).strip().equals("```")) {
        String line = page.get(close);
        text.add(line.substring(Math.min(indent, line.length() - line.stripLeading().length())));
        close++;
      }
      String source = null;
      String tag = null;
      int before = i - 1;
      while (before >= 0 && page.get(before).isBlank()) {
        before--;
      }
      Matcher marker = before >= 0 ? MARKER.matcher(page.get(before).strip()) : null;
      if (marker != null && marker.matches()) {
        source = marker.group(1);
        tag = marker.group(2);
      }
      blocks.add(new Block(i + 1, open.group(2), normalise(text), source, tag));
      i = close;
    }
    return blocks;
  }

  /**
   * What is wrong with {@code page}'s blocks, one message per block, naming the page's line: a Java
   * block without a source, a source or tag that does not exist, a block that differs from its
   * region.
   */
  static List<String> problems(String pageName, List<String> page, Path root) throws IOException {
    List<String> problems = new ArrayList<>();
    for (Block block : blocks(page)) {
      String where = pageName + ":" + block.line() + ": ```" + block.language() + " block ";
      if (block.source() == null) {
        if (block.language().equals("java")) {
          problems.add(where + "names no compiled source: keep its code in a compiled file between"
              + " `// tag::NAME[]` and `// end::NAME[]` lines and put `<!-- snippet: PATH#NAME -->`"
              + " on the line before the block");
        }
        continue;
      }
      Path file = root.resolve(block.source());
      if (!Files.isRegularFile(file)) {
        problems.add(where + "names " + block.source() + ", which does not exist");
        continue;
      }
      String region = region(Files.readAllLines(file), block.tag());
      if (region == null) {
        problems.add(where + "names tag '" + block.tag() + "', which " + block.source()
            + " does not mark");
      } else if (!region.equals(block.text())) {
        problems.add(where + "differs from " + block.source() + "#" + block.tag() + ": "
            + firstDifference(block.text(), region));
      }
    }
    return problems;
  }

  /** The text of {@code tag}'s regions in {@code source}, or null when it marks none. */
  static String region(List<String> source, String tag) {
    List<String> regions = new ArrayList<>();
    List<String> current = null;
    for (String line : source) {
      if (line.contains("tag::" + tag + "[]")) {
        current = new ArrayList<>();
      } else if (line.contains("end::" + tag + "[]") && current != null) {
        regions.add(normalise(current));
        current = null;
      } else if (current != null && !ANY_TAG.matcher(line).find()) {
        current.add(line);
      }
    }
    return regions.isEmpty() ? null : String.join("\n\n", regions);
  }

  /** Without trailing blanks, leading and trailing empty lines, and the lines' common indent. */
  private static String normalise(List<String> lines) {
    List<String> kept = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
    while (!kept.isEmpty() && kept.get(0).isEmpty()) {
      kept.remove(0);
    }
    while (!kept.isEmpty() && kept.get(kept.size() - 1).isEmpty()) {
      kept.remove(kept.size() - 1);
    }
    int indent = kept.stream().filter(l -> !l.isEmpty())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return String.join("\n", kept.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList());
  }

  private static String firstDifference(String block, String region) {
    String[] a = block.split("\n", -1);
    String[] b = region.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String left = i < a.length ? a[i] : "(nothing)";
      String right = i < b.length ? b[i] : "(nothing)";
      if (!left.equals(right)) {
        return "its line " + (i + 1) + " is\n    " + left + "\n  where the source has\n    " + right;
      }
    }
    return "(no difference)";
  }
}
