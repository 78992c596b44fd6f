package dev.llmgateway.it.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How {@link ModuleRoot} and {@link ArchitectureRules} tell which module a package belongs to, and
 * which of core's internal packages are steps.
 */
@Timeout(30)
class ModuleRootTest {

  @ParameterizedTest
  @CsvSource({
      "dev.llmgateway, API",
      "dev.llmgateway.internal, API",
      "dev.llmgateway.internal.json, API",
      "dev.llmgateway.spi, API",
      "dev.llmgateway.spi.internal, API",
      "dev.llmgateway.core, CORE",
      "dev.llmgateway.core.internal, CORE",
      "dev.llmgateway.providers.openai, PROVIDERS",
      "dev.llmgateway.providers.anthropic.internal, PROVIDERS",
      "dev.llmgateway.otel, OTEL",
      "dev.llmgateway.testing.internal, TESTING",
      "dev.llmgateway.redis, REDIS",
      "dev.llmgateway.report, REPORT",
      "dev.llmgateway.report.internal, REPORT",
      "dev.llmgateway.eval, EVAL",
      "dev.llmgateway.it.arch, IT",
  })
  void packageBelongsToTheModuleOwningItsRoot(String packageName, ModuleRoot module) {
    assertThat(ModuleRoot.owning(packageName)).contains(module);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "dev.llmgateway.util", "dev.llmgateway.planted", "dev.llmgatewayx", "dev.llmgatewayx.core",
      "dev", "okhttp3", "okhttp3.internal"})
  void packageOutsideEveryRootBelongsToNoModule(String packageName) {
    assertThat(ModuleRoot.owning(packageName)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
      "file:/srv/checkouts/llm-gateway-main/llm-gateway-core/target/classes/dev/llmgateway/core/Gateway.class, CORE",
      "jar:file:/opt/maven-cache/repository/dev/llmgateway/llm-gateway-api/0.1.0-SNAPSHOT/"
          + "llm-gateway-api-0.1.0-SNAPSHOT.jar!/dev/llmgateway/ChatRequest.class, API",
      "file:/srv/checkouts/main/llm-gateway-it/target/test-classes/dev/llmgateway/core/planted/X.class, IT",
      "file:/srv/checkouts/main/llm-gateway-usage-report/target/classes/dev/llmgateway/report/UsageReport.class, REPORT",
      "jar:file:/opt/maven-cache/repository/dev/llmgateway/llm-gateway-usage-report/0.1.0-SNAPSHOT/"
          + "llm-gateway-usage-report-0.1.0-SNAPSHOT.jar!/dev/llmgateway/report/UsageReport.class, REPORT",
      "file:/srv/checkouts/main/llm-gateway-policy-eval/target/classes/dev/llmgateway/eval/PolicyEvalCli.class, EVAL",
  })
  void classFileLocationTellsTheShippingModule(String location, ModuleRoot module) {
    assertThat(ModuleRoot.shipping(URI.create(location))).contains(module);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "file:/srv/checkouts/main/llm-gateway-benchmarks/target/classes/dev/llmgateway/bench/B.class",
      "jar:file:/opt/app/lib/app.jar!/llm-gateway-core/dev/llmgateway/core/Gateway.class",
      "file:/tmp/classes/dev/llmgateway/core/Gateway.class"})
  void classFileLocationWithoutAModuleFolderTellsNothing(String location) {
    assertThat(ModuleRoot.shipping(URI.create(location))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "dev.llmgateway.internal", "dev.llmgateway.core.internal", "dev.llmgateway.core.internal.sse",
      "dev.llmgateway.providers.openai.internal"})
  void internalPackagesAreRecognised(String packageName) {
    assertThat(ArchitectureRules.isLlmGatewayInternal(packageName)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "dev.llmgateway", "dev.llmgateway.core", "dev.llmgateway.core.internals",
      "dev.llmgateway.core.notinternal", "okhttp3.internal", "dev.llmgatewayinternal"})
  void otherPackagesAreNotInternal(String packageName) {
    assertThat(ArchitectureRules.isLlmGatewayInternal(packageName)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "dev.llmgateway.core.internal.route, route, true",
      "dev.llmgateway.core.internal.cache.planted, cache, true",
      "dev.llmgateway.core.internal.admit, admit, true",
      "dev.llmgateway.core.internal.quota, quota, true",
      "dev.llmgateway.core.internal.chain, chain, false",
      "dev.llmgateway.core.internal.meter, meter, false",
      "dev.llmgateway.core.internal.call, call, false",
      "dev.llmgateway.core.internal.health.planted, health, false",
  })
  void corePackageUnderInternalIsAStepUnlessItIsChainMeterCallOrHealth(
      String packageName, String corePackage, boolean step) {
    assertThat(ArchitectureRules.corePackage(packageName)).contains(corePackage);
    assertThat(ArchitectureRules.isStep(corePackage)).isEqualTo(step);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "dev.llmgateway.core", "dev.llmgateway.core.route", "dev.llmgateway.core.internal",
      "dev.llmgateway.core.internals.route", "dev.llmgateway.internal",
      "dev.llmgateway.core.planted"})
  void packageOutsideCoreInternalsSubpackagesIsNoCorePackage(String packageName) {
    assertThat(ArchitectureRules.corePackage(packageName)).isEmpty();
  }

  @Test
  void everyStepOfTheRequestPathCountsAsAStep() {
    assertThat(ArchitectureRules.STEPS).allMatch(ArchitectureRules::isStep);
  }
}
