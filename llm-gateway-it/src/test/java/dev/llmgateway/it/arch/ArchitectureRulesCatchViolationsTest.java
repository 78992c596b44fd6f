package dev.llmgateway.it.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.planted.CoreUsesItsOwnInternals;
import dev.llmgateway.core.planted.CoreUsesOkHttp;
import dev.llmgateway.core.planted.CoreUsesProviders;
import dev.llmgateway.otel.planted.OtelUsesOkHttp;
import dev.llmgateway.otel.planted.OtelUsesProviders;
import dev.llmgateway.otel.planted.PlantedOtelListener;
import dev.llmgateway.planted.StrayClass;
import dev.llmgateway.providers.planted.PlantedProvider;
import dev.llmgateway.providers.planted.ProvidersUsesCore;
import dev.llmgateway.redis.planted.PlantedRedisStore;
import dev.llmgateway.redis.planted.RedisUsesProviders;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.planted.ApiUsesCore;
import dev.llmgateway.spi.planted.ApiUsesJackson;
import dev.llmgateway.spi.planted.ApiUsesOnlyJdkAndJSpecify;
import dev.llmgateway.testing.planted.PlantedFakeProvider;
import dev.llmgateway.testing.planted.TestingUsesCoreInternal;
import dev.llmgateway.testing.planted.TestingUsesOtel;
import org.junit.jupiter.api.Test;

/**
 * Proves that each rule of {@link ArchitectureRules} fails on a planted violation (and names the
 * planted class and what it wrongly uses) and passes on a clean counterpart, so a green
 * {@link ModuleArrowsTest} means something. Each check imports only the planted classes it needs.
 */
class ArchitectureRulesCatchViolationsTest {

  @Test
  void apiRuleCatchesApiUsingJackson() {
    assertCatches(ArchitectureRules.API_DEPENDS_ONLY_ON_JDK_AND_JSPECIFY,
        ApiUsesJackson.class, "com.fasterxml.jackson.databind.ObjectMapper");
  }

  @Test
  void apiRuleCatchesApiUsingCore() {
    assertCatches(ArchitectureRules.API_DEPENDS_ONLY_ON_JDK_AND_JSPECIFY,
        ApiUsesCore.class, Gateway.class.getName());
  }

  @Test
  void apiRuleAllowsTheJdkJSpecifyAndApiItself() {
    assertAllows(ArchitectureRules.API_DEPENDS_ONLY_ON_JDK_AND_JSPECIFY,
        ApiUsesOnlyJdkAndJSpecify.class, ChatRequest.class, Provider.class);
  }

  @Test
  void coreRuleCatchesCoreUsingOkHttp() {
    assertCatches(ArchitectureRules.CORE_KNOWS_NO_HTTP_NOR_PROVIDERS_OTEL_TESTING_REDIS,
        CoreUsesOkHttp.class, "okhttp3.OkHttpClient");
  }

  @Test
  void coreRuleCatchesCoreUsingProviders() {
    assertCatches(ArchitectureRules.CORE_KNOWS_NO_HTTP_NOR_PROVIDERS_OTEL_TESTING_REDIS,
        CoreUsesProviders.class, PlantedProvider.class.getName());
  }

  @Test
  void coreRuleAllowsApiSlf4jJacksonAndItsOwnInternals() {
    assertAllows(ArchitectureRules.CORE_KNOWS_NO_HTTP_NOR_PROVIDERS_OTEL_TESTING_REDIS,
        CoreUsesItsOwnInternals.class);
  }

  @Test
  void providersRuleCatchesProvidersUsingCore() {
    assertCatches(ArchitectureRules.PROVIDERS_KNOW_NO_ROUTING,
        ProvidersUsesCore.class, Gateway.class.getName());
  }

  @Test
  void providersRuleAllowsApiOkHttpAndJackson() {
    assertAllows(ArchitectureRules.PROVIDERS_KNOW_NO_ROUTING, PlantedProvider.class);
  }

  @Test
  void otelRuleCatchesOtelUsingOkHttp() {
    assertCatches(ArchitectureRules.OTEL_KNOWS_NO_TRANSPORT,
        OtelUsesOkHttp.class, "okhttp3.OkHttpClient");
  }

  @Test
  void otelRuleCatchesOtelUsingProviders() {
    assertCatches(ArchitectureRules.OTEL_KNOWS_NO_TRANSPORT,
        OtelUsesProviders.class, PlantedProvider.class.getName());
  }

  @Test
  void otelRuleAllowsApiCoreAndTheOpenTelemetryApi() {
    assertAllows(ArchitectureRules.OTEL_KNOWS_NO_TRANSPORT, PlantedOtelListener.class);
  }

  @Test
  void testingRuleCatchesTestingUsingOtel() {
    assertCatches(ArchitectureRules.TESTING_KNOWS_NO_OTEL_OR_REDIS,
        TestingUsesOtel.class, PlantedOtelListener.class.getName());
  }

  @Test
  void testingRuleAllowsApiCoreProvidersOkHttpAndJUnit() {
    assertAllows(ArchitectureRules.TESTING_KNOWS_NO_OTEL_OR_REDIS, PlantedFakeProvider.class);
  }

  @Test
  void redisRuleCatchesRedisUsingProviders() {
    assertCatches(ArchitectureRules.REDIS_KNOWS_NO_TRANSPORT,
        RedisUsesProviders.class, PlantedProvider.class.getName());
  }

  @Test
  void redisRuleAllowsApiAndCore() {
    assertAllows(ArchitectureRules.REDIS_KNOWS_NO_TRANSPORT, PlantedRedisStore.class);
  }

  @Test
  void internalRuleCatchesTestingUsingCoreInternal() {
    assertCatches(ArchitectureRules.INTERNAL_PACKAGES_STAY_INSIDE_THEIR_MODULE,
        TestingUsesCoreInternal.class, "dev.llmgateway.core.internal.chain.RealGateway");
  }

  @Test
  void internalRuleAllowsCoreUsingItsOwnInternals() {
    assertAllows(ArchitectureRules.INTERNAL_PACKAGES_STAY_INSIDE_THEIR_MODULE,
        CoreUsesItsOwnInternals.class, Gateway.class, PlantedFakeProvider.class);
  }

  @Test
  void rootsRuleCatchesAClassInAPackageNoModuleOwns() {
    assertCatches(ArchitectureRules.CLASSES_LIVE_IN_THEIR_OWN_MODULES_ROOTS,
        StrayClass.class, "dev.llmgateway.planted, which no module owns");
  }

  @Test
  void rootsRuleCatchesASplitPackage() {
    // Shipped by llm-gateway-it's test classes, but in core's package root.
    assertCatches(ArchitectureRules.CLASSES_LIVE_IN_THEIR_OWN_MODULES_ROOTS,
        CoreUsesOkHttp.class, "shipped by llm-gateway-it (split package)");
  }

  @Test
  void rootsRuleAllowsClassesShippedByTheModuleThatOwnsTheirRoot() {
    assertAllows(ArchitectureRules.CLASSES_LIVE_IN_THEIR_OWN_MODULES_ROOTS,
        ChatRequest.class, Provider.class, Gateway.class, ArchitectureRules.class);
  }

  private static void assertCatches(ArchRule rule, Class<?> planted, String offence) {
    EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(planted));

    assertThat(result.hasViolation()).as("%s flags %s", rule.getDescription(), planted).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(line -> assertThat(line).contains(planted.getName()).contains(offence));
  }

  private static void assertAllows(ArchRule rule, Class<?>... clean) {
    EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(clean));

    assertThat(result.hasViolation()).as("%s", result.getFailureReport()).isFalse();
  }
}
