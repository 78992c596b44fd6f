package dev.llmgateway.core.internal.structured;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.FinishReason;
import dev.llmgateway.StructuredOutputException;
import dev.llmgateway.StructuredOutputException.Problem;
import java.io.IOException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parses an answer's text into its type, or fails with a {@link StructuredOutputException} whose
 * message never quotes the text. Thread-safe.
 *
 * <p>The mapper is Jackson's defaults plus: {@code Optional} and {@code java.time} support; a
 * missing record component, a null for a primitive, a fraction for an integer or anything after
 * the JSON value fails the parse; properties the type does not have are ignored (a model that does
 * not enforce the schema may add some). Nesting is bounded by {@link StreamReadConstraints} at
 * {@value #MAX_NESTING_DEPTH} levels, far past what a strict schema allows (OpenAI takes 10), so
 * a hostile answer cannot make the parser recurse without bound; the answer's size is already
 * bounded by the transport's read limits.
 */
public final class AnswerParser {
  /** The deepest nesting of arrays and objects the parser reads. */
  static final int MAX_NESTING_DEPTH = 64;

  /** Parses answers; also writes enum values for the schema, so both agree. */
  static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(MAX_NESTING_DEPTH)
              .build())
          .build())
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .build();

  private static final String FENCE = "```";

  private AnswerParser() {}

  /**
   * The answer of {@code response} as a {@code type}.
   *
   * @param reader reads {@code type} with {@link #MAPPER}
   * @param propertyNames every property name of the type's schema: only these are named in a
   *     message's path (anything else in the answer is the model's text)
   * @throws StructuredOutputException when the answer does not parse
   */
  static <T> T parse(ChatResponse response, Class<T> type, ObjectReader reader,
      Set<String> propertyNames) {
    String raw = response.text();
    String json = withoutCodeFence(raw);
    if (json.isEmpty()) {
      throw failure(response, type, Problem.EMPTY, raw, "has no text");
    }
    try (JsonParser parser = reader.createParser(json)) {
      T value;
      try {
        value = reader.readValue(parser);
      } catch (JsonMappingException e) {
        // databind wraps what the parser threw inside a property with that property's path
        Throwable cause = e.getCause();
        throw cause instanceof JsonProcessingException && !(cause instanceof JsonMappingException)
            ? unreadable((JsonProcessingException) cause, response, type, raw)
            : failure(response, type, Problem.MISMATCH, raw,
                "does not fit " + path(e, propertyNames) + at(e.getLocation()));
      } catch (JsonProcessingException e) {
        throw unreadable(e, response, type, raw);
      }
      if (value == null) {
        throw failure(response, type, Problem.MISMATCH, raw, "is JSON null");
      }
      if (hasMore(parser)) {
        throw failure(response, type, Problem.NOT_JSON, raw,
            "has more after its JSON value" + at(parser.currentLocation()));
      }
      return value;
    } catch (IOException e) {
      throw failure(response, type, Problem.NOT_JSON, raw, "could not be read as JSON");
    }
  }

  /** Whether anything but blanks follows the value (text that is not JSON counts). */
  private static boolean hasMore(JsonParser parser) throws IOException {
    try {
      return parser.nextToken() != null;
    } catch (JsonParseException notJson) {
      return true;
    }
  }

  /** A failure of the parser itself: past its limits, or not JSON. */
  private static StructuredOutputException unreadable(JsonProcessingException e,
      ChatResponse response, Class<?> type, String raw) {
    if (e instanceof StreamConstraintsException) {
      return failure(response, type, Problem.LIMIT_EXCEEDED, raw, "passes the parser's limits "
          + "(nesting deeper than " + MAX_NESTING_DEPTH + " levels, or a number or text too "
          + "long)" + at(e.getLocation()));
    }
    return failure(response, type, Problem.NOT_JSON, raw,
        "is not complete JSON" + at(e.getLocation()));
  }

  /**
   * A reader for {@code type}, once Jackson is known to be able to build one.
   *
   * @throws IllegalArgumentException when Jackson has no constructor or setters to build it with
   */
  static ObjectReader readerFor(Class<?> type) {
    try {
      DefaultDeserializationContext context =
          ((DefaultDeserializationContext) MAPPER.getDeserializationContext())
              .createDummyInstance(MAPPER.getDeserializationConfig());
      JsonDeserializer<?> deserializer =
          context.findRootValueDeserializer(MAPPER.constructType(type));
      if (deserializer instanceof BeanDeserializerBase bean && !fromObject(bean)) {
        throw new IllegalArgumentException("Jackson cannot build a " + type.getName()
            + ": use a record, or give the class a constructor Jackson can use");
      }
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException("Jackson cannot read a " + type.getName(), e);
    }
    return MAPPER.readerFor(type);
  }

  /** Whether the bean can be made from a JSON object (not only from a string or number). */
  private static boolean fromObject(BeanDeserializerBase bean) {
    ValueInstantiator instantiator = bean.getValueInstantiator();
    return instantiator.canCreateUsingDefault() || instantiator.canCreateFromObjectWith()
        || instantiator.canCreateUsingDelegate();
  }

  /**
   * The text without surrounding blanks and without a Markdown code fence around it ({@code
   * ```json ... ```}), which models that do not enforce a schema often add. The policy step's
   * schema check reads an answer the same way, so both judge the same text.
   */
  public static String withoutCodeFence(String text) {
    String t = text.strip();
    if (t.startsWith(FENCE) && t.endsWith(FENCE) && t.length() > 2 * FENCE.length()) {
      int lineEnd = t.indexOf('\n');
      if (lineEnd > 0 && lineEnd < t.length() - FENCE.length()) {
        return t.substring(lineEnd + 1, t.length() - FENCE.length()).strip();
      }
    }
    return t;
  }

  /** Where in the type the mismatch lies, e.g. {@code lines[2].quantity}; only known names. */
  private static String path(JsonMappingException e, Set<String> propertyNames) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      String name = ref.getFieldName();
      if (name != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(propertyNames.contains(name) ? name : "?");
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "the type" : "the type at " + sb;
  }

  private static String at(@Nullable JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static StructuredOutputException failure(ChatResponse response, Class<?> type,
      Problem problem, String raw, String what) {
    FinishReason finish = response.finishReason();
    String message = "the answer " + what + ", so it does not parse into "
        + StrictSchema.simpleName(type) + hint(finish) + "; its text is on rawText()";
    Deployment deployment = response.deployment();
    ErrorDetails details = deployment == null
        ? new ErrorDetails(null, null, null, null, response.providerRequestId())
        : ErrorDetails.of(deployment).withHttp(null, null, response.providerRequestId());
    return new StructuredOutputException(message, type, problem, raw, finish, details);
  }

  /** What the finish reason tells about a failed parse; "" when it tells nothing. */
  private static String hint(FinishReason finish) {
    switch (finish) {
      case LENGTH:
        return "; it was cut at the output token limit (finish reason LENGTH): raise "
            + "maxOutputTokens";
      case CONTENT_FILTER:
        return "; the model refused or a safety system stopped it (finish reason "
            + "CONTENT_FILTER)";
      case TOOL_CALLS:
        return "; the model called tools instead (finish reason TOOL_CALLS)";
      default:
        return "";
    }
  }
}
