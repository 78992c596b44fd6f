package dev.llmgateway.it.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.StructuredOutput;
import dev.llmgateway.core.cache.ResponseCache;
import dev.llmgateway.core.internal.admit.planted.AdmitAsksPolicy;
import dev.llmgateway.core.internal.cache.planted.CacheUsesCallAndHealth;
import dev.llmgateway.core.internal.cache.planted.CacheUsesTheRouteStep;
import dev.llmgateway.core.internal.call.planted.CallUsesHealth;
import dev.llmgateway.core.internal.call.planted.CallUsesTheExecuteStep;
import dev.llmgateway.core.internal.health.planted.HealthUsesCall;
import dev.llmgateway.core.internal.health.planted.HealthUsesTheChain;
import dev.llmgateway.core.internal.meter.planted.MeterSeesEveryStep;
import dev.llmgateway.core.internal.policy.planted.PolicyAsksAdmit;
import dev.llmgateway.core.internal.quota.planted.QuotaUsesTheMeter;
import dev.llmgateway.core.internal.structured.planted.StructuredUsesCall;
import dev.llmgateway.core.planted.CoreUsesItsOwnInternals;
import dev.llmgateway.core.planted.CoreUsesOkHttp;
import dev.llmgateway.core.planted.CoreUsesProviders;
import dev.llmgateway.core.planted.CoreUsesTheTimerWheel;
import dev.llmgateway.core.resilience.DeploymentPolicy;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.core.route.Router;
import dev.llmgateway.core.route.planted.RouteUsesTheRouteStep;
import dev.llmgateway.examples.planted.ExampleUsesTheTimerWheel;
import dev.llmgateway.it.planted.ItUsesTheTimerWheel;
import dev.llmgateway.otel.planted.OtelUsesOkHttp;
import dev.llmgateway.otel.planted.OtelUsesProviders;
import dev.llmgateway.otel.planted.PlantedOtelListener;
import dev.llmgateway.planted.StrayClass;
import dev.llmgateway.providers.planted.PlantedProvider;
import dev.llmgateway.providers.planted.ProvidersUsesCore;
import dev.llmgateway.redis.planted.PlantedRedisStore;
import dev.llmgateway.redis.planted.RedisUsesProviders;
import dev.llmgateway.report.planted.ReportUsesApi;
import dev.llmgateway.report.planted.ReportUsesOnlyJacksonAndPicocli;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.spi.planted.ApiUsesCore;
import dev.llmgateway.spi.planted.ApiUsesJackson;
import dev.llmgateway.spi.planted.ApiUsesOnlyJdkAndJSpecify;
import dev.llmgateway.testing.planted.PlantedFakeProvider;
import dev.llmgateway.testing.planted.TestingUsesCoreInternal;
import dev.llmgateway.testing.planted.TestingUsesOtel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves that each rule of {@link ArchitectureRules} fails on a planted violation (and names the
 * planted class and what it wrongly uses) and passes on a clean counterpart, so a green
 * {@link ModuleArrowsTest} means something. Each check imports only the planted classes it needs (a
 * package cycle needs both of its halves).
 */
@Timeout(60)
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
  void reportRuleCatchesReportUsingApi() {
    assertCatches(ArchitectureRules.REPORT_KNOWS_NO_GATEWAY_CODE,
        ReportUsesApi.class, ChatRequest.class.getName());
  }

  @Test
  void reportRuleAllowsJacksonAndPicocli() {
    assertAllows(ArchitectureRules.REPORT_KNOWS_NO_GATEWAY_CODE,
        ReportUsesOnlyJacksonAndPicocli.class);
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
  void internalRuleCatchesItUsingTheProjectSharedPackage() {
    assertCatches(ArchitectureRules.INTERNAL_PACKAGES_STAY_INSIDE_THEIR_MODULE,
        ItUsesTheTimerWheel.class, "dev.llmgateway.internal.TimerWheel");
  }

  @Test
  void internalRuleCatchesExamplesUsingTheProjectSharedPackage() {
    assertCatches(ArchitectureRules.INTERNAL_PACKAGES_STAY_INSIDE_THEIR_MODULE,
        ExampleUsesTheTimerWheel.class, "dev.llmgateway.internal.TimerWheel");
  }

  @Test
  void internalRuleAllowsCoreUsingTheProjectSharedPackage() {
    assertAllows(ArchitectureRules.INTERNAL_PACKAGES_STAY_INSIDE_THEIR_MODULE,
        CoreUsesTheTimerWheel.class);
  }

  @Test
  void stepRuleCatchesTheCacheStepUsingTheRouteStep() {
    assertCatches(ArchitectureRules.CORE_STEPS_SEE_NO_OTHER_STEP,
        CacheUsesTheRouteStep.class, "dev.llmgateway.core.internal.route.RouteTree");
  }

  @Test
  void stepRuleCatchesAStepItsListDoesNotNameUsingTheMeter() {
    assertCatches(ArchitectureRules.CORE_STEPS_SEE_NO_OTHER_STEP,
        QuotaUsesTheMeter.class, "dev.llmgateway.core.internal.meter.MeterInterceptor");
  }

  @Test
  void stepRuleAllowsCallHealthItsOwnPackageAndTheMeterSeeingEveryStep() {
    assertAllows(ArchitectureRules.CORE_STEPS_SEE_NO_OTHER_STEP,
        CacheUsesCallAndHealth.class, MeterSeesEveryStep.class, HealthUsesCall.class);
  }

  @Test
  void sharedPackagesRuleCatchesCallUsingTheExecuteStep() {
    assertCatches(ArchitectureRules.CORE_CALL_AND_HEALTH_SEE_NO_STEP,
        CallUsesTheExecuteStep.class, "dev.llmgateway.core.internal.execute.Planner");
  }

  @Test
  void sharedPackagesRuleCatchesCallUsingHealth() {
    assertCatches(ArchitectureRules.CORE_CALL_AND_HEALTH_SEE_NO_STEP,
        CallUsesHealth.class, "dev.llmgateway.core.internal.health.Breaker");
  }

  @Test
  void sharedPackagesRuleCatchesHealthUsingTheChain() {
    assertCatches(ArchitectureRules.CORE_CALL_AND_HEALTH_SEE_NO_STEP,
        HealthUsesTheChain.class, "dev.llmgateway.core.internal.chain.RealGateway");
  }

  @Test
  void sharedPackagesRuleCatchesStructuredOutputUsingCall() {
    assertCatches(ArchitectureRules.CORE_CALL_AND_HEALTH_SEE_NO_STEP,
        StructuredUsesCall.class, "dev.llmgateway.core.internal.call.Call");
  }

  @Test
  void sharedPackagesRuleAllowsHealthUsingCall() {
    assertAllows(ArchitectureRules.CORE_CALL_AND_HEALTH_SEE_NO_STEP, HealthUsesCall.class);
  }

  @Test
  void publicApiRuleCatchesThePublicRouteGroupUsingTheRouteStep() {
    assertCatches(ArchitectureRules.CORE_PUBLIC_API_STAYS_OUT_OF_THE_STEPS,
        RouteUsesTheRouteStep.class, "dev.llmgateway.core.internal.route.RouteTree");
  }

  @Test
  void publicApiRuleAllowsTheBuilderTheBuiltInStrategiesAndTheCallPackage() {
    assertAllows(ArchitectureRules.CORE_PUBLIC_API_STAYS_OUT_OF_THE_STEPS,
        GatewayBuilder.class, Router.class, Route.class, ResponseCache.class,
        DeploymentPolicy.class, Gateway.class, StructuredOutput.class);
  }

  @Test
  void cycleRuleCatchesTwoStepsUsingEachOther() {
    assertCatches(ArchitectureRules.CORE_INTERNAL_PACKAGES_ARE_FREE_OF_CYCLES,
        AdmitAsksPolicy.class, PolicyAsksAdmit.class.getName(), PolicyAsksAdmit.class);
  }

  @Test
  void cycleRuleAllowsArrowsThatPointOneWay() {
    assertAllows(ArchitectureRules.CORE_INTERNAL_PACKAGES_ARE_FREE_OF_CYCLES,
        MeterSeesEveryStep.class, CacheUsesCallAndHealth.class, HealthUsesCall.class);
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

  private static void assertCatches(
      ArchRule rule, Class<?> planted, String offence, Class<?>... alongside) {
    List<Class<?>> imported = new ArrayList<>(List.of(alongside));
    imported.add(planted);
    EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(imported));

    assertThat(result.hasViolation()).as("%s flags %s", rule.getDescription(), planted).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(line -> assertThat(line).contains(planted.getName()).contains(offence));
  }

  private static void assertAllows(ArchRule rule, Class<?>... clean) {
    EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(clean));

    assertThat(result.hasViolation()).as("%s", result.getFailureReport()).isFalse();
  }
}
