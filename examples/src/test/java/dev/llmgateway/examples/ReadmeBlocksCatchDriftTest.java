package dev.llmgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README check fails on each kind of drift planted into the real README. */
class ReadmeBlocksCatchDriftTest {

  private static List<String> readme() throws IOException {
    return new ArrayList<>(ReadmeTest.readme());
  }

  private static int lineOf(List<String> page, String text) {
    for (int i = 0; i < page.size(); i++) {
      if (page.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no line with " + text);
  }

  private static List<String> problems(List<String> page) throws IOException {
    return ReadmeBlocks.problems("README.md", page, ReadmeTest.ROOT);
  }

  @Test
  void aJavaBlockThatNoLongerCompilesDiffersFromItsSource() throws IOException {
    List<String> page = readme();
    int line = lineOf(page, "if (event instanceof ChatEvent.TextDelta d) {");
    page.set(line, page.get(line).replace("if (event instanceof ChatEvent.TextDelta d) {",
        "if (event instanceof ChatEvent.TextDelta d) -> {"));

    assertThat(problems(page)).singleElement().asString()
        .contains("differs from starter/src/main/java/com/example/Tour.java#stream")
        .contains("TextDelta d) -> {");
  }

  @Test
  void aJavaBlockWithoutASourceIsAProblem() throws IOException {
    List<String> page = readme();
    page.addAll(List.of("", "```java", "gateway.chat(ChatRequest.of(\"smart\", \"hi\"));", "```"));

    assertThat(problems(page)).singleElement().asString()
        .startsWith("README.md:" + (page.size() - 2) + ": ```java block names no compiled source");
  }

  @Test
  void aMarkerNamingAMissingFileOrTagIsAProblem() throws IOException {
    List<String> page = readme();
    int marker = lineOf(page, "<!-- snippet: starter/src/main/java/com/example/Tour.java#stream -->");
    page.set(marker, page.get(marker).replace("#stream", "#streaming"));
    int other = lineOf(page, "<!-- snippet: starter/pom.xml#dependencies -->");
    page.set(other, page.get(other).replace("starter/pom.xml", "starter/pom.xm"));

    assertThat(problems(page)).hasSize(2).anySatisfy(p -> assertThat(p)
            .contains("names tag 'streaming', which starter/src/main/java/com/example/Tour.java"))
        .anySatisfy(p -> assertThat(p).contains("names starter/pom.xm, which does not exist"));
  }

  @Test
  void aDependencyDroppedFromTheReadmeDiffersFromTheStartersPom() throws IOException {
    List<String> page = readme();
    int line = lineOf(page, "<artifactId>llm-gateway-providers</artifactId>");
    page.subList(line - 2, line + 2).clear();

    assertThat(problems(page)).singleElement().asString()
        .contains("differs from starter/pom.xml#dependencies");
  }
}
