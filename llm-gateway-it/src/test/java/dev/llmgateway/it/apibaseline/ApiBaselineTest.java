package dev.llmgateway.it.apibaseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.planted.CoreUsesOkHttp;
import dev.llmgateway.core.planted.PlantedApiAddition;
import dev.llmgateway.eval.PolicyEvalCli;
import dev.llmgateway.it.arch.ModuleRoot;
import dev.llmgateway.providers.openai.OpenAiProvider;
import dev.llmgateway.report.UsageReport;
import dev.llmgateway.spi.Provider;
import dev.llmgateway.testing.FakeProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks each published module's public signatures, rendered from the classes the module ships,
 * against its checked-in {@code <module>/api/<module>.api}, and fails with the added and removed
 * lines when they differ. Run with {@code -Dllmgateway.api.update=true} (see
 * {@link ApiBaseline#UPDATE_COMMAND}), it rewrites the files instead.
 */
@Timeout(120)
class ApiBaselineTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("published")
  void publicApiMatchesTheCheckedInBaseline(ModuleRoot module) {
    String rendered = ApiSignatures.render(ShippedClasses.of(module));
    Path file = ApiBaseline.file(module);
    if (ApiBaseline.updating()) {
      ApiBaseline.write(file, rendered);
    } else {
      ApiBaseline.check(module, ApiBaseline.read(file), rendered);
    }
  }

  static List<ModuleRoot> published() {
    return ApiBaseline.PUBLISHED;
  }

  @Test
  void eachModuleIsFoundByItsOwnBuildOutput() {
    assertThat(ShippedClasses.of(ModuleRoot.API)).contains(ChatRequest.class, Provider.class);
    assertThat(ShippedClasses.of(ModuleRoot.CORE)).contains(Gateway.class);
    assertThat(ShippedClasses.of(ModuleRoot.PROVIDERS)).contains(OpenAiProvider.class);
    assertThat(ShippedClasses.of(ModuleRoot.TESTING)).contains(FakeProvider.class);
    assertThat(ShippedClasses.of(ModuleRoot.REPORT)).contains(UsageReport.class);
    assertThat(ShippedClasses.of(ModuleRoot.EVAL)).contains(PolicyEvalCli.class);
  }

  @Test
  void classesPlantedInCoresPackagesByThisModuleAreNotCoresApi() throws URISyntaxException {
    assertThat(ShippedClasses.of(ModuleRoot.CORE))
        .doesNotContain(CoreUsesOkHttp.class, PlantedApiAddition.class)
        .allSatisfy(type -> assertThat(type.getPackageName()).doesNotContain("planted"));
    URI planted =
        PlantedApiAddition.class.getProtectionDomain().getCodeSource().getLocation().toURI();
    assertThat(ModuleRoot.shipping(planted)).contains(ModuleRoot.IT);
    assertThat(ShippedClasses.publishedModuleAt(planted)).isEmpty();
    assertThat(ApiSignatures.render(ShippedClasses.of(ModuleRoot.CORE))).doesNotContain("planted");
  }

  @Test
  void baselinesLieInTheReactorRootsModuleFolders() {
    Path root = ApiBaseline.reactorRoot();
    assertThat(root.resolve("llm-gateway-it/pom.xml")).isRegularFile();
    assertThat(ApiBaseline.file(ModuleRoot.CORE))
        .isEqualTo(root.resolve("llm-gateway-core/api/llm-gateway-core.api"));
  }
}
