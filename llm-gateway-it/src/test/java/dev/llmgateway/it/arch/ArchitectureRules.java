package dev.llmgateway.it.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.llmgateway.it.arch.ModuleRoot.API;
import static dev.llmgateway.it.arch.ModuleRoot.CORE;
import static dev.llmgateway.it.arch.ModuleRoot.OTEL;
import static dev.llmgateway.it.arch.ModuleRoot.PROVIDERS;
import static dev.llmgateway.it.arch.ModuleRoot.REDIS;
import static dev.llmgateway.it.arch.ModuleRoot.TESTING;
import static dev.llmgateway.it.arch.ModuleRoot.classesOf;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The module arrows of DESIGN.md ("arrows only point down the may-depend-on column") and the
 * public/internal line of STYLE.md point 10, as ArchUnit rules. Each rule is built once here, so
 * {@link ModuleArrowsTest} (production classes) and {@link ArchitectureRulesCatchViolationsTest}
 * (planted violations) check the very same rule objects.
 *
 * <p>Rules for modules that may still be empty (providers, otel, testing, redis) allow an empty
 * {@code should}; the api and core rules do not, so they can never pass vacuously.
 *
 * <p>Rules are immutable and thread-safe.
 */
public final class ArchitectureRules {

  /** OkHttp and its companions: okio, MockWebServer. */
  /** The project-shared internal package (OkHttp's {@code okhttp3.internal} pattern). */
  static final String PROJECT_SHARED = "dev.llmgateway.internal";

  private static final String[] OKHTTP = {"okhttp3..", "okio..", "mockwebserver3.."};

  /** The public API of the running JDK: every package a system module exports to everyone. */
  private static final Set<String> JDK_PACKAGES =
      ModuleFinder.ofSystem().findAll().stream()
          .flatMap(module -> module.descriptor().exports().stream())
          .filter(exports -> !exports.isQualified())
          .map(ModuleDescriptor.Exports::source)
          .collect(Collectors.toUnmodifiableSet());

  /**
   * api depends on nothing but the JDK and JSpecify: no HTTP, no JSON library, no Failsafe,
   * Caffeine, SLF4J or OpenTelemetry, and no other llm-gateway module.
   */
  public static final ArchRule API_DEPENDS_ONLY_ON_JDK_AND_JSPECIFY =
      classes().that(API.classes())
          .should().onlyDependOnClassesThat(
              partOfTheJdk().or(resideInAnyPackage("org.jspecify..")).or(API.classes()))
          .because("DESIGN.md: api may depend on nothing but JSpecify annotations");

  /** Core knows no wire format and no OkHttp, nor the providers, otel, testing or redis modules. */
  public static final ArchRule CORE_KNOWS_NO_HTTP_NOR_PROVIDERS_OTEL_TESTING_REDIS =
      noClasses().that(CORE.classes())
          .should().dependOnClassesThat(
              resideInAnyPackage(OKHTTP).or(classesOf(PROVIDERS, OTEL, TESTING, REDIS)))
          .because("DESIGN.md: core knows no wire format and no OkHttp; of the modules it uses api only");

  /**
   * Providers know no routing: not core (nor Failsafe, which core's retry and failover use), not
   * OpenTelemetry (trace context reaches the wire through the attempt context), not otel,
   * testing or redis.
   */
  public static final ArchRule PROVIDERS_KNOW_NO_ROUTING =
      noClasses().that(PROVIDERS.classes())
          .should().dependOnClassesThat(
              classesOf(CORE, OTEL, TESTING, REDIS)
                  .or(resideInAnyPackage("dev.failsafe..", "io.opentelemetry..")))
          .because("DESIGN.md: providers may depend on api, OkHttp and Jackson, and know no routing")
          .allowEmptyShould(true);

  /** otel is a listener over api and core: no transport, no OkHttp, no test doubles. */
  public static final ArchRule OTEL_KNOWS_NO_TRANSPORT =
      noClasses().that(OTEL.classes())
          .should().dependOnClassesThat(
              resideInAnyPackage(OKHTTP).or(classesOf(PROVIDERS, TESTING, REDIS)))
          .because("DESIGN.md: otel may depend on api, core and the OpenTelemetry API")
          .allowEmptyShould(true);

  /** The test doubles users put in their own suites drag in neither OpenTelemetry nor Redis. */
  public static final ArchRule TESTING_KNOWS_NO_OTEL_OR_REDIS =
      noClasses().that(TESTING.classes())
          .should().dependOnClassesThat(classesOf(OTEL, REDIS))
          .because("DESIGN.md: testing may depend on api, core, providers, MockWebServer and JUnit")
          .allowEmptyShould(true);

  /** redis (future) holds shared stores over api and core: no transport, otel or test doubles. */
  public static final ArchRule REDIS_KNOWS_NO_TRANSPORT =
      noClasses().that(REDIS.classes())
          .should().dependOnClassesThat(
              resideInAnyPackage(OKHTTP).or(classesOf(PROVIDERS, OTEL, TESTING)))
          .because("DESIGN.md: redis may depend on api, core and Lettuce")
          .allowEmptyShould(true);

  /**
   * A class in a module root's {@code ..internal..} package is used only by classes of that same
   * module: nothing outside {@code dev.llmgateway.core..} touches
   * {@code dev.llmgateway.core.internal..}, and likewise for every module in {@link ModuleRoot};
   * the project-shared {@code dev.llmgateway.internal} is open to the published modules only
   * (not to users' code, examples or these tests).
   */
  public static final ArchRule INTERNAL_PACKAGES_STAY_INSIDE_THEIR_MODULE =
      classes()
          .should(onlyHaveDependenciesWhere(notOnAnotherModulesInternals()))
          .because("STYLE.md 10: ..internal.. packages are not public API, and jars carry no "
              + "module-info, so this rule keeps the line");

  /**
   * Every llm-gateway class lies in a root that a module owns, and is shipped by that module: no
   * stray packages that would escape every other rule, and no split packages.
   */
  public static final ArchRule CLASSES_LIVE_IN_THEIR_OWN_MODULES_ROOTS =
      classes()
          .should(liveInTheRootsOfTheModuleThatShipsThem())
          .because("STYLE.md 10: each module owns its package roots (no split packages)");

  private ArchitectureRules() {}

  /** Classes (or arrays of them) of the running JDK's exported API, primitives included. */
  static DescribedPredicate<JavaClass> partOfTheJdk() {
    return DescribedPredicate.describe(
        "are part of the JDK",
        javaClass -> JDK_PACKAGES.contains(javaClass.getBaseComponentType().getPackageName()));
  }

  /** Whether {@code packageName} is an {@code internal} package under {@code dev.llmgateway}. */
  static boolean isLlmGatewayInternal(String packageName) {
    return (packageName + ".").startsWith("dev.llmgateway.")
        && ("." + packageName + ".").contains(".internal.");
  }

  /**
   * Whether {@code packageName} is the project-shared internal package of api ({@code
   * dev.llmgateway.internal}: the timer wheel, the pull publisher, demand arithmetic), which every
   * published module may use and nothing else may.
   */
  static boolean isProjectShared(String packageName) {
    return packageName.equals(PROJECT_SHARED) || packageName.startsWith(PROJECT_SHARED + ".");
  }

  private static DescribedPredicate<Dependency> notOnAnotherModulesInternals() {
    return DescribedPredicate.describe(
        "the target is not in another module's internal package",
        dependency -> {
          String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
          if (!isLlmGatewayInternal(target)) {
            return true;
          }
          Optional<ModuleRoot> origin =
              ModuleRoot.owning(dependency.getOriginClass().getPackageName());
          if (isProjectShared(target)) {
            return origin.isPresent() && origin.get() != ModuleRoot.IT;
          }
          Optional<ModuleRoot> owner = ModuleRoot.owning(target);
          return owner.isPresent() && owner.equals(origin);
        });
  }

  private static ArchCondition<JavaClass> liveInTheRootsOfTheModuleThatShipsThem() {
    return new ArchCondition<>("live in the package roots of the module that ships them") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        Optional<ModuleRoot> owner = ModuleRoot.owning(javaClass.getPackageName());
        if (owner.isEmpty()) {
          events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName()
              + " is in package " + javaClass.getPackageName() + ", which no module owns"));
          return;
        }
        Optional<ModuleRoot> shipper =
            javaClass.getSource().flatMap(source -> ModuleRoot.shipping(source.getUri()));
        if (shipper.isPresent() && shipper.get() != owner.get()) {
          events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName()
              + " is in " + owner.get().artifactId() + "'s package root but is shipped by "
              + shipper.get().artifactId() + " (split package)"));
        }
      }
    };
  }
}
