package dev.llmgateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTML page, parsed with jsoup: its charts, its tables against the text report, escaping. */
@Timeout(60)
class HtmlReportTest {

  private static final String SCRIPT_TEAM = "<script>alert('team')</script>";
  private static final String IMG_PROJECT = "\"><img src=x onerror=alert(1)>";

  @TempDir
  static Path dir;

  private static UsageGenerator generated;
  private static ReportResult result;
  private static Document page;
  private static String text;

  @BeforeAll
  static void report() throws Exception {
    generated = new UsageGenerator().write(dir.resolve("usage.jsonl"), 20_000, 7L);
    Files.writeString(dir.resolve("hostile.jsonl"), Records.json(Records.call("h1",
        "2026-12-03T00:00:00Z", "succeeded", SCRIPT_TEAM, IMG_PROJECT, List.of("a&b", "</td>"),
        "<b>alias</b>", null, "evil&co/<model>", "0.000001", 10)) + "\n");
    result = UsageReport.builder().input(dir)
        .groupBy(Dimension.TEAM).groupBy(Dimension.PROJECT, Dimension.TAG)
        .build().read();
    page = Jsoup.parse(HtmlReport.render(result));
    text = TextReport.render(result);
  }

  @Test
  void everySectionHasExactlyOneChartAndOneTable() {
    List<Element> sections = page.select("section");
    assertThat(sections).extracting(s -> s.selectFirst("h2").text()).containsExactly(
        "By team, per month", "By project and tag, per month", "Cost per team per day",
        "p95 latency per variant", "Error rate per variant", "Cheapest variant within margin");
    assertThat(sections).allSatisfy(s -> {
      assertThat(s.select("svg")).hasSize(1);
      assertThat(s.select("table")).hasSize(1);
    });
    assertThat(page.select("section#cost-per-team-per-day svg polyline"))
        .hasSize(UsageGenerator.TEAMS.length + 1);
  }

  @Test
  void everyTableRowEqualsTheTextReportsRow() {
    for (Element section : page.select("section")) {
      String title = section.selectFirst("h2").text();
      List<String> textRows = textTable(title);
      List<String> htmlRows = new ArrayList<>();
      for (Element tr : section.select("tbody tr")) {
        htmlRows.add(collapse(tr.select("td").stream().map(Element::text)
            .collect(Collectors.joining(" "))));
      }
      assertThat(htmlRows).as(title).isNotEmpty().isEqualTo(textRows);
    }
  }

  @Test
  void costPerTeamInTheHtmlTableEqualsTheGeneratorsSum() {
    Element table = page.selectFirst("section#by-team-per-month table");
    List<String> headers = table.select("thead th").eachText();
    int teamColumn = headers.indexOf("team");
    int costColumn = headers.indexOf("cost USD");
    for (Element tr : table.select("tbody tr")) {
      List<String> cells = tr.select("td").eachText();
      String team = cells.get(teamColumn);
      if (!team.equals(SCRIPT_TEAM)) {
        assertThat(new BigDecimal(cells.get(costColumn)))
            .as(team).isEqualTo(generated.costPerTeam.get(team));
      }
    }
  }

  @Test
  void hostileNamesAreShownAsTextNeverAsMarkup() {
    assertThat(page.select("script")).isEmpty();
    assertThat(page.select("img")).isEmpty();
    assertThat(page.select("b")).isEmpty();
    assertThat(page.select("td").eachText()).contains(SCRIPT_TEAM, IMG_PROJECT, "a&b", "</td>");
    assertThat(page.select("svg text").eachText()).anyMatch(t -> t.contains(SCRIPT_TEAM));
    assertThat(HtmlReport.render(result)).doesNotContain("<script").doesNotContain("<img");
  }

  @Test
  void thePageLoadsNothingFromOutside() {
    assertThat(page.select("[src], link, script, iframe, object, embed")).isEmpty();
    assertThat(page.select("[href]")).isEmpty();
    assertThat(page.select("style").html()).doesNotContain("url(").doesNotContain("@import");
  }

  /** The rows of the text table titled {@code title}, whitespace collapsed. */
  private static List<String> textTable(String title) {
    List<String> lines = Arrays.asList(text.split("\n", -1));
    int start = lines.indexOf(title);
    assertThat(start).as(title).isNotNegative();
    int rule = start + 2;
    while (!lines.get(rule).startsWith("---")) {
      rule++;
    }
    List<String> rows = new ArrayList<>();
    for (int i = rule + 1; i < lines.size() && !lines.get(i).isEmpty(); i++) {
      rows.add(collapse(lines.get(i)));
    }
    return rows;
  }

  private static String collapse(String s) {
    return s.trim().replaceAll("\\s+", " ");
  }
}
