package dev.llmgateway.it.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.internal.cache.planted.CacheUsesTheRouteStep;
import dev.llmgateway.core.planted.CoreUsesOkHttp;
import dev.llmgateway.spi.Provider;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Checks the {@link ArchitectureRules} against the production classes of every module on this
 * module's class path (all of {@code dev.llmgateway..}, test classes left out).
 */
@Timeout(120)
class ModuleArrowsTest {

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.llmgateway");
  }

  @Test
  void apiDependsOnlyOnTheJdkAndJSpecify() {
    ArchitectureRules.API_DEPENDS_ONLY_ON_JDK_AND_JSPECIFY.check(production);
  }

  @Test
  void coreKnowsNoHttpNorProvidersOtelTestingRedis() {
    ArchitectureRules.CORE_KNOWS_NO_HTTP_NOR_PROVIDERS_OTEL_TESTING_REDIS.check(production);
  }

  @Test
  void providersKnowNoRouting() {
    ArchitectureRules.PROVIDERS_KNOW_NO_ROUTING.check(production);
  }

  @Test
  void otelKnowsNoTransport() {
    ArchitectureRules.OTEL_KNOWS_NO_TRANSPORT.check(production);
  }

  @Test
  void testingKnowsNoOtelOrRedis() {
    ArchitectureRules.TESTING_KNOWS_NO_OTEL_OR_REDIS.check(production);
  }

  @Test
  void redisKnowsNoTransport() {
    ArchitectureRules.REDIS_KNOWS_NO_TRANSPORT.check(production);
  }

  @Test
  void reportKnowsNoGatewayCode() {
    ArchitectureRules.REPORT_KNOWS_NO_GATEWAY_CODE.check(production);
  }

  @Test
  void evalUsesOnlyCoreApiJacksonAndPicocli() {
    ArchitectureRules.EVAL_USES_ONLY_CORE_API_JACKSON_PICOCLI.check(production);
  }

  @Test
  void internalPackagesStayInsideTheirModule() {
    ArchitectureRules.INTERNAL_PACKAGES_STAY_INSIDE_THEIR_MODULE.check(production);
  }

  @Test
  void classesLiveInTheirOwnModulesRoots() {
    ArchitectureRules.CLASSES_LIVE_IN_THEIR_OWN_MODULES_ROOTS.check(production);
  }

  @Test
  void coreStepsSeeNoOtherStep() {
    ArchitectureRules.CORE_STEPS_SEE_NO_OTHER_STEP.check(production);
  }

  @Test
  void coreCallAndHealthSeeNoStep() {
    ArchitectureRules.CORE_CALL_AND_HEALTH_SEE_NO_STEP.check(production);
  }

  @Test
  void corePublicApiStaysOutOfTheSteps() {
    ArchitectureRules.CORE_PUBLIC_API_STAYS_OUT_OF_THE_STEPS.check(production);
  }

  @Test
  void coreInternalPackagesAreFreeOfCycles() {
    ArchitectureRules.CORE_INTERNAL_PACKAGES_ARE_FREE_OF_CYCLES.check(production);
  }

  @Test
  void importSeesCoresStepsAndSharedPackagesSoTheirRulesAreNotVacuous() {
    Set<String> corePackages = production.stream()
        .map(c -> ArchitectureRules.corePackage(c.getPackageName()))
        .flatMap(Optional::stream)
        .collect(Collectors.toSet());
    assertThat(corePackages)
        .contains("chain", "meter", "call", "health", "auth", "route", "cache", "execute");
  }

  @Test
  void importSeesApiAndCoreSoTheirRulesAreNotVacuous() {
    assertThat(production.contain(ChatRequest.class)).isTrue();
    assertThat(production.contain(Provider.class)).isTrue();
    assertThat(production.contain(Gateway.class)).isTrue();
    Set<String> packages =
        production.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
    assertThat(packages).contains(
        "dev.llmgateway", "dev.llmgateway.spi",
        "dev.llmgateway.core", "dev.llmgateway.core.internal.chain", "dev.llmgateway.internal");
    assertThat(production.stream().filter(c -> ModuleRoot.API.owns(c.getPackageName())))
        .contains(production.get(ChatRequest.class), production.get(Provider.class));
  }

  @Test
  void importLeavesOutTestClassesIncludingThePlantedViolations() {
    assertThat(production.contain(CoreUsesOkHttp.class)).isFalse();
    assertThat(production.contain(CacheUsesTheRouteStep.class)).isFalse();
    assertThat(production.contain(ModuleArrowsTest.class)).isFalse();
    assertThat(production.stream())
        .allSatisfy(c -> {
          assertThat(c.getPackageName())
              .doesNotContain(".planted")
              .doesNotStartWith("dev.llmgateway.it");
          assertThat(c.getSource()).hasValueSatisfying(
              source -> assertThat(source.getUri().toString()).doesNotContain("test-classes"));
        });
  }
}
