package dev.llmgateway.providers.openai.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.llmgateway.providers.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Chat Completions answer into {@link OpenAiDtos.Completion}, and a streamed chunk into
 * {@link OpenAiDtos.Chunk}, with a streaming parser,
 * reading only what the gateway keeps (the first choice's message, its finish reason, the usage)
 * and skipping the rest. It reads what Jackson's data binding reads into the same records, value
 * for value (checked against it on the fixtures and on mutated bodies): a string field takes a
 * string or any other scalar as its text, a count takes a number (a fraction cut to its whole
 * part), a numeric string, or null as 0; an object or array where a scalar belongs, or a scalar
 * where an object belongs, fails. Without the data binding's deserialization context, property
 * buffers and their arrays: about half of what an answer allocated to decode. A chunk carrying an
 * {@code error} (any JSON in its fields) is left to the data binding: {@link #chunk} says so.
 */
final class CompletionReader {
  private CompletionReader() {}

  /**
   * The answer in {@code body}.
   *
   * @throws IOException when the body is not JSON or a field has a shape the records cannot take
   */
  static OpenAiDtos.@Nullable Completion read(byte[] body) throws IOException {
    try (JsonParser p = Json.FACTORY.createParser(body)) {
      return (OpenAiDtos.Completion) root(p, false);
    }
  }


  /** What {@link #chunk} returns for a chunk it leaves to the data binding: one with an error. */
  static final OpenAiDtos.Chunk ERROR_CHUNK = new OpenAiDtos.Chunk(null, null, null, null, null);

  /**
   * The streamed chunk in {@code data}, null for {@code null}, or {@link #ERROR_CHUNK} for a chunk
   * with an {@code error} field, which the caller reads with the data binding.
   *
   * @throws IOException when the chunk is not JSON or a field has a shape the records cannot take
   */
  static OpenAiDtos.@Nullable Chunk chunk(String data) throws IOException {
    try (JsonParser p = Json.FACTORY.createParser(data)) {
      return (OpenAiDtos.Chunk) root(p, true);
    }
  }

  /**
   * An answer ({@code chunk} false) or a streamed chunk: the same fields at the top, a chunk's
   * choices with a {@code delta} where an answer's have a {@code message}; null for {@code null}.
   */
  @SuppressWarnings("unchecked") // the list holds the choices of the kind asked for
  private static @Nullable Object root(JsonParser p, boolean chunk) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null || t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_OBJECT);
    String id = null;
    String model = null;
    List<Object> choices = null;
    OpenAiDtos.UsageDto usage = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "id" -> id = text(p, v);
        case "model" -> model = text(p, v);
        case "choices" -> choices = choices(p, v, chunk);
        case "usage" -> usage = usage(p, v);
        case "error" -> {
          if (chunk) {
            return ERROR_CHUNK;
          }
          p.skipChildren();
        }
        default -> p.skipChildren();
      }
    }
    return chunk
        ? new OpenAiDtos.Chunk(id, model, (List<OpenAiDtos.ChunkChoice>) (List<?>) choices, usage,
            null)
        : new OpenAiDtos.Completion(id, model, (List<OpenAiDtos.Choice>) (List<?>) choices, usage);
  }


  /** The choices, each an answer's or (for {@code chunk}) a streamed chunk's. */
  private static @Nullable List<Object> choices(JsonParser p, JsonToken t, boolean chunk)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_ARRAY);
    List<Object> out = new ArrayList<>(1);
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      if (e == JsonToken.VALUE_NULL) {
        out.add(null);
        continue;
      }
      expect(p, e, JsonToken.START_OBJECT);
      int index = 0;
      OpenAiDtos.MessageDto message = null;
      String finishReason = null;
      String messageField = chunk ? "delta" : "message";
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("index")) {
          index = (int) count(p, v, true);
        } else if (field.equals(messageField)) {
          message = message(p, v);
        } else if (field.equals("finish_reason")) {
          finishReason = text(p, v);
        } else {
          p.skipChildren();
        }
      }
      out.add(chunk ? new OpenAiDtos.ChunkChoice(index, message, finishReason)
          : new OpenAiDtos.Choice(index, message, finishReason));
    }
    return out;
  }

  private static OpenAiDtos.@Nullable MessageDto message(JsonParser p, JsonToken t)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_OBJECT);
    String content = null;
    String refusal = null;
    List<OpenAiDtos.ToolCallDto> toolCalls = null;
    String reasoningContent = null;
    String reasoning = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "content" -> content = text(p, v);
        case "refusal" -> refusal = text(p, v);
        case "tool_calls" -> toolCalls = toolCalls(p, v);
        case "reasoning_content" -> reasoningContent = text(p, v);
        case "reasoning" -> reasoning = text(p, v);
        default -> p.skipChildren();
      }
    }
    return new OpenAiDtos.MessageDto(content, refusal, toolCalls, reasoningContent, reasoning);
  }

  private static @Nullable List<OpenAiDtos.ToolCallDto> toolCalls(JsonParser p, JsonToken t)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_ARRAY);
    List<OpenAiDtos.ToolCallDto> out = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      if (e == JsonToken.VALUE_NULL) {
        out.add(null);
        continue;
      }
      expect(p, e, JsonToken.START_OBJECT);
      Integer index = null;
      String id = null;
      String type = null;
      OpenAiDtos.FunctionDto function = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "index" -> {
            Long n = boxedCount(p, v, true);
            index = n == null ? null : n.intValue();
          }
          case "id" -> id = text(p, v);
          case "type" -> type = text(p, v);
          case "function" -> function = function(p, v);
          default -> p.skipChildren();
        }
      }
      out.add(new OpenAiDtos.ToolCallDto(index, id, type, function));
    }
    return out;
  }

  private static OpenAiDtos.@Nullable FunctionDto function(JsonParser p, JsonToken t)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_OBJECT);
    String name = null;
    String arguments = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "name" -> name = text(p, v);
        case "arguments" -> arguments = text(p, v);
        default -> p.skipChildren();
      }
    }
    return new OpenAiDtos.FunctionDto(name, arguments);
  }

  private static OpenAiDtos.@Nullable UsageDto usage(JsonParser p, JsonToken t)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_OBJECT);
    long prompt = 0;
    long completion = 0;
    Long total = null;
    OpenAiDtos.PromptDetails promptDetails = null;
    OpenAiDtos.CompletionDetails completionDetails = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "prompt_tokens" -> prompt = count(p, v, false);
        case "completion_tokens" -> completion = count(p, v, false);
        case "total_tokens" -> total = boxedCount(p, v, false);
        case "prompt_tokens_details" -> promptDetails = promptDetails(p, v);
        case "completion_tokens_details" -> completionDetails = completionDetails(p, v);
        default -> p.skipChildren();
      }
    }
    return new OpenAiDtos.UsageDto(prompt, completion, total, promptDetails, completionDetails);
  }

  private static OpenAiDtos.@Nullable PromptDetails promptDetails(JsonParser p, JsonToken t)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_OBJECT);
    long cached = 0;
    long written = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "cached_tokens" -> cached = count(p, v, false);
        case "cache_write_tokens" -> written = count(p, v, false);
        default -> p.skipChildren();
      }
    }
    return new OpenAiDtos.PromptDetails(cached, written);
  }

  private static OpenAiDtos.@Nullable CompletionDetails completionDetails(JsonParser p,
      JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t, JsonToken.START_OBJECT);
    long reasoning = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("reasoning_tokens")) {
        reasoning = count(p, v, false);
      } else {
        p.skipChildren();
      }
    }
    return new OpenAiDtos.CompletionDetails(reasoning);
  }

  /** A string field: a string, or any other scalar's text; null for null. */
  private static @Nullable String text(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t.isScalarValue()) { // a string, or a number's or boolean's text
      return p.getText();
    }
    throw new InputCoercionException(p, "a string field holds " + t, t, String.class);
  }

  /**
   * A count: a whole number, a fraction cut to its whole part, a numeric string, or null as 0;
   * {@code asInt}: within an {@code int}.
   */
  private static long count(JsonParser p, JsonToken t, boolean asInt) throws IOException {
    switch (t) {
      case VALUE_NULL:
        return 0;
      case VALUE_NUMBER_INT:
        return asInt ? p.getIntValue() : p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return asInt ? p.getValueAsInt() : p.getValueAsLong();
      case VALUE_STRING:
        String s = p.getText().trim();
        if (s.isEmpty()) {
          return 0;
        }
        try {
          return asInt ? Integer.parseInt(s) : Long.parseLong(s);
        } catch (NumberFormatException e) {
          throw new InputCoercionException(p, "a count holds a string that is not a whole number",
              t, long.class);
        }
      default:
        throw new InputCoercionException(p, "a count holds " + t, t, long.class);
    }
  }

  /** A count that may be absent: null for null and for an empty string, else {@link #count}. */
  private static @Nullable Long boxedCount(JsonParser p, JsonToken t, boolean asInt)
      throws IOException {
    if (t == JsonToken.VALUE_NULL || t == JsonToken.VALUE_STRING && p.getText().isBlank()) {
      return null;
    }
    return count(p, t, asInt);
  }

  private static void expect(JsonParser p, JsonToken t, JsonToken expected) throws IOException {
    if (t != expected) {
      throw new InputCoercionException(p, "expected " + expected + ", found " + t, t,
          Object.class);
    }
  }
}
