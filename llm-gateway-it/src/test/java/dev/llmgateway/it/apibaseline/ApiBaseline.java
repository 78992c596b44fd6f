package dev.llmgateway.it.apibaseline;

import dev.llmgateway.it.arch.ModuleRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The checked-in public API baselines, {@code <module>/api/<module>.api} under the reactor root,
 * and the check of a module's rendered signatures against its file.
 *
 * <p>Stateless and thread-safe.
 */
final class ApiBaseline {

  /** The system property that makes {@link ApiBaselineTest} rewrite the files. */
  static final String UPDATE_PROPERTY = "llmgateway.api.update";

  /** The command that rewrites every baseline from the current code. */
  static final String UPDATE_COMMAND =
      "mvn -q verify -pl llm-gateway-it -am -D" + UPDATE_PROPERTY + "=true";

  /** The published modules, each with a baseline. */
  static final List<ModuleRoot> PUBLISHED = List.of(
      ModuleRoot.API, ModuleRoot.CORE, ModuleRoot.PROVIDERS, ModuleRoot.OTEL, ModuleRoot.TESTING,
      ModuleRoot.REPORT, ModuleRoot.REDIS, ModuleRoot.EVAL);

  private ApiBaseline() {}

  /** Whether this run rewrites the baselines instead of checking them. */
  static boolean updating() {
    return Boolean.getBoolean(UPDATE_PROPERTY);
  }

  /**
   * The baseline's path relative to the reactor root, e.g.
   * {@code llm-gateway-core/api/llm-gateway-core.api}.
   */
  static String relativePath(ModuleRoot module) {
    return module.artifactId() + "/api/" + module.artifactId() + ".api";
  }

  /** The baseline file of {@code module} in the reactor that runs this test. */
  static Path file(ModuleRoot module) {
    return reactorRoot().resolve(relativePath(module));
  }

  /**
   * The reactor root: the nearest directory, from surefire's {@code basedir} (this module) or
   * else the working directory upwards, that holds a {@code pom.xml} and
   * {@code llm-gateway-api/pom.xml}.
   *
   * @throws IllegalStateException when no such directory exists
   */
  static Path reactorRoot() {
    Path start = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
        .toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isRegularFile(dir.resolve("llm-gateway-api/pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("No llm-gateway reactor root (a directory with pom.xml and "
        + "llm-gateway-api/pom.xml) at or above " + start);
  }

  /**
   * The recorded text of {@code file}, line endings normalised to {@code \n}, or null when there
   * is no file.
   *
   * @throws UncheckedIOException when the file exists but cannot be read
   */
  static @Nullable String read(Path file) {
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code rendered} to {@code file} (and its folder) unless it already holds it.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  static void write(Path file, String rendered) {
    if (rendered.equals(read(file))) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, rendered, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks {@code rendered}, the signatures {@code module} has now, against {@code recorded},
   * its checked-in baseline (null when there is none).
   *
   * @throws AssertionError naming every added and removed line, and the command that rewrites
   *     the baselines, when they differ
   */
  static void check(ModuleRoot module, @Nullable String recorded, String rendered) {
    String path = relativePath(module);
    if (recorded == null) {
      throw new AssertionError("No public API baseline for " + module.artifactId() + " at "
          + path + ". Write it with\n  " + UPDATE_COMMAND + "\nand commit it.");
    }
    ApiDiff diff = ApiDiff.between(recorded, rendered);
    if (!diff.isEmpty()) {
      throw new AssertionError("The public API of " + module.artifactId() + " differs from "
          + path + " (" + diff.added().size() + (diff.added().size() == 1 ? " line" : " lines")
          + " added, " + diff.removed().size() + " removed):\n" + diff.report()
          + "\nIf the change is intended, rewrite the baselines with\n  " + UPDATE_COMMAND
          + "\nand commit the changed .api files with the change.");
    }
    if (!recorded.equals(rendered)) {
      throw new AssertionError(path + " lists the right signatures but not in the generated "
          + "layout (order or blank lines). Rewrite it with\n  " + UPDATE_COMMAND);
    }
  }
}
