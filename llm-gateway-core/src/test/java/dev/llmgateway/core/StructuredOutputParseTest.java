package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Deployment;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.StructuredOutputException;
import dev.llmgateway.StructuredOutputException.Problem;
import dev.llmgateway.ToolCall;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link StructuredOutput#parse}: an answer becomes the record, and one that does not parse is a
 * {@link StructuredOutputException} that carries the text but never quotes it.
 */
class StructuredOutputParseTest {
  /** Put into every bad answer: it must reach rawText() and no message. */
  private static final String MODEL_TEXT = "SENTINEL-model-text-91c3";

  enum Priority {
    @JsonProperty("low") LOW,
    @JsonProperty("high") HIGH
  }

  record Line(String item, int quantity, BigDecimal price) {}

  record Invoice(String customer, List<Line> lines, Priority priority, LocalDate issued,
      Optional<String> note, @Nullable String reference) {}

  private static final String GOOD = "{\"customer\":\"ACME\","
      + "\"lines\":[{\"item\":\"bolt\",\"quantity\":3,\"price\":0.25}],"
      + "\"priority\":\"high\",\"issued\":\"2026-03-01\",\"note\":null,\"reference\":null}";

  @Test
  void anAnswerBecomesTheRecord() {
    Invoice invoice = StructuredOutput.parse(answer(GOOD), Invoice.class);

    assertThat(invoice).isEqualTo(new Invoice("ACME",
        List.of(new Line("bolt", 3, new BigDecimal("0.25"))), Priority.HIGH,
        LocalDate.of(2026, 3, 1), Optional.empty(), null));
  }

  record Scalars(URI link, Currency currency, Locale locale, Year year, YearMonth month,
      byte level, UUID id, Instant at, Duration took) {}

  @Test
  void valuesWrittenAsStringsOrNumbersParse() {
    String json = "{\"link\":\"https://example.com/a\",\"currency\":\"EUR\","
        + "\"locale\":\"de-CH\",\"year\":2026,\"month\":\"2026-05\",\"level\":3,"
        + "\"id\":\"0b6a2f5e-8c1d-4f7a-9e3b-2d4c6f8a1b0c\",\"at\":\"2026-05-04T10:15:30Z\","
        + "\"took\":\"PT1.5S\"}";

    assertThat(StructuredOutput.parse(answer(json), Scalars.class)).isEqualTo(new Scalars(
        URI.create("https://example.com/a"), Currency.getInstance("EUR"),
        Locale.forLanguageTag("de-CH"), Year.of(2026), YearMonth.of(2026, 5), (byte) 3,
        UUID.fromString("0b6a2f5e-8c1d-4f7a-9e3b-2d4c6f8a1b0c"),
        Instant.parse("2026-05-04T10:15:30Z"), Duration.ofMillis(1500)));
  }

  @Test
  void aCodeFenceAroundTheJsonAndPropertiesTheTypeLacksAreTolerated() {
    String fenced = "```json\n" + GOOD.replace("\"customer\"", "\"extra\":1,\"customer\"")
        + "\n```\n";

    assertThat(StructuredOutput.parse(answer(fenced), Invoice.class).customer())
        .isEqualTo("ACME");
  }

  @Test
  void textThatIsNotJsonIsNotJson() {
    StructuredOutputException e = failure(answer("Sure! " + MODEL_TEXT));

    assertThat(e.problem()).isEqualTo(Problem.NOT_JSON);
    assertThat(e.getMessage()).startsWith("the answer is not complete JSON (line 1, column ")
        .contains(", so it does not parse into Invoice");
  }

  @Test
  void anAnswerCutAtTheTokenLimitSaysToRaiseIt() {
    String cut = GOOD.substring(0, 40) + MODEL_TEXT;
    StructuredOutputException e = failure(ChatResponse.builder().text(cut)
        .finishReason(FinishReason.LENGTH).build());

    assertThat(e.problem()).isEqualTo(Problem.NOT_JSON);
    assertThat(e.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(e.getMessage()).contains("cut at the output token limit")
        .contains("raise maxOutputTokens");
  }

  @Test
  void aMismatchNamesWhereItLiesInTheType() {
    String wrong = GOOD.replace("\"quantity\":3", "\"quantity\":\"" + MODEL_TEXT + "\"");

    StructuredOutputException e = failure(answer(wrong));

    assertThat(e.problem()).isEqualTo(Problem.MISMATCH);
    assertThat(e.getMessage()).startsWith("the answer does not fit the type at lines[0].quantity");
  }

  @Test
  void aMissingComponentAFractionForAnIntegerAndAnUnknownEnumValueDoNotFit() {
    assertThat(failure(answer(GOOD.replace("\"customer\":\"ACME\",", ""))).problem())
        .isEqualTo(Problem.MISMATCH);
    assertThat(failure(answer(GOOD.replace("\"quantity\":3", "\"quantity\":3.5"))).problem())
        .isEqualTo(Problem.MISMATCH);
    StructuredOutputException enumValue =
        failure(answer(GOOD.replace("\"high\"", "\"" + MODEL_TEXT + "\"")));
    assertThat(enumValue.problem()).isEqualTo(Problem.MISMATCH);
    assertThat(enumValue.getMessage()).contains("the type at priority");
  }

  @Test
  void aNameTheTypeDoesNotDeclareIsNotQuoted() {
    String wrong = GOOD.replace("\"lines\":[", "\"lines\":[\"" + MODEL_TEXT + "\",");

    StructuredOutputException e = failure(answer(wrong));

    assertThat(e.getMessage()).contains("the type at lines[0]");
  }

  @Test
  void anAnswerWithoutTextIsEmpty() {
    ChatResponse toolCall = ChatResponse.builder()
        .message(Message.assistant(List.<ContentPart>of(),
            List.of(new ToolCall("c1", "lookup", "{}"))))
        .finishReason(FinishReason.TOOL_CALLS)
        .build();

    StructuredOutputException e = failure(toolCall);

    assertThat(e.problem()).isEqualTo(Problem.EMPTY);
    assertThat(e.rawText()).isEmpty();
    assertThat(e.getMessage()).isEqualTo("the answer has no text, so it does not parse into Invoice; "
        + "the model called tools instead (finish reason TOOL_CALLS); its text is on rawText()");
  }

  @Test
  void jsonNullAndTrailingTextDoNotParse() {
    assertThat(failure(answer("null")).problem()).isEqualTo(Problem.MISMATCH);
    StructuredOutputException trailing = failure(answer(GOOD + " " + MODEL_TEXT));
    assertThat(trailing.problem()).isEqualTo(Problem.NOT_JSON);
    assertThat(trailing.getMessage()).contains("has more after its JSON value");
  }

  @Test
  void nestingPastTheLimitIsRefusedByTheParser() {
    // the type bounds how deep the parser descends into what it reads; a property the type lacks
    // is skipped, and the skipping is what StreamReadConstraints bounds
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    String hostile = GOOD.replace("{\"customer\"", "{\"skipped\":" + deep + ",\"customer\"");

    StructuredOutputException e = failure(answer(hostile));

    assertThat(e.problem()).isEqualTo(Problem.LIMIT_EXCEEDED);
    assertThat(e.getMessage()).contains("nesting deeper than 64 levels");
  }

  @Test
  void theTextIsCarriedButNeverQuotedAndTheDetailsNameTheDeployment() {
    ChatResponse response = ChatResponse.builder().text("no JSON here: " + MODEL_TEXT)
        .deployment(Deployment.parse("openai/gpt-4.1-mini"))
        .providerRequestId("req_123")
        .build();

    StructuredOutputException e = failure(response);

    assertThat(e.rawText()).isEqualTo("no JSON here: " + MODEL_TEXT);
    assertThat(e.type()).isEqualTo(Invoice.class);
    assertThat(e.getMessage()).doesNotContain(MODEL_TEXT)
        .endsWith("(provider=openai, model=gpt-4.1-mini, requestId=req_123)");
    assertThat(e.toString()).doesNotContain(MODEL_TEXT);
    assertThat(e.getCause()).isNull();
    assertThat(e.isRetriable()).isFalse();
  }

  @Test
  void noFailureMessageQuotesTheModelsText() {
    List<String> bad = List.of("Sure! " + MODEL_TEXT, GOOD.substring(0, 30) + MODEL_TEXT,
        GOOD.replace("\"ACME\"", "[\"" + MODEL_TEXT + "\"]"),
        GOOD.replace("\"high\"", "\"" + MODEL_TEXT + "\""),
        GOOD.replace("\"2026-03-01\"", "\"" + MODEL_TEXT + "\""),
        GOOD.replace("\"quantity\":3", "\"quantity\":\"" + MODEL_TEXT + "\""),
        "{\"" + MODEL_TEXT + "\":{\"" + MODEL_TEXT + "\":1}",
        GOOD + MODEL_TEXT);
    for (String text : bad) {
      StructuredOutputException e = failure(answer(text));
      assertThat(e.getMessage()).as(text).doesNotContain(MODEL_TEXT).doesNotContain("SENTINEL");
    }
  }

  /** A classic bean. */
  public static final class Contact {
    private String name;
    private int age;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public int getAge() {
      return age;
    }

    public void setAge(int age) {
      this.age = age;
    }
  }

  @Test
  void aClassWithSettersWorksLikeARecord() {
    assertThat(StructuredOutput.responseFormat(Contact.class).schema()).isEqualTo(
        "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
            + "\"age\":{\"type\":\"integer\"}},\"required\":[\"name\",\"age\"],"
            + "\"additionalProperties\":false}");

    Contact contact =
        StructuredOutput.parse(answer("{\"name\":\"Ada\",\"age\":36}"), Contact.class);

    assertThat(contact.getName()).isEqualTo("Ada");
    assertThat(contact.getAge()).isEqualTo(36);
  }

  /** A property the schema sees, but no constructor or setter Jackson can use. */
  static final class NoCreator {
    private final String name;

    NoCreator(String name) {
      this.name = name;
    }

    public String getName() {
      return name;
    }
  }

  @Test
  void aClassJacksonCannotBuildIsTheCallersMistakeNotTheAnswers() {
    assertThatThrownBy(() -> StructuredOutput.parse(answer("{\"name\":\"x\"}"), NoCreator.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Jackson cannot build a " + NoCreator.class.getName()
            + ": use a record, or give the class a constructor Jackson can use");
  }

  private static ChatResponse answer(String text) {
    return ChatResponse.builder().text(text).build();
  }

  private static StructuredOutputException failure(ChatResponse response) {
    StructuredOutputException e = catchThrowableOfType(StructuredOutputException.class,
        () -> StructuredOutput.parse(response, Invoice.class));
    assertThat(e).as("a StructuredOutputException").isNotNull();
    return e;
  }
}
