package dev.llmgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.testing.FakeProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README is executed: each of its Java blocks (and its dependency block) is a region of a
 * compiled source — the short tour's in the {@code starter} project, whose build compiles and runs
 * them against wire-level mocks; the later sections' in {@link ReadmeSnippets} — and this test
 * fails when a block drifts from its source. The starter and Spring Boot projects, which have no
 * parent of ours, are checked to use this build's versions.
 */
class ReadmeTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  static List<String> readme() throws IOException {
    return Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
  }

  @Test
  void everyJavaBlockOfTheReadmeIsCompiledSource() throws IOException {
    List<String> readme = readme();

    assertThat(ReadmeBlocks.problems("README.md", readme, ROOT)).isEmpty();
    assertThat(ReadmeBlocks.blocks(readme))
        .filteredOn(b -> b.language().equals("java")).hasSizeGreaterThanOrEqualTo(10)
        .allSatisfy(b -> assertThat(b.source()).isNotNull());
  }

  @Test
  void theFirstJavaBlockShowsTheImportsAndTheDependencyBlockIsTheStartersPom() throws IOException {
    List<ReadmeBlocks.Block> blocks = ReadmeBlocks.blocks(readme());
    ReadmeBlocks.Block firstJava = blocks.stream()
        .filter(b -> b.language().equals("java")).findFirst().orElseThrow();
    ReadmeBlocks.Block firstXml = blocks.stream()
        .filter(b -> b.language().equals("xml")).findFirst().orElseThrow();

    assertThat(firstJava.text()).startsWith("import dev.llmgateway.");
    assertThat(firstXml.source()).isEqualTo("starter/pom.xml");
    assertThat(firstXml.text()).contains("<artifactId>llm-gateway-core</artifactId>",
        "<artifactId>llm-gateway-providers</artifactId>",
        "<artifactId>llm-gateway-testing</artifactId>", "<artifactId>junit-jupiter</artifactId>");
  }

  @Test
  @SuppressWarnings("try") // a gateway the snippet built is closed here, not used
  void theReadmeSnippetsBuildTheirGatewaysAndAnswer() {
    try (Gateway resilient = ReadmeSnippets.resilience(fake("anthropic"), fake("openai"))) {
      assertThat(resilient.health()).isNotEmpty();
    }
    ReadmeSnippets.Routed routed =
        ReadmeSnippets.routing(fake("anthropic"), fake("openai"), fake("gemini"));
    try (Gateway gateway = routed.gateway()) {
      assertThat(routed.answer().routing().explain())
          .contains("alias auto", "rule 'code'", "alias code");
      // lowest latency explores (5 % of calls go to a random candidate): either may answer
      assertThat(routed.answer().deployment().toString())
          .isIn("openai/gpt-4.1", "anthropic/claude-sonnet-4-5");
    }
    ReadmeSnippets.Budgeted budgeted = ReadmeSnippets.budgets(fake("openai"),
        dev.llmgateway.Principal.builder().org("acme").team("support").build());
    try (Gateway gateway = budgeted.gateway()) {
      assertThat(budgeted.support().spentNanos()).isPositive();
      assertThat(budgeted.support().limit()).isEqualByComparingTo("500");
      assertThat(budgeted.budgets().find("team-monthly").limit()).isEqualByComparingTo("150");
    }
    try (Gateway traced = ReadmeSnippets.openTelemetry(io.opentelemetry.api.OpenTelemetry.noop(),
        fake("openai"), fake("azure"))) {
      assertThat(traced.chat(ChatRequest.of("smart", "hi")).text()).isEqualTo("answer from gpt-4.1");
    }
    ReadmeSnippets.Guarded guarded = ReadmeSnippets.policies(fake("openai"));
    try (Gateway gateway = guarded.gateway()) {
      assertThat(guarded.answer().policies()).containsExactly(new dev.llmgateway.PolicyVerdict(
          "pii", "redacted", "EMAIL x1 placeholder"));
    }
    try (Gateway keyed = ReadmeSnippets.sharedEndUserIdKey(name -> new byte[32])
        .provider(fake("openai")).build()) {
      assertThat(keyed.chat(ChatRequest.of("openai/gpt-4.1", "hi")).text())
          .isEqualTo("answer from gpt-4.1");
    }
  }

  @Test
  void theStarterAndTheSpringBootExampleUseThisBuildsVersions() throws IOException {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    String starter = Files.readString(ROOT.resolve("starter/pom.xml"));
    String boot = Files.readString(ROOT.resolve("spring-boot-example/pom.xml"));
    String version = first(parent, "<artifactId>llm-gateway-parent</artifactId>\\s*"
        + "<version>([^<]+)</version>");

    assertThat(bomVersion(starter)).isEqualTo(version);
    assertThat(bomVersion(boot)).isEqualTo(version);
    assertThat(first(starter, "<artifactId>junit-jupiter</artifactId>\\s*<version>([^<]+)<"))
        .isEqualTo(first(parent, "<junit.version>([^<]+)<"));
    assertThat(first(starter, "<artifactId>slf4j-simple</artifactId>\\s*<version>([^<]+)<"))
        .isEqualTo(first(parent, "<slf4j.version>([^<]+)<"));
    for (String plugin : plugins(starter)) {
      assertThat(first(starter, "<artifactId>" + plugin + "</artifactId><version>([^<]+)<"))
          .as(plugin).isEqualTo(first(parent, "<artifactId>" + plugin
              + "</artifactId>\\s*<version>([^<]+)<"));
    }
    assertThat(plugins(starter)).contains("maven-compiler-plugin", "maven-surefire-plugin");
  }

  private static FakeProvider fake(String name) {
    FakeProvider fake = FakeProvider.builder().name(name).build();
    fake.onAnyModel().alwaysReply(request -> "answer from " + request.model());
    return fake;
  }

  private static String bomVersion(String pom) {
    return first(pom, "<artifactId>llm-gateway-bom</artifactId>\\s*<version>([^<]+)</version>");
  }

  private static List<String> plugins(String pom) {
    Matcher m = Pattern.compile("<plugin><artifactId>([^<]+)</artifactId>").matcher(pom);
    List<String> plugins = new ArrayList<>();
    while (m.find()) {
      plugins.add(m.group(1));
    }
    return plugins;
  }

  private static String first(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("%s in the pom", regex).isTrue();
    return m.group(1);
  }
}
