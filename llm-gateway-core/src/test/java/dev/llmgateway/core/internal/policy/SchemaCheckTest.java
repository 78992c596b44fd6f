package dev.llmgateway.core.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.core.internal.policy.SchemaCheck.Limits;
import dev.llmgateway.core.internal.policy.SchemaCheck.Outcome;
import dev.llmgateway.core.internal.policy.SchemaCheck.Result;
import dev.llmgateway.core.internal.policy.SchemaCheck.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SchemaCheck}: keyword families, drafts, the cache, the bounds and what messages say. */
@Timeout(60)
class SchemaCheckTest {

  private final SchemaCheck check = new SchemaCheck();

  private static ResponseFormat schema(String json) {
    return ResponseFormat.jsonSchema("answer", json);
  }

  // --- keyword families

  static Stream<Arguments> keywordFamilies() {
    return Stream.of(
        family("type", "{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}}}",
            "{\"age\":3}", "{\"age\":\"three\"}", "$.age", "must be of type integer"),
        family("type union", "{\"properties\":{\"note\":{\"type\":[\"string\",\"null\"]}}}",
            "{\"note\":null}", "{\"note\":4}", "$.note", "must be of type string or null"),
        family("required", "{\"type\":\"object\",\"required\":[\"name\"],"
                + "\"properties\":{\"name\":{\"type\":\"string\"}}}",
            "{\"name\":\"x\"}", "{}", "$", "must have the required property 'name'"),
        family("enum", "{\"properties\":{\"color\":{\"enum\":[\"red\",\"green\"]}}}",
            "{\"color\":\"red\"}", "{\"color\":\"blue\"}", "$.color",
            "must be one of [\"red\",\"green\"]"),
        family("const", "{\"properties\":{\"v\":{\"const\":2}}}", "{\"v\":2}", "{\"v\":3}",
            "$.v", "must be exactly 2"),
        family("pattern", "{\"properties\":{\"sku\":{\"type\":\"string\","
                + "\"pattern\":\"^[A-Z]{3}-\\\\d{4}$\"}}}",
            "{\"sku\":\"ABC-1234\"}", "{\"sku\":\"abc\"}", "$.sku",
            "must match the pattern \"^[A-Z]{3}-\\\\d{4}$\""),
        family("minimum", "{\"properties\":{\"qty\":{\"type\":\"integer\",\"minimum\":1}}}",
            "{\"qty\":1}", "{\"qty\":0}", "$.qty", "must be at least 1"),
        family("maximum", "{\"properties\":{\"qty\":{\"type\":\"integer\",\"maximum\":10}}}",
            "{\"qty\":10}", "{\"qty\":11}", "$.qty", "must be at most 10"),
        family("exclusiveMinimum", "{\"properties\":{\"p\":{\"exclusiveMinimum\":0}}}",
            "{\"p\":0.5}", "{\"p\":0}", "$.p", "must be greater than 0"),
        family("multipleOf", "{\"properties\":{\"p\":{\"multipleOf\":0.01}}}",
            "{\"p\":19.99}", "{\"p\":19.999}", "$.p", "must be a multiple of 0.01"),
        family("minLength", "{\"properties\":{\"code\":{\"type\":\"string\",\"minLength\":2}}}",
            "{\"code\":\"ab\"}", "{\"code\":\"a\"}", "$.code",
            "must be at least 2 characters long"),
        family("maxLength", "{\"properties\":{\"code\":{\"type\":\"string\",\"maxLength\":5}}}",
            "{\"code\":\"abcde\"}", "{\"code\":\"abcdef\"}", "$.code",
            "must be at most 5 characters long"),
        family("additionalProperties", "{\"type\":\"object\","
                + "\"properties\":{\"a\":{\"type\":\"string\"}},\"additionalProperties\":false}",
            "{\"a\":\"x\"}", "{\"a\":\"x\",\"b\":1}", "$",
            "has a property the schema does not define, and it allows no others"),
        family("nested arrays", "{\"properties\":{\"rows\":{\"type\":\"array\",\"items\":"
                + "{\"type\":\"array\",\"items\":{\"type\":\"number\"}}}}}",
            "{\"rows\":[[1,2],[3]]}", "{\"rows\":[[1,2],[3,\"x\"]]}", "$.rows[1][1]",
            "must be of type number"),
        family("minItems", "{\"properties\":{\"tags\":{\"type\":\"array\",\"minItems\":2}}}",
            "{\"tags\":[1,2]}", "{\"tags\":[1]}", "$.tags", "must have at least 2 items"),
        family("maxItems", "{\"properties\":{\"tags\":{\"type\":\"array\",\"maxItems\":1}}}",
            "{\"tags\":[1]}", "{\"tags\":[1,2]}", "$.tags", "must have at most 1 items"),
        family("uniqueItems", "{\"properties\":{\"tags\":{\"uniqueItems\":true}}}",
            "{\"tags\":[1,2]}", "{\"tags\":[1,1]}", "$.tags", "must not repeat an item"),
        family("oneOf", "{\"properties\":{\"id\":{\"oneOf\":[{\"type\":\"integer\"},"
                + "{\"type\":\"number\"}]}}}",
            "{\"id\":1.5}", "{\"id\":2}", "$.id",
            "must match exactly one of the schema's 2 alternatives"),
        family("$ref into $defs", "{\"$defs\":{\"money\":{\"type\":\"number\",\"minimum\":0}},"
                + "\"properties\":{\"total\":{\"$ref\":\"#/$defs/money\"}}}",
            "{\"total\":3}", "{\"total\":-3}", "$.total", "must be at least 0"));
  }

  private static Arguments family(String name, String schema, String valid, String invalid,
      String path, String message) {
    return Arguments.of(name, schema, valid, invalid, path, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keywordFamilies")
  void acceptsTheValidAndNamesTheViolationOfTheInvalid(String family, String schema,
      String valid, String invalid, String path, String message) {
    ResponseFormat format = schema(schema);

    assertThat(check.check(format, valid).isValid()).as(valid).isTrue();
    Result result = check.check(format, invalid);

    assertThat(result.outcome()).isEqualTo(Outcome.MISMATCH);
    assertThat(result.outcome().retryMayHelp()).isTrue();
    assertThat(result.errors()).extracting(Violation::path, Violation::message)
        .contains(org.assertj.core.groups.Tuple.tuple(path, message));
  }

  @Test
  void anAnswerInACodeFenceIsReadAsStructuredOutputReadsIt() {
    ResponseFormat format = schema("{\"required\":[\"a\"]}");

    assertThat(check.check(format, "```json\n{\"a\":1}\n```").isValid()).isTrue();
  }

  @Test
  void aJsonObjectFormatNeedsOneObject() {
    assertThat(check.check(ResponseFormat.JSON_OBJECT, "{\"any\":[1]}").isValid()).isTrue();
    Result array = check.check(ResponseFormat.JSON_OBJECT, "[1]");
    assertThat(array.outcome()).isEqualTo(Outcome.MISMATCH);
    assertThat(array.errors()).containsExactly(new Violation("$", "type", "must be a JSON object"));
  }

  @Test
  void aTextFormatHasNothingToCheck() {
    assertThatThrownBy(() -> check.check(ResponseFormat.TEXT, "hi"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TEXT");
  }

  // --- drafts

  @Test
  void draft2020IsTheDefault() {
    // prefixItems and dependentRequired came with 2019-09 / 2020-12; draft 7 knows neither
    ResponseFormat format = schema("{\"properties\":{\"pair\":{\"prefixItems\":"
        + "[{\"type\":\"integer\"}]}},\"dependentRequired\":{\"a\":[\"b\"]}}");

    Result result = check.check(format, "{\"pair\":[\"x\"],\"a\":1}");

    assertThat(result.errors()).extracting(Violation::keyword)
        .containsExactlyInAnyOrder("type", "dependentRequired");
  }

  @Test
  void aSchemaMayPickAnotherDraft() {
    ResponseFormat format = schema("{\"$schema\":\"http://json-schema.org/draft-07/schema#\","
        + "\"properties\":{\"pair\":{\"prefixItems\":[{\"type\":\"integer\"}]}},"
        + "\"dependentRequired\":{\"a\":[\"b\"]}}");

    assertThat(check.check(format, "{\"pair\":[\"x\"],\"a\":1}").isValid()).isTrue();
  }

  @Test
  void draft4ReadsItsBooleanExclusiveMaximum() {
    ResponseFormat format = schema("{\"$schema\":\"http://json-schema.org/draft-04/schema#\","
        + "\"properties\":{\"n\":{\"maximum\":10,\"exclusiveMaximum\":true}}}");

    assertThat(check.check(format, "{\"n\":9}").isValid()).isTrue();
    assertThat(check.check(format, "{\"n\":10}").errors()).extracting(Violation::message)
        .containsExactly("must be less than 10");
  }

  @Test
  void formatIsAnAnnotationIn2020AndAnAssertionInDraft7() {
    assertThat(check.check(schema("{\"format\":\"email\"}"), "\"nope\"").isValid()).isTrue();
    assertThat(check.check(schema("{\"$schema\":\"http://json-schema.org/draft-07/schema#\","
        + "\"format\":\"email\"}"), "\"nope\"").errors()).extracting(Violation::message)
        .containsExactly("must be a valid \"email\"");
  }

  @Test
  void refusesADialectItDoesNotKnow() {
    ResponseFormat format = schema("{\"$schema\":\"https://example.com/my-dialect\"}");

    assertThatThrownBy(() -> check.prepare(format))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("names a dialect the gateway does not know");
  }

  // --- references

  @Test
  void refusesAReferenceToAnotherDocumentWithoutFetchingIt() {
    ResponseFormat format = schema("{\"properties\":{\"a\":"
        + "{\"$ref\":\"https://schemas.example.com/a.json\"}}}");

    assertThatThrownBy(() -> check.prepare(format))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("refers to another document");
    assertThatThrownBy(() -> check.check(format, "{\"a\":1}"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void followsReferencesWithinTheSchemaByItsOwnId() {
    ResponseFormat format = schema("{\"$id\":\"https://schemas.example.com/root\","
        + "\"$defs\":{\"x\":{\"type\":\"integer\"}},"
        + "\"properties\":{\"a\":{\"$ref\":\"https://schemas.example.com/root#/$defs/x\"}}}");

    assertThat(check.check(format, "{\"a\":1}").isValid()).isTrue();
    assertThat(check.check(format, "{\"a\":\"s\"}").errors()).extracting(Violation::path)
        .containsExactly("$.a");
  }

  @Test
  void aRecursiveSchemaReadsAsDeepAsTheAnswer() {
    ResponseFormat tree = schema("{\"type\":\"object\",\"properties\":{\"value\":"
        + "{\"type\":\"integer\"},\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}}}");

    assertThat(check.check(tree, "{\"value\":1,\"children\":[{\"value\":2,\"children\":"
        + "[{\"value\":\"x\"}]}]}").errors()).extracting(Violation::path)
        .containsExactly("$.children[0].children[0].value");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"{\"$ref\":\"#\"}",
      "{\"allOf\":[{\"$ref\":\"#\"}]}"})
  void refusesASchemaThatRefersToItselfWithoutEnd(String text) {
    ResponseFormat format = schema(text);

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> {
        check.prepare(format);
        check.check(format, "{}");
      }).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("refers to itself without end");
    }
  }

  @Test
  void refusesAReferenceToTheClassPath() {
    ResponseFormat format = schema("{\"$ref\":\"classpath:logback-test.xml\"}");

    assertThatThrownBy(() -> check.prepare(format)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void refusesASchemaThatIsNotJsonOrNotASchema() {
    assertThatThrownBy(() -> check.prepare(schema("{\"type\":")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("it is not JSON (line 1");
    assertThatThrownBy(() -> check.prepare(schema("[1]")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> check.prepare(schema("{\"pattern\":\"(unclosed\"}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not a valid schema");
  }

  // --- the cache

  @Test
  void compilesASchemaTextOnce() {
    String text = "{\"required\":[\"a\"]}";
    SchemaCheck.Compiled first = check.compiledFor(ResponseFormat.jsonSchema("one", text));

    SchemaCheck.Compiled again = check.compiledFor(ResponseFormat.jsonSchema("two", text));

    assertThat(again).isSameAs(first);
    assertThat(again.schema).isNotNull().isSameAs(first.schema);
    assertThat(check.compiledFor(schema("{\"required\":[\"b\"]}"))).isNotSameAs(first);
  }

  @Test
  void remembersARefusalToo() {
    ResponseFormat format = schema("{\"$ref\":\"https://schemas.example.com/a.json\"}");

    assertThat(check.compiledFor(format)).isSameAs(check.compiledFor(format));
  }

  @Test
  void theCacheIsBoundedBySchemasAndTheirSize() {
    SchemaCheck small = new SchemaCheck(new Limits(1 << 20, 64, 1 << 16, 10, 1_000_000, 1_000_000, 10));
    for (int i = 0; i < 100; i++) {
      small.compiledFor(schema("{\"required\":[\"k" + i + "\"]}"));
    }

    assertThat(small.cachedWeight()).isLessThanOrEqualTo(10);
    // 5,000 chars count three times (started 2 Ki chars)
    small.compiledFor(schema("{\"description\":\"" + "d".repeat(5_000) + "\"}"));
    assertThat(small.cachedWeight()).isLessThanOrEqualTo(10);
  }

  // --- bounds

  @Test
  void anAnswerPastTheLengthLimitIsNotRead() {
    SchemaCheck small = new SchemaCheck(new Limits(100, 64, 1 << 16, 10, 1_000_000, 1_000_000, 10));

    Result result = small.check(schema("{}"), "{\"a\":\"" + "x".repeat(200) + "\"}");

    assertThat(result.outcome()).isEqualTo(Outcome.LIMIT_EXCEEDED);
    assertThat(result.outcome().retryMayHelp()).isFalse();
    assertThat(result.errors().get(0).message()).contains("more than the 100 the check reads");
  }

  @Test
  void anAnswerNestedPastTheDepthLimitIsNotRead() {
    String deep = "[".repeat(100) + "]".repeat(100);

    Result result = check.check(schema("{}"), deep);

    assertThat(result.outcome()).isEqualTo(Outcome.LIMIT_EXCEEDED);
    assertThat(result.errors().get(0).message()).startsWith("nests deeper than 64 levels");
  }

  @Test
  void aSchemaPastItsLengthLimitIsRefused() {
    SchemaCheck small = new SchemaCheck(new Limits(1 << 20, 64, 50, 10, 1_000_000, 1_000_000, 10));

    assertThatThrownBy(() -> small.prepare(schema("{\"description\":\"" + "d".repeat(60) + "\"}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("more than the 50 the gateway compiles");
  }

  @Test
  void reportsTheFirstErrorsAndCountsTheRest() {
    String answer = IntStream.range(0, 1_000).mapToObj(Integer::toString)
        .collect(Collectors.joining(",", "[", "]"));

    Result result = check.check(schema("{\"items\":{\"type\":\"string\"}}"), answer);

    assertThat(result.errors()).hasSize(10);
    assertThat(result.errors().get(9).path()).isEqualTo("$[9]");
    assertThat(result.totalErrors()).isEqualTo(1_000);
    assertThat(check.retryMessage(result)).contains("\n- and 990 more errors\n");
  }

  @Test
  void aPatternThatBacktracksCatastrophicallyStopsAtItsBudget() {
    // 6.5 s on JDK 17 without the budget (the JDK memoizes (a+)+, not this polynomial blow-up)
    ResponseFormat format = schema("{\"properties\":{\"s\":{\"pattern\":\"^(.*a){12}$\"}}}");

    Result result = check.check(format, "{\"s\":\"" + "a".repeat(30) + "b\"}");

    assertThat(result.outcome()).isEqualTo(Outcome.LIMIT_EXCEEDED);
    assertThat(result.errors()).extracting(Violation::keyword).containsExactly("pattern");
    assertThat(check.check(format, "{\"s\":\"" + "a".repeat(12) + "\"}").isValid()).isTrue();
  }

  @Test
  void aSchemaThatAppliesSubschemasExponentiallyOftenStopsAtItsBudget() {
    // level k is anyOf two references to level k + 1: 2^30 evaluations of the last level
    StringBuilder defs = new StringBuilder();
    for (int k = 0; k < 30; k++) {
      defs.append("\"l").append(k).append("\":{\"anyOf\":[{\"$ref\":\"#/$defs/l").append(k + 1)
          .append("\"},{\"$ref\":\"#/$defs/l").append(k + 1).append("\"}]},");
    }
    ResponseFormat format = schema("{\"$defs\":{" + defs + "\"l30\":{\"type\":\"string\"}},"
        + "\"$ref\":\"#/$defs/l0\"}");

    Result result = check.check(format, "5");

    assertThat(result.outcome()).isEqualTo(Outcome.LIMIT_EXCEEDED);
    assertThat(result.errors()).extracting(Violation::keyword).containsExactly("evaluations");
    assertThat(check.check(format, "\"five\"").isValid()).isTrue();
  }

  @Test
  void aNumberWithAHugeExponentIsNotDividedOut() {
    ResponseFormat format = schema("{\"properties\":{\"p\":{\"multipleOf\":0.01}}}");

    Result result = check.check(format, "{\"p\":1e999999999}");

    assertThat(result.outcome()).isEqualTo(Outcome.LIMIT_EXCEEDED);
    assertThat(result.errors().get(0).message()).isEqualTo("has a number with an exponent past 1000");
    assertThat(check.check(format, "{\"p\":1e300}").isValid()).isTrue();
    assertThatThrownBy(() -> check.prepare(schema("{\"multipleOf\":1e-999999999}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("exponent past 1000");
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new Limits(1, 1, 1, 0, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxErrors must be positive, was 0");
  }

  // --- malformed answers

  @Test
  void malformedJsonIsReportedByPositionNotContent() {
    Result result = check.check(schema("{}"),
        "{\"email\": \"john.doe@example.com\",\n \"name\": John Doe}");

    assertThat(result.outcome()).isEqualTo(Outcome.NOT_JSON);
    assertThat(result.errors()).singleElement().satisfies(v -> {
      assertThat(v.keyword()).isEqualTo("json");
      assertThat(v.message()).startsWith("is not complete JSON (line 2, column ");
    });
    assertThat(check.retryMessage(result))
        .startsWith("Your previous answer was not valid JSON:")
        .doesNotContain("john", "John", "example.com");
  }

  @Test
  void anEmptyOrTrailedAnswerIsNotJson() {
    assertThat(check.check(schema("{}"), "  ").outcome()).isEqualTo(Outcome.NOT_JSON);
    assertThat(check.check(schema("{}"), "{} and more").outcome()).isEqualTo(Outcome.NOT_JSON);
  }

  // --- nothing of the answer in what the check says

  @Test
  void neverQuotesTheAnswer() {
    ResponseFormat format = schema("{\"type\":\"object\",\"required\":[\"email\",\"name\",\"age\"],"
        + "\"properties\":{\"email\":{\"type\":\"string\",\"pattern\":\"^[a-z]+@corp\\\\.test$\"},"
        + "\"name\":{\"type\":\"string\",\"maxLength\":3},\"age\":{\"type\":\"integer\"},"
        + "\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\"]}},"
        + "\"contacts\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}},"
        + "\"additionalProperties\":false}");
    String answer = "{\"email\":\"john.doe@example.com\",\"name\":\"John Doe\",\"age\":\"41\","
        + "\"tags\":[\"john.doe@example.com\"],"
        + "\"contacts\":{\"jane@example.com\":\"+1 555 0100\"},"
        + "\"john.doe@example.com\":true}";

    Result result = check.check(format, answer);

    assertThat(result.totalErrors()).isGreaterThanOrEqualTo(5);
    List<String> said = new ArrayList<>();
    result.errors().forEach(v -> said.add(v.toString()));
    said.add(result.toString());
    said.add(check.retryMessage(result));
    assertThat(said).allSatisfy(text -> assertThat(text)
        .doesNotContain("john", "John", "jane", "example.com", "555", "41"));
    assertThat(result.errors()).extracting(Violation::path)
        .contains("$.email", "$.name", "$.age", "$.tags[0]", "$.contacts.?");
  }

  @Test
  void theRetryMessageSaysWhatToFixAndAsksForJsonOnly() {
    Result result = check.check(schema("{\"required\":[\"total\"],"
        + "\"properties\":{\"total\":{\"type\":\"number\"}}}"), "{}");

    assertThat(check.retryMessage(result)).isEqualTo(
        "Your previous answer did not match the JSON schema:\n"
            + "- $: must have the required property 'total'\n"
            + "Answer again with JSON only.");
    assertThat(result).hasToString("MISMATCH: 1 violation: $ (required)");
  }

  @Test
  void aValidAnswerNeedsNoRetry() {
    Result valid = check.check(schema("{}"), "{}");

    assertThat(valid.toString()).isEqualTo("VALID");
    assertThatThrownBy(() -> check.retryMessage(valid))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- threads

  @Test
  void oneCheckServesManyThreads() throws Exception {
    ResponseFormat format = schema("{\"properties\":{\"n\":{\"type\":\"integer\",\"maximum\":5}}}");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        int n = i % 10;
        results.add(pool.submit(() -> check.check(format, "{\"n\":" + n + "}").isValid()));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(i % 10 <= 5);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
