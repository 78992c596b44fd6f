package dev.llmgateway.it.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static dev.llmgateway.it.arch.ModuleRoot.API;
import static dev.llmgateway.it.arch.ModuleRoot.CORE;
import static dev.llmgateway.it.arch.ModuleRoot.EVAL;
import static dev.llmgateway.it.arch.ModuleRoot.OTEL;
import static dev.llmgateway.it.arch.ModuleRoot.PROVIDERS;
import static dev.llmgateway.it.arch.ModuleRoot.REDIS;
import static dev.llmgateway.it.arch.ModuleRoot.REPORT;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The module arrows of DESIGN.md ("arrows only point down the may-depend-on column") and the
 * public/internal line of STYLE.md point 10, as ArchUnit rules. Each rule is built once here, so
 * {@link ModuleArrowsTest} (production classes) and {@link ArchitectureRulesCatchViolationsTest}
 * (planted violations) check the very same rule objects.
 *
 * <p>Inside core, the packages are the request path (DESIGN.md): {@code core.internal.chain}
 * assembles the chain, {@code core.internal.meter} is the outermost step, every other package under
 * {@code core.internal} but the shared {@code call} and {@code health} and the off-path {@code
 * structured} is one step of the path, and the core rules below keep the steps apart, the shared packages beneath them, the public API out
 * of them, and the internal packages free of cycles.
 *
 * <p>Rules for modules that may still be empty (providers, otel, testing, redis) allow an empty
 * {@code should}; the api and core rules do not, so they can never pass vacuously.
 *
 * <p>Rules are immutable and thread-safe.
 */
public final class ArchitectureRules {

  /** The project-shared internal package (OkHttp's {@code okhttp3.internal} pattern). */
  static final String PROJECT_SHARED = "dev.llmgateway.internal";

  /**
   * Core's internal packages: one per step of the path, plus chain, meter, call, health and
   * structured.
   */
  static final String CORE_INTERNAL = "dev.llmgateway.core.internal";

  /**
   * The steps of DESIGN.md's request path, built (auth, access, budget, route, cache, execute) and
   * planned (policy, admit), each a package under {@link #CORE_INTERNAL}. The rules name this list
   * but do not decide by it: every package there but chain, meter, call, health and structured
   * counts as a step, so a new step's package is covered the day it appears.
   */
  static final List<String> STEPS =
      List.of("auth", "access", "policy", "admit", "budget", "route", "cache", "execute");

  /** Assembles the chain, so it sees every step. */
  private static final String CHAIN = "chain";
  /** The outermost step: it reads the other steps' per-call slots, so it sees every step. */
  private static final String METER = "meter";
  /** The per-call vocabulary every step shares (Call, its slots, config, guards). */
  private static final String CALL = "call";
  /** Per-deployment state shared by route and execute (breakers, latency statistics). */
  private static final String HEALTH = "health";
  /**
   * Structured output (schemas from Java types, answers parsed back): off the request path, used
   * by the public {@code StructuredOutput} only.
   */
  private static final String STRUCTURED = "structured";

  /** The packages under {@link #CORE_INTERNAL} that are no step of their own. */
  private static final List<String> NOT_STEPS = List.of(CHAIN, METER, CALL, HEALTH, STRUCTURED);

  /** What each shared package may see under {@link #CORE_INTERNAL}: nothing above it. */
  private static final Map<String, Set<String>> SHARED_PACKAGES_SEE =
      Map.of(CALL, Set.of(CALL), HEALTH, Set.of(HEALTH, CALL), STRUCTURED, Set.of(STRUCTURED));

  /**
   * The only ways from core's public packages into {@link #CORE_INTERNAL} besides {@code call}:
   * public top-level class -> the internal top-level class it may use. The builder builds the
   * chain; Router's and Route's factories hand out the built-in strategies, which live beside the
   * route step that runs them (an interface in the public API, its implementations internal, as
   * Failsafe's policies do); StructuredOutput hands out the schemas and parsers of {@code
   * structured}; ApiKeys makes and hashes keys with {@code auth.KeyFormat};
   * JwtAuthenticator's builder hands its settings to the auth step's JwtVerifier.
   */
  private static final Map<String, String> PUBLIC_ENTRIES = Map.of(
      "dev.llmgateway.core.GatewayBuilder", CORE_INTERNAL + ".chain.RealGateway",
      "dev.llmgateway.core.route.Router", CORE_INTERNAL + ".route.Strategies",
      "dev.llmgateway.core.route.Route", CORE_INTERNAL + ".route.Strategies",
      "dev.llmgateway.core.StructuredOutput", CORE_INTERNAL + ".structured.StructuredTypes",
      "dev.llmgateway.core.auth.ApiKeys", CORE_INTERNAL + ".auth.KeyFormat",
      "dev.llmgateway.core.auth.JwtAuthenticator", CORE_INTERNAL + ".auth.JwtVerifier");

  /** OkHttp and its companions: okio, MockWebServer. */
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
   * The usage report reads usage files: it uses none of the gateway's modules (not even api's
   * vocabulary), and no transport, so it can report on files from any gateway version.
   */
  public static final ArchRule REPORT_KNOWS_NO_GATEWAY_CODE =
      noClasses().that(REPORT.classes())
          .should().dependOnClassesThat(
              resideInAnyPackage(OKHTTP).or(classesOf(API, CORE, PROVIDERS, OTEL, TESTING, REDIS)))
          .because("ARCHITECTURE.md: the usage report may depend on Jackson and picocli only")
          .allowEmptyShould(true);

  /**
   * The policy evaluation tool runs core's detectors over files: it uses api and core, Jackson and
   * picocli, and no transport, telemetry, test doubles or stores.
   */
  public static final ArchRule EVAL_USES_ONLY_CORE_API_JACKSON_PICOCLI =
      noClasses().that(EVAL.classes())
          .should().dependOnClassesThat(
              resideInAnyPackage(OKHTTP).or(classesOf(PROVIDERS, OTEL, TESTING, REDIS, REPORT)))
          .because("issue 30: the evaluation tool may depend on core, api, Jackson and picocli only")
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

  /**
   * A step of core's request path sees no other step: a class in {@code core.internal.<step>} (see
   * {@link #STEPS}; any package there but chain, meter, call, health and structured) depends on
   * no class of another step's package, nor on meter. It may use call, health, its own package and core's
   * public API; only chain (which assembles the steps) and meter (the outermost step, which reads
   * their slots) see every step. A step that used chain would close a cycle, which
   * {@link #CORE_INTERNAL_PACKAGES_ARE_FREE_OF_CYCLES} catches.
   */
  public static final ArchRule CORE_STEPS_SEE_NO_OTHER_STEP =
      classes().that(inCoreInternal("are in a step package of core (" + STEPS
              + " or any other package under " + CORE_INTERNAL + " but "
              + String.join(", ", NOT_STEPS) + ")",
              ArchitectureRules::isStep))
          .should(onlyHaveDependenciesWhere(DescribedPredicate.describe(
              "the target is in no other step's package and not in meter",
              dependency -> {
                String origin = corePackageOf(dependency.getOriginClass()).orElseThrow();
                return corePackageOf(dependency.getTargetClass())
                    .map(target -> target.equals(origin)
                        || (!isStep(target) && !target.equals(METER)))
                    .orElse(true);
              })))
          .because("DESIGN.md and STYLE.md: one package per step of the request path; steps "
              + "share per-call values through the call package's typed slots, never each other's "
              + "classes");

  /**
   * The shared packages sit beneath the steps: {@code core.internal.call} (the per-call
   * vocabulary) sees nothing else under {@code core.internal}, {@code core.internal.health} sees
   * only call, and {@code core.internal.structured} (off the path) sees nothing else. None sees a
   * step, chain or meter.
   */
  public static final ArchRule CORE_CALL_AND_HEALTH_SEE_NO_STEP =
      classes().that(inCoreInternal("are in core's shared packages call, health and structured",
              SHARED_PACKAGES_SEE::containsKey))
          .should(onlyHaveDependenciesWhere(DescribedPredicate.describe(
              "the target is, under " + CORE_INTERNAL + ", in call (or, from health, in health; "
                  + "from structured, in structured only)",
              dependency -> {
                String origin = corePackageOf(dependency.getOriginClass()).orElseThrow();
                return corePackageOf(dependency.getTargetClass())
                    .map(SHARED_PACKAGES_SEE.get(origin)::contains)
                    .orElse(true);
              })))
          .because("the call package imports no step, health is read by route and execute and "
              + "imports no step; both lie beneath every step, and structured is on no path");

  /**
   * Core's public packages ({@code dev.llmgateway.core} and its groups {@code route},
   * {@code resilience}, {@code cost}, {@code cache}, and any added later) reach into
   * {@code core.internal} only through the shared {@code call} package (its argument checks, the
   * builder's config) and five named entries: {@code GatewayBuilder} builds
   * {@code chain.RealGateway}, {@code Router} and {@code Route} hand out the built-in
   * {@code route.Strategies}, {@code StructuredOutput} hands out {@code
   * structured.StructuredTypes}, {@code ApiKeys} uses {@code auth.KeyFormat}. Nothing public uses meter, health, another class of chain or of
   * a step.
   */
  public static final ArchRule CORE_PUBLIC_API_STAYS_OUT_OF_THE_STEPS =
      classes().that(corePublicApi())
          .should(onlyHaveDependenciesWhere(DescribedPredicate.describe(
              "the target is outside " + CORE_INTERNAL + ", in its call package, or one of the "
                  + "entries " + publicEntries(),
              dependency -> corePackageOf(dependency.getTargetClass())
                  .map(target -> target.equals(CALL)
                      || topLevelName(dependency.getTargetClass()).equals(
                          PUBLIC_ENTRIES.get(topLevelName(dependency.getOriginClass()))))
                  .orElse(true))))
          .because("STYLE.md 10: the public API is a decision; the steps behind it are free to "
              + "change");

  /** No package cycles among {@code core.internal}'s packages. */
  public static final ArchRule CORE_INTERNAL_PACKAGES_ARE_FREE_OF_CYCLES =
      slices().matching(CORE_INTERNAL + ".(*)..")
          .should().beFreeOfCycles()
          .because("the packages are the request path: each step's package only looks down");

  private ArchitectureRules() {}

  /**
   * The package directly under {@link #CORE_INTERNAL} that holds {@code packageName}, e.g.
   * {@code route} for {@code core.internal.route} and its subpackages; empty outside them.
   */
  static Optional<String> corePackage(String packageName) {
    if (!packageName.startsWith(CORE_INTERNAL + ".")) {
      return Optional.empty();
    }
    String rest = packageName.substring(CORE_INTERNAL.length() + 1);
    int dot = rest.indexOf('.');
    return Optional.of(dot < 0 ? rest : rest.substring(0, dot));
  }

  /** Whether a package directly under {@link #CORE_INTERNAL} (e.g. {@code route}) is a step. */
  static boolean isStep(String corePackage) {
    return !NOT_STEPS.contains(corePackage);
  }

  private static Optional<String> corePackageOf(JavaClass javaClass) {
    return corePackage(javaClass.getBaseComponentType().getPackageName());
  }

  private static DescribedPredicate<JavaClass> inCoreInternal(
      String description, Predicate<String> corePackage) {
    return DescribedPredicate.describe(
        description, javaClass -> corePackageOf(javaClass).filter(corePackage).isPresent());
  }

  /** Classes of core outside {@link #CORE_INTERNAL}. */
  private static DescribedPredicate<JavaClass> corePublicApi() {
    return DescribedPredicate.describe(
        "are in core's public packages (" + CORE.packages() + " but " + CORE_INTERNAL + "..)",
        javaClass -> CORE.classes().test(javaClass)
            && !isLlmGatewayInternal(javaClass.getBaseComponentType().getPackageName()));
  }

  /** {@link #PUBLIC_ENTRIES} for a description, e.g. "GatewayBuilder -> chain.RealGateway". */
  private static String publicEntries() {
    return PUBLIC_ENTRIES.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(entry -> entry.getKey().substring(entry.getKey().lastIndexOf('.') + 1) + " -> "
            + entry.getValue().substring(CORE_INTERNAL.length() + 1))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** The name of the top-level class that holds {@code javaClass} (itself if it is top-level). */
  private static String topLevelName(JavaClass javaClass) {
    String name = javaClass.getBaseComponentType().getName();
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }

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
