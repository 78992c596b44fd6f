package dev.llmgateway.it.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.PackageMatchers;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The modules of the reactor and the package roots each one owns (STYLE.md point 10: no split
 * packages). {@code dev.llmgateway} is a prefix of every root, so api owns that package
 * <em>exactly</em>, plus its {@code internal} subpackages and the {@code dev.llmgateway.spi} root.
 *
 * <p>Immutable and thread-safe.
 */
public enum ModuleRoot {
  /** {@code llm-gateway-api}. */
  API("llm-gateway-api", "dev.llmgateway", "dev.llmgateway.internal..", "dev.llmgateway.spi.."),
  /** {@code llm-gateway-core}. */
  CORE("llm-gateway-core", "dev.llmgateway.core.."),
  /** {@code llm-gateway-providers}: one subpackage per wire format (openai, anthropic, gemini). */
  PROVIDERS("llm-gateway-providers", "dev.llmgateway.providers.."),
  /** {@code llm-gateway-otel}. */
  OTEL("llm-gateway-otel", "dev.llmgateway.otel.."),
  /** {@code llm-gateway-usage-report}: reads usage files; knows none of the gateway's code. */
  REPORT("llm-gateway-usage-report", "dev.llmgateway.report.."),
  /**
   * {@code llm-gateway-policy-eval}: the policy evaluation tool over core's PII detection and
   * injection scan.
   */
  EVAL("llm-gateway-policy-eval", "dev.llmgateway.eval.."),
  /** {@code llm-gateway-testing}. */
  TESTING("llm-gateway-testing", "dev.llmgateway.testing.."),
  /** {@code llm-gateway-redis}. */
  REDIS("llm-gateway-redis", "dev.llmgateway.redis.."),
  /** {@code llm-gateway-it}, this module: cross-module tests, never published. */
  IT("llm-gateway-it", "dev.llmgateway.it..");

  /**
   * A {@code /llm-gateway-<name>/} folder in a class file's location ({@code <name>} may hold
   * hyphens: {@code usage-report}); the last one names the module.
   */
  private static final Pattern ARTIFACT_FOLDER =
      Pattern.compile("/(llm-gateway-[a-z]+(?:-[a-z]+)*)(?=/)");

  private final String artifactId;
  private final List<String> packages;
  private final PackageMatchers matchers;

  ModuleRoot(String artifactId, String... packages) {
    this.artifactId = artifactId;
    this.packages = List.of(packages);
    this.matchers = PackageMatchers.of(packages);
  }

  /** The Maven artifact id, e.g. {@code llm-gateway-core}. */
  public String artifactId() {
    return artifactId;
  }

  /** The ArchUnit package identifiers of this module's roots. */
  public List<String> packages() {
    return packages;
  }

  /** Whether {@code packageName} lies in one of this module's roots. */
  public boolean owns(String packageName) {
    return matchers.test(packageName);
  }

  /** Classes (or arrays of them) whose package lies in this module's roots. */
  public DescribedPredicate<JavaClass> classes() {
    return DescribedPredicate.describe(
        "reside in " + artifactId + " " + packages,
        javaClass -> owns(javaClass.getBaseComponentType().getPackageName()));
  }

  /** Classes of any of {@code modules}. */
  public static DescribedPredicate<JavaClass> classesOf(ModuleRoot... modules) {
    return DescribedPredicate.describe(
        "reside in " + Arrays.stream(modules).map(m -> m.artifactId).toList(),
        javaClass -> Arrays.stream(modules).anyMatch(m -> m.classes().test(javaClass)));
  }

  /** The module whose roots hold {@code packageName}, if any. */
  public static Optional<ModuleRoot> owning(String packageName) {
    return Arrays.stream(values()).filter(m -> m.owns(packageName)).findFirst();
  }

  /**
   * The module whose build output or jar a class file was loaded from, told by the last
   * {@code /llm-gateway-<name>/} folder of its location
   * ({@code .../llm-gateway-core/target/classes/} in a reactor build,
   * {@code .../dev/llmgateway/llm-gateway-core/<version>/...jar} from a Maven repository). Empty
   * when the location names no module of this enum.
   */
  public static Optional<ModuleRoot> shipping(URI classFileLocation) {
    String location = classFileLocation.toString();
    int insideJar = location.indexOf("!/");
    Matcher matcher =
        ARTIFACT_FOLDER.matcher(insideJar < 0 ? location : location.substring(0, insideJar));
    @Nullable String last = null;
    while (matcher.find()) {
      last = matcher.group(1);
    }
    String found = last;
    return Arrays.stream(values()).filter(m -> m.artifactId.equals(found)).findFirst();
  }
}
