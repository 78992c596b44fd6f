package dev.llmgateway.it.apibaseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.core.planted.PlantedApiAddition;
import dev.llmgateway.it.arch.ModuleRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves that the check of {@link ApiBaselineTest} fails on an unrecorded change, naming exactly
 * the changed lines: core's real signatures plus a class planted in core's package by this
 * module's test sources ({@link PlantedApiAddition}), and core's real signatures with one member
 * line dropped (a public method deleted), each checked against core's real signatures as the
 * recorded baseline.
 */
@Timeout(120)
class ApiBaselineCatchesChangesTest {

  private static final String PLANTED_CLASS =
      "public final class dev.llmgateway.core.planted.PlantedApiAddition";
  private static final String PLANTED_METHOD = "  public static java.lang.String plantedMethod()";

  private static List<Class<?>> core;
  private static String coreApi;

  @BeforeAll
  static void renderCoresRealSignatures() {
    core = ShippedClasses.of(ModuleRoot.CORE);
    coreApi = ApiSignatures.render(core);
  }

  @Test
  void unchangedSignaturesPass() {
    assertThatCode(() -> ApiBaseline.check(ModuleRoot.CORE, coreApi, ApiSignatures.render(core)))
        .doesNotThrowAnyException();
  }

  @Test
  void aPlantedPublicClassFailsTheCheckWithExactlyItsLinesAdded() {
    List<Class<?>> withPlanted = new ArrayList<>(core);
    withPlanted.add(PlantedApiAddition.class);
    String rendered = ApiSignatures.render(withPlanted);

    ApiDiff diff = ApiDiff.between(coreApi, rendered);
    assertThat(diff.added()).containsExactly(PLANTED_CLASS, PLANTED_METHOD);
    assertThat(diff.removed()).isEmpty();
    assertThatThrownBy(() -> ApiBaseline.check(ModuleRoot.CORE, coreApi, rendered))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("llm-gateway-core/api/llm-gateway-core.api (2 lines added, 0 "
            + "removed)")
        .hasMessageContaining("\n+ " + PLANTED_CLASS + "\n+ " + PLANTED_METHOD + "\n")
        .hasMessageContaining(ApiBaseline.UPDATE_COMMAND);
  }

  @Test
  void aDroppedPublicMemberFailsTheCheckWithExactlyThatLineRemoved() {
    List<String> lines = new ArrayList<>(coreApi.lines().toList());
    int member = IntStream.range(0, lines.size())
        .filter(i -> lines.get(i).startsWith("  ")).findFirst().orElseThrow();
    String header = lines.get(member - 1);
    String dropped = lines.remove(member);
    String rendered = String.join("\n", lines) + "\n";

    ApiDiff diff = ApiDiff.between(coreApi, rendered);
    assertThat(diff.removed()).containsExactly(dropped);
    assertThat(diff.added()).isEmpty();
    assertThatThrownBy(() -> ApiBaseline.check(ModuleRoot.CORE, coreApi, rendered))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("(0 lines added, 1 removed)")
        .hasMessageContaining("\n  " + header + "\n- " + dropped + "\n")
        .hasMessageContaining(ApiBaseline.UPDATE_COMMAND);
  }

  @Test
  void aChangedDeclarationShowsAsItsOldLineRemovedAndItsNewLineAdded() {
    String recorded = PLANTED_CLASS + "\n" + PLANTED_METHOD + "\n";
    String rendered = PLANTED_CLASS + " implements java.io.Serializable\n" + PLANTED_METHOD + "\n";

    ApiDiff diff = ApiDiff.between(recorded, rendered);

    assertThat(diff.removed()).containsExactly(PLANTED_CLASS);
    assertThat(diff.added()).containsExactly(PLANTED_CLASS + " implements java.io.Serializable");
  }

  @Test
  void aMissingBaselineFailsWithTheCommandThatWritesIt() {
    assertThatThrownBy(() -> ApiBaseline.check(ModuleRoot.OTEL, null, ""))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("No public API baseline for llm-gateway-otel at "
            + "llm-gateway-otel/api/llm-gateway-otel.api")
        .hasMessageContaining(ApiBaseline.UPDATE_COMMAND);
  }

  @Test
  void theSameSignaturesInAnotherLayoutFailWithTheRewriteCommand() {
    String rendered = PLANTED_CLASS + "\n" + PLANTED_METHOD + "\n";

    assertThat(ApiDiff.between(rendered + "\n\n", rendered).isEmpty()).isTrue();
    assertThatThrownBy(() -> ApiBaseline.check(ModuleRoot.CORE, rendered + "\n\n", rendered))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not in the generated layout")
        .hasMessageContaining(ApiBaseline.UPDATE_COMMAND);
  }
}
