package dev.llmgateway.core;

import dev.llmgateway.ChatResponse;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.StructuredOutputException;
import dev.llmgateway.core.internal.structured.StructuredTypes;

/**
 * Structured output to Java types: the answer's shape given as a record (or class), and the
 * answer read back as one.
 *
 * <pre>{@code
 * record Invoice(String customer, List<Line> lines, Optional<String> note) {}
 * record Line(String item, int quantity, BigDecimal price) {}
 *
 * ChatRequest request = ChatRequest.builder("openai/gpt-4.1-mini")
 *     .user("Read this invoice: ...")
 *     .responseFormat(StructuredOutput.responseFormat(Invoice.class))
 *     .build();
 * ChatResponse response = gateway.chat(request);
 * Invoice invoice = StructuredOutput.parse(response, Invoice.class);
 * }</pre>
 *
 * <p>The format is a strict JSON schema that every built-in wire format sends as its own: OpenAI's
 * {@code response_format} of type {@code json_schema} with {@code strict: true}, Anthropic's {@code
 * output_config.format}, Gemini's {@code generationConfig.responseJsonSchema}. Every property is
 * required and no other is allowed; an {@link java.util.Optional} or {@code @Nullable} property
 * (any annotation of that simple name) may be null. Jackson's annotations name the properties
 * ({@code @JsonProperty}), describe them to the model ({@code @JsonPropertyDescription} and
 * {@code @JsonClassDescription}) and leave them out ({@code @JsonIgnore}). Types that fit: records
 * and classes Jackson can build, of strings, numbers, booleans, enums, {@code java.time} values,
 * lists, arrays and nested records. Types that do not: maps, {@code Object}, a type that refers to
 * itself, and anything but a record or class at the root (wrap a list in a record).
 *
 * <p>The two halves are separate so that they fit every way of calling: {@code chat}, {@code
 * chatAsync(...).thenApply(...)}, {@code stream(...).collect()}, with any caller, through any
 * {@link Gateway} (a fake, a decorator); and the {@link ChatResponse} with its usage, cost and
 * attempts stays in your hands.
 *
 * <p>Each type's schema and reader are made on first use and kept for the type's lifetime: later
 * calls do no reflection. Thread-safe; all methods are static.
 */
public final class StructuredOutput {
  private StructuredOutput() {}

  /**
   * The strict JSON schema format for answers of {@code type}, named after the type. The same
   * instance for every call with the same type.
   *
   * @throws IllegalArgumentException when the type cannot be described by a strict schema (the
   *     message names the property that cannot, e.g. {@code Invoice.meta is an object without
   *     fixed properties}), or Jackson cannot build it (a class without a constructor it can use)
   */
  public static ResponseFormat responseFormat(Class<?> type) {
    return StructuredTypes.responseFormat(type);
  }

  /**
   * The answer of {@code response} as a {@code type}: its text, parsed as JSON (a Markdown code
   * fence around it is dropped). Properties the type does not have are ignored; a missing record
   * component, a null for a primitive or a fraction for an integer does not parse.
   *
   * @throws StructuredOutputException when the answer is empty, not JSON, of another shape, or
   *     nested deeper than 64 levels; it carries the answer's text ({@link
   *     StructuredOutputException#rawText()}), which its message never quotes
   * @throws IllegalArgumentException when the type cannot be described by a strict schema (as
   *     {@link #responseFormat})
   */
  public static <T> T parse(ChatResponse response, Class<T> type) {
    return StructuredTypes.parse(response, type);
  }
}
