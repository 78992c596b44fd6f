package dev.llmgateway.core.internal.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionConfig;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.core.internal.structured.AnswerParser;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a unary answer against the JSON schema its request asked for ({@link ResponseFormat}
 * of type {@code JSON_SCHEMA}), with networknt's json-schema-validator 2.x: draft 2020-12 unless
 * the schema's {@code $schema} names draft 2019-09, 7, 6 or 4 (any other dialect is refused), and
 * format keywords as each draft says (annotations only in 2020-12 and 2019-09). A {@code
 * JSON_OBJECT} format is checked to be one JSON object.
 *
 * <p><b>What a result says.</b> {@link Result} is valid, or lists the first {@link
 * Limits#maxErrors()} violations, each a JSON path, the schema keyword and a message written from
 * the schema's side ("must be at most 5 characters long"). None quotes the answer: a path names
 * only properties the schema itself names (any other as {@code ?}), and malformed JSON is reported
 * by line and column. So {@link #retryMessage(Result)} can go to the model and {@link
 * Result#toString()} into an exception message or a log without carrying the answer's data.
 *
 * <p><b>Bounds.</b> The answer's length ({@link Limits#maxAnswerChars()}), its nesting (Jackson's
 * {@link StreamReadConstraints}, {@link Limits#maxNestingDepth()} levels), the schema's length
 * ({@link Limits#maxSchemaChars()}) and nesting, numbers' exponents on both sides ({@link
 * BoundedNumbers}: {@code multipleOf} divides exactly, and {@code 1e999999999} would make a
 * quotient of a billion digits), the errors kept (the validator's list keeps the
 * first {@code maxErrors} and only counts the rest), the keyword evaluations of one check
 * ({@link CountingContext}: a schema can apply subschemas to one value exponentially often), and
 * each {@code pattern} match (a step budget,
 * {@link BoundedRegex}: a pattern that backtracks past it fails the check instead of running on)
 * are all bounded. A schema never fetches another: a {@code $ref} to another document (over the
 * network or on the class path; only the drafts' own meta-schemas, shipped in the validator's
 * jar, may be referred to), or a {@code $schema} naming an unknown dialect, is refused (fail
 * closed) when the schema is compiled, with an {@link InvalidRequestException}. So is a schema
 * that refers to itself without reading deeper into the answer ({@code {"$ref":"#"}}): the
 * validator recurses until the stack ends, the check catches that once and remembers the
 * refusal; a recursive schema that follows the answer down (a tree) is bounded by the answer's
 * nesting.
 *
 * <p><b>Cache.</b> Compiled schemas — and refusals — are kept in a Caffeine cache keyed by the
 * schema's text, compared in full. It holds at most {@link Limits#cachedSchemas()} schemas (1,000
 * by default) of up to 2 Ki chars, a larger one counting once per started 2 Ki chars, so the
 * schema text it holds stays under about 2 Mi chars. Why 1,000: an application sends a few
 * schemas (one per structured-output type or tool, often 1 to 2 Ki chars as {@code
 * StructuredOutput} writes them), so 1,000 leaves room for many applications and tenants on one
 * gateway; and a caller that sends a new schema with every call (a timestamp in a description)
 * cannot grow it further: a compiled schema keeps about 20 bytes per char of its text (measured:
 * 19.9 KB for a 1 Ki-char invoice schema), so the cache stays under about 40 MB, and that caller
 * pays one compilation per call (SchemaCheckBenchmark's {@code uncached} arm).
 *
 * <p>Thread-safe; one instance per gateway.
 */
public final class SchemaCheck {
  /** Characters of schema text per unit of cache weight. */
  private static final int WEIGHT_UNIT_CHARS = 2_048;

  /**
   * Keyword evaluations allowed per char of answer, beyond {@link Limits#evaluationSteps()}: an
   * answer's values number at most half its chars, and a schema rarely applies more than a few
   * keywords to one value, so a fair schema stays far below; one that applies subschemas to the
   * same value over and over ({@code anyOf} of {@code anyOf}s through {@code $defs}, 2^n
   * evaluations from a schema of n lines) stops at the bound.
   */
  static final int EVALUATIONS_PER_CHAR = 16;

  private static final String RETRY_END = "Answer again with JSON only.";
  private static final String ENDLESS =
      "it refers to itself without end ($ref in a loop that reads nothing of the answer)";

  private final Limits limits;
  private final ObjectReader answerReader;
  private final ObjectReader schemaReader;
  private final SchemaRegistry registry;
  private final ExecutionConfig evaluation;
  private final Cache<String, Compiled> compiled;

  /** A check with the {@linkplain Limits#DEFAULTS default limits}. */
  public SchemaCheck() {
    this(Limits.DEFAULTS);
  }

  /** A check with the given limits. */
  public SchemaCheck(Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.answerReader = reader(limits.maxNestingDepth());
    // a schema nests about twice as deep as the answers it describes (properties, then a name)
    this.schemaReader = reader(2 * limits.maxNestingDepth() + 8);
    this.registry = SchemaRegistry.withDialects(
        List.of(Dialects.getDraft202012(), Dialects.getDraft201909(), Dialects.getDraft7(),
            Dialects.getDraft6(), Dialects.getDraft4()),
        builder -> builder
            .schemaCacheEnabled(false)
            .schemaLoader(loader -> loader.allow(SchemaCheck::isMetaSchema))
            .schemaRegistryConfig(SchemaRegistryConfig.builder()
                .pathType(PathType.JSON_PATH)
                .regularExpressionFactory(new BoundedRegex(limits.regexSteps()))
                .preloadSchema(false)
                .build()));
    // as Schema.createExecutionContext() makes it: each draft's own format behaviour
    this.evaluation = ExecutionConfig.builder()
        .formatAssertionsEnabled(registry.getSchemaRegistryConfig().getFormatAssertionsEnabled())
        .failFast(false)
        .build();
    this.compiled = Caffeine.newBuilder()
        .maximumWeight(limits.cachedSchemas())
        .weigher((String text, Compiled c) -> 1 + (text.length() - 1) / WEIGHT_UNIT_CHARS)
        .executor(Runnable::run)
        .build();
  }

  private static ObjectReader reader(int maxDepth) {
    return JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth)
                .build())
            .build())
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .nodeFactory(BoundedNumbers.INSTANCE)
        .build()
        .reader();
  }

  /** Only the drafts' own meta-schemas, which the validator ships on its class path. */
  private static boolean isMetaSchema(com.networknt.schema.AbsoluteIri iri) {
    String s = iri.toString();
    return s.startsWith("https://json-schema.org/") || s.startsWith("http://json-schema.org/");
  }

  /** The limits this check runs with. */
  public Limits limits() {
    return limits;
  }

  /**
   * Compiles the format's schema (or finds it compiled), so that a request whose schema cannot be
   * used is refused before it is sent.
   *
   * @throws InvalidRequestException when the schema is too long, not JSON, of an unknown dialect,
   *     refers to another document, or is not a valid schema
   * @throws IllegalArgumentException when the format is not {@code JSON_SCHEMA}
   */
  public void prepare(ResponseFormat format) {
    usable(compiledFor(format));
  }

  /**
   * Checks an answer: its text, without blanks or a Markdown code fence around it, against the
   * format.
   *
   * @param format the request's response format, {@code JSON_SCHEMA} or {@code JSON_OBJECT}
   * @param answer the answer's text
   * @return valid, or what is wrong, never quoting the answer
   * @throws InvalidRequestException when the format's schema cannot be used (see {@link
   *     #prepare(ResponseFormat)})
   * @throws IllegalArgumentException when the format is {@code TEXT}
   */
  public Result check(ResponseFormat format, String answer) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(answer, "answer");
    Compiled schema = format.type() == ResponseFormat.Type.JSON_OBJECT ? null
        : usable(compiledFor(format));
    if (answer.length() > limits.maxAnswerChars()) {
      return Result.of(Outcome.LIMIT_EXCEEDED, List.of(new Violation("$", "maxLength",
          "is " + answer.length() + " characters long, more than the " + limits.maxAnswerChars()
              + " the check reads")), 1);
    }
    String json = AnswerParser.withoutCodeFence(answer);
    JsonNode node;
    try {
      node = answerReader.readTree(json);
    } catch (StreamConstraintsException e) {
      return Result.of(Outcome.LIMIT_EXCEEDED, List.of(new Violation("$", "maxDepth",
          "nests deeper than " + limits.maxNestingDepth() + " levels, or has a number or text "
              + "too long to read" + at(e.getLocation()))), 1);
    } catch (BoundedNumbers.OutOfRange e) {
      return Result.of(Outcome.LIMIT_EXCEEDED, List.of(new Violation("$", "maxExponent",
          "has a number with an exponent past " + BoundedNumbers.MAX_SCALE)), 1);
    } catch (JsonProcessingException e) {
      return notJson("is not complete JSON" + at(e.getLocation()));
    }
    if (node == null || node.isMissingNode()) {
      return notJson("is empty");
    }
    if (schema == null) {
      return node.isObject() ? Result.VALID : Result.of(Outcome.MISMATCH,
          List.of(new Violation("$", "type", "must be a JSON object")), 1);
    }
    return validate(format, schema, node, json.length());
  }

  private static Result notJson(String what) {
    return Result.of(Outcome.NOT_JSON, List.of(new Violation("$", "json", what)), 1);
  }

  private Result validate(ResponseFormat format, Compiled schema, JsonNode node, int chars) {
    CappedErrors errors = new CappedErrors(limits.maxErrors());
    long steps = limits.evaluationSteps() + (long) EVALUATIONS_PER_CHAR * chars;
    try {
      Objects.requireNonNull(schema.schema).validate(new CountingContext(evaluation, steps), node,
          OutputFormat.DEFAULT, context -> context.setErrors(errors));
    } catch (CountingContext.StepsExceeded e) {
      return Result.of(Outcome.LIMIT_EXCEEDED, List.of(new Violation("$", "evaluations",
          "could not be checked within " + steps + " keyword evaluations (the schema applies "
              + "more subschemas to one value than the check allows)")), 1);
    } catch (BoundedRegex.StepsExceeded e) {
      return Result.of(Outcome.LIMIT_EXCEEDED, List.of(new Violation("$", "pattern",
          "could not be matched against a pattern of the schema within "
              + limits.regexSteps() + " steps")), 1);
    } catch (SchemaException e) {
      // a reference first resolved now: the same refusal prepare() gives
      throw refused(Messages.refusal(e));
    } catch (StackOverflowError e) {
      // a schema that refers to itself without reading deeper into the answer ({"$ref":"#"})
      // recurses until the stack ends: refuse it from now on, without trying again
      compiled.put(Objects.requireNonNull(format.schema()), Compiled.refused(ENDLESS));
      throw refused(ENDLESS);
    }
    if (errors.size() == 0) {
      return Result.VALID;
    }
    List<Violation> violations = new ArrayList<>(errors.kept());
    for (Error error : errors) {
      violations.add(Messages.violation(error, schema.root, schema.names));
    }
    return Result.of(Outcome.MISMATCH, violations, errors.size());
  }

  /**
   * The user message the one retry appends: what was wrong, then "Answer again with JSON only.".
   * Quotes nothing of the answer.
   *
   * @throws IllegalArgumentException for a valid result
   */
  public String retryMessage(Result result) {
    Objects.requireNonNull(result, "result");
    if (result.isValid()) {
      throw new IllegalArgumentException("a valid answer needs no retry");
    }
    StringBuilder sb = new StringBuilder(result.outcome() == Outcome.NOT_JSON
        ? "Your previous answer was not valid JSON:" : "Your previous answer did not match the "
            + "JSON schema:");
    for (Violation v : result.errors()) {
      sb.append("\n- ").append(v.path()).append(": ").append(v.message());
    }
    int more = result.totalErrors() - result.errors().size();
    if (more > 0) {
      sb.append("\n- and ").append(more).append(more == 1 ? " more error" : " more errors");
    }
    return sb.append('\n').append(RETRY_END).toString();
  }

  /** The compiled schema for a format's text, compiled once while it stays in the cache. */
  Compiled compiledFor(ResponseFormat format) {
    Objects.requireNonNull(format, "format");
    if (format.type() != ResponseFormat.Type.JSON_SCHEMA) {
      throw new IllegalArgumentException("only a JSON_SCHEMA format has a schema to compile, not "
          + format.type());
    }
    String text = Objects.requireNonNull(format.schema());
    if (text.length() > limits.maxSchemaChars()) {
      return Compiled.refused("it is " + text.length() + " characters long, more than the "
          + limits.maxSchemaChars() + " the gateway compiles");
    }
    return compiled.get(text, this::compile);
  }

  /** The weight of the schemas cached now, after pending evictions (for tests). */
  long cachedWeight() {
    compiled.cleanUp();
    return compiled.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  private Compiled compile(String text) {
    JsonNode node;
    try {
      node = schemaReader.readTree(text);
    } catch (StreamConstraintsException e) {
      return Compiled.refused("it nests deeper than the gateway reads" + at(e.getLocation()));
    } catch (BoundedNumbers.OutOfRange e) {
      return Compiled.refused("it has a number with an exponent past " + BoundedNumbers.MAX_SCALE);
    } catch (JsonProcessingException e) {
      return Compiled.refused("it is not JSON" + at(e.getLocation()));
    }
    if (node == null || !(node.isObject() || node.isBoolean())) {
      return Compiled.refused("it is not a JSON object");
    }
    try {
      Schema schema = registry.getSchema(node);
      schema.initializeValidators();
      return new Compiled(schema, node, Messages.names(node), null);
    } catch (SchemaException e) {
      return Compiled.refused(Messages.refusal(e));
    } catch (RuntimeException e) {
      // the validator's own checks of a malformed schema (a pattern that does not compile, a
      // keyword of the wrong type) throw unchecked exceptions of many kinds
      return Compiled.refused("it is not a valid schema (" + e.getClass().getSimpleName() + ")");
    } catch (StackOverflowError e) {
      return Compiled.refused(ENDLESS);
    }
  }

  private static Compiled usable(Compiled c) {
    if (c.refusal != null) {
      throw refused(c.refusal);
    }
    return c;
  }

  private static InvalidRequestException refused(String why) {
    return new InvalidRequestException("the response format's JSON schema cannot be used: " + why);
  }

  static String at(@Nullable JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /**
   * A compiled schema with every name it gives (those a path may show), or why it is refused.
   */
  static final class Compiled {
    final @Nullable Schema schema;
    final JsonNode root;
    final Set<String> names;
    final @Nullable String refusal;

    Compiled(@Nullable Schema schema, JsonNode root, Set<String> names,
        @Nullable String refusal) {
      this.schema = schema;
      this.root = root;
      this.names = names;
      this.refusal = refusal;
    }

    static Compiled refused(String why) {
      return new Compiled(null, MissingNode.getInstance(), Set.of(), why);
    }
  }

  /** What a check found. */
  public enum Outcome {
    /** The answer follows the schema. */
    VALID,
    /** The answer is JSON that breaks the schema's rules: {@link Result#errors()} says where. */
    MISMATCH,
    /** The answer is not one complete JSON value (or is empty). */
    NOT_JSON,
    /**
     * The answer passes a limit of the check (length, nesting, a pattern's step budget), so it
     * was not checked in full; another try is unlikely to do better.
     */
    LIMIT_EXCEEDED;

    /** Whether the one retry may help: the answer broke the schema or was not JSON. */
    public boolean retryMayHelp() {
      return this == MISMATCH || this == NOT_JSON;
    }
  }

  /**
   * One violation: where, which keyword, and what the schema asks, never what the answer holds.
   *
   * @param path a JSON path into the answer ({@code $.items[2].sku}); a property the schema does
   *     not name appears as {@code ?}
   * @param keyword the schema keyword broken ({@code required}, {@code pattern}), or {@code json}
   *     for an answer that is not JSON
   * @param message what the schema asks, e.g. "must be at most 5 characters long"
   */
  public record Violation(String path, String keyword, String message) {
    /** Checks. */
    public Violation {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(keyword, "keyword");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return path + ": " + message + " (" + keyword + ")";
    }
  }

  /**
   * What a check found: the outcome, the first violations (at most {@link Limits#maxErrors()}) and
   * how many there were in all. Immutable; {@link #toString()} names paths and keywords only.
   */
  public static final class Result {
    static final Result VALID = new Result(Outcome.VALID, List.of(), 0);

    private final Outcome outcome;
    private final List<Violation> errors;
    private final int totalErrors;

    private Result(Outcome outcome, List<Violation> errors, int totalErrors) {
      this.outcome = outcome;
      this.errors = List.copyOf(errors);
      this.totalErrors = totalErrors;
    }

    static Result of(Outcome outcome, List<Violation> errors, int totalErrors) {
      return new Result(outcome, errors, totalErrors);
    }

    /** What the check found. */
    public Outcome outcome() {
      return outcome;
    }

    /** Whether the answer follows the schema. */
    public boolean isValid() {
      return outcome == Outcome.VALID;
    }

    /** The first violations found, in the validator's order; empty when valid. */
    public List<Violation> errors() {
      return errors;
    }

    /** How many violations there were, counting those past {@link #errors()}. */
    public int totalErrors() {
      return totalErrors;
    }

    /** E.g. {@code MISMATCH: 3 violations: $.email (pattern), $.age (minimum), $ (required)}. */
    @Override
    public String toString() {
      if (isValid()) {
        return "VALID";
      }
      StringBuilder sb = new StringBuilder().append(outcome).append(": ").append(totalErrors)
          .append(totalErrors == 1 ? " violation: " : " violations: ");
      for (int i = 0; i < errors.size(); i++) {
        Violation v = errors.get(i);
        sb.append(i == 0 ? "" : ", ").append(v.path()).append(" (").append(v.keyword())
            .append(')');
      }
      if (totalErrors > errors.size()) {
        sb.append(", ...");
      }
      return sb.toString();
    }
  }

  /**
   * The check's limits.
   *
   * @param maxAnswerChars the longest answer read, in chars (a longer one is {@code
   *     LIMIT_EXCEEDED})
   * @param maxNestingDepth the deepest nesting of arrays and objects read in an answer
   * @param maxSchemaChars the longest schema compiled, in chars (a longer one is refused)
   * @param maxErrors the most violations kept and reported (the rest are only counted)
   * @param regexSteps the most characters one {@code pattern} match may read, backtracking included
   * @param evaluationSteps the keyword evaluations one check may make, plus {@value
   *     #EVALUATIONS_PER_CHAR} per char of the answer
   * @param cachedSchemas the most compiled schemas kept, each counted once per started 2 Ki chars
   */
  public record Limits(int maxAnswerChars, int maxNestingDepth, int maxSchemaChars, int maxErrors,
      int regexSteps, int evaluationSteps, int cachedSchemas) {
    /**
     * 1 Mi chars of answer, 64 levels (as {@code StructuredOutput.parse}), 64 Ki chars of schema,
     * 10 errors, 1,000,000 regex steps (a few milliseconds), 100,000 keyword evaluations plus 16
     * per char of answer (a 22 Ki-char answer of 1,000 objects measured between 10,000 and 30,000
     * evaluations), 1,000 cached schemas.
     */
    public static final Limits DEFAULTS =
        new Limits(1 << 20, 64, 1 << 16, 10, 1_000_000, 100_000, 1_000);

    /**
     * Checks.
     *
     * @throws IllegalArgumentException when a limit is not positive
     */
    public Limits {
      positive("maxAnswerChars", maxAnswerChars);
      positive("maxNestingDepth", maxNestingDepth);
      positive("maxSchemaChars", maxSchemaChars);
      positive("maxErrors", maxErrors);
      positive("regexSteps", regexSteps);
      positive("evaluationSteps", evaluationSteps);
      positive("cachedSchemas", cachedSchemas);
    }

    private static void positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
    }
  }

  /**
   * The validator's error list for one check: keeps the first errors, counts all of them. The
   * validator only adds to it and compares its size (whether a subschema added errors), so {@link
   * #size()} is the count, while iteration yields the kept errors only.
   */
  static final class CappedErrors extends AbstractList<Error> {
    private final Error[] kept;
    private int stored;
    private int total;

    CappedErrors(int capacity) {
      this.kept = new Error[capacity];
    }

    @Override
    public boolean add(Error error) {
      if (stored < kept.length) {
        kept[stored++] = error;
      }
      total++;
      return true;
    }

    @Override
    public Error get(int index) {
      Objects.checkIndex(index, stored);
      return kept[index];
    }

    @Override
    public int size() {
      return total;
    }

    @Override
    public Iterator<Error> iterator() {
      return Arrays.asList(kept).subList(0, stored).iterator();
    }

    int kept() {
      return stored;
    }
  }
}
