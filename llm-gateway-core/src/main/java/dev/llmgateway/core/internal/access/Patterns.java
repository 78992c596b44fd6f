package dev.llmgateway.core.internal.access;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One list of a rule, compiled at build: patterns without {@code *} in a hash set, the others as
 * {@link Glob}s. Matching allocates nothing and compiles nothing. Immutable and thread-safe.
 */
final class Patterns {
  static final Patterns NONE = new Patterns(List.of());

  private final Set<String> exact;
  private final Glob[] globs;
  private final List<String> source;

  Patterns(List<String> patterns) {
    Set<String> exactSet = new HashSet<>();
    List<Glob> globList = new ArrayList<>();
    for (String p : patterns) {
      if (p.indexOf('*') < 0) {
        exactSet.add(p);
      } else {
        globList.add(new Glob(p));
      }
    }
    this.exact = Set.copyOf(exactSet);
    this.globs = globList.toArray(new Glob[0]);
    this.source = List.copyOf(patterns);
  }

  static Patterns of(List<String> patterns) {
    return patterns.isEmpty() ? NONE : new Patterns(patterns);
  }

  boolean isEmpty() {
    return source.isEmpty();
  }

  /** The first pattern that matches {@code text}, or null. */
  @Nullable String match(String text) {
    if (exact.contains(text)) {
      return text;
    }
    for (Glob g : globs) {
      if (g.matches(text)) {
        return g.pattern;
      }
    }
    return null;
  }

  /** The first pattern that matches {@code provider + "/" + model}, or null (no string made). */
  @Nullable String match(String provider, String model) {
    if (!exact.isEmpty()) {
      for (String e : exact) {
        if (Glob.equalsJoined(e, provider, model)) {
          return e;
        }
      }
    }
    for (Glob g : globs) {
      if (g.matches(provider, model)) {
        return g.pattern;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return source.toString();
  }
}
