package dev.llmgateway.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The policy's and rules' checks: each problem named when it is configured. */
@Timeout(10)
class AccessPolicyTest {

  @Test
  void patternsAreCheckedWhenGiven() {
    AccessRule.Builder b = AccessRule.builder("r");
    assertThatThrownBy(() -> b.allowAliases(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alias pattern must not be blank");
    assertThatThrownBy(() -> b.denyProviders("openai/*"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("denyDeployments");
    assertThatThrownBy(() -> b.denyDeployments("gpt-4o"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("denyModels");
    assertThatThrownBy(() -> b.allowModels("x".repeat(AccessRule.MAX_TEXT_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the limit is 256");
    assertThatThrownBy(() -> b.allowModels("a\nb"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
    assertThatThrownBy(() -> b.maxOutputTokens(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AccessRule.builder(""))
        .isInstanceOf(IllegalArgumentException.class);
    String[] many = new String[AccessRule.MAX_PATTERNS + 1];
    java.util.Arrays.fill(many, "m");
    assertThatThrownBy(() -> AccessRule.builder("r").denyModels(many))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 1000");
  }

  @Test
  void aCallerGetsOneRuleAndRuleNamesAreUnique() {
    AccessRule a = AccessRule.builder("a").build();
    assertThatThrownBy(() -> AccessPolicy.builder().team("t", a).team("t", a))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("team 't' has a rule");
    assertThatThrownBy(() -> AccessPolicy.builder().team("t", a)
        .org("o", AccessRule.builder("a").denyModels("x").build()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two access rules are named 'a'");
    AccessPolicy shared = AccessPolicy.builder().team("t1", a).team("t2", a).build();
    assertThat(shared.teams()).hasSize(2);
    assertThat(shared.unnamedCallers()).isEqualTo(AccessPolicy.Unnamed.DENY);
  }

  @Test
  void aRuleSaysWhatItHolds() {
    AccessRule rule = AccessRule.builder("support").allowAliases("cheap")
        .denyProviders("anthropic").maxOutputTokens(100).features(AccessRule.Feature.TOOLS)
        .build();
    assertThat(rule.toString()).isEqualTo("AccessRule[support, allowAliases=[cheap],"
        + " denyProviders=[anthropic], maxOutputTokens=100, features=[TOOLS]]");
    assertThat(rule.features()).containsExactly(AccessRule.Feature.TOOLS);
  }
}
