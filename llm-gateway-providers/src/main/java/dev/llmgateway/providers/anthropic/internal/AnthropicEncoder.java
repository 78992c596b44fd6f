package dev.llmgateway.providers.anthropic.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.llmgateway.CacheControl;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.Role;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.providers.anthropic.AnthropicProvider;
import dev.llmgateway.providers.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes canonical requests as Messages API bodies with a streaming generator (no JSON tree). Raw
 * JSON from the request (tool schemas, tool arguments, the output schema, provider extras) is
 * checked and spliced in; extras win over the fields the encoder would write.
 *
 * <p>Mapping: system messages (wherever they are) become the top-level {@code system}, a string,
 * or an array of text blocks when one of their parts has a cache hint; tool results become {@code
 * tool_result} blocks of a user turn (consecutive results, and a user message right after them,
 * share one turn, results first); assistant reasoning becomes {@code thinking} (text and
 * signature) or {@code redacted_thinking} (data) blocks, sent back unchanged, while reasoning
 * without a signature and reasoning another wire format produced (its signature is not
 * Anthropic's, see {@link ContentPart.Reasoning#sendableTo}) are dropped, as Anthropic would
 * reject them. Stateless and thread-safe.
 */
public final class AnthropicEncoder {
  /** The smallest thinking budget the API accepts. */
  public static final int MIN_BUDGET = 1024;
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  private AnthropicEncoder() {}

  /**
   * The body of a Messages request.
   *
   * @param maxTokens the {@code max_tokens} to send
   * @param extras the provider's raw JSON extras for this request, or null
   * @param endUserHash the hashed end user, sent as {@code metadata.user_id}, or null
   * @throws IllegalArgumentException when raw JSON in the request does not parse
   */
  public static byte[] chat(ChatRequest r, boolean stream, int maxTokens, @Nullable String extras,
      @Nullable String endUserHash) {
    ByteArrayBuilder bytes = Json.buffer();
    try (JsonGenerator out = Json.FACTORY.createGenerator(bytes)) {
      Set<String> skip = extras == null ? Set.of() : Json.fieldNames(extras);
      out.writeStartObject();
      if (!skip.contains("model")) {
        out.writeStringField("model", r.model());
      }
      if (!skip.contains("max_tokens")) {
        out.writeNumberField("max_tokens", maxTokens);
      }
      if (!skip.contains("system")) {
        system(out, r.messages());
      }
      if (!skip.contains("messages")) {
        messages(out, r.messages());
      }
      if (!r.tools().isEmpty() && !skip.contains("tools")) {
        out.writeArrayFieldStart("tools");
        for (ToolDefinition t : r.tools()) {
          out.writeStartObject();
          out.writeStringField("name", t.name());
          if (t.description() != null) {
            out.writeStringField("description", t.description());
          }
          out.writeFieldName("input_schema");
          Json.writeRaw(out, t.parametersSchema(), "the parameters schema of tool '" + t.name()
              + "'");
          out.writeEndObject();
        }
        out.writeEndArray();
      }
      if (r.toolChoice() != null && !skip.contains("tool_choice")) {
        toolChoice(out, r.toolChoice());
      }
      if (r.reasoning() != null && !skip.contains("thinking")) {
        int budget = budget(r.reasoning());
        out.writeObjectFieldStart("thinking");
        if (budget == 0) {
          out.writeStringField("type", "disabled");
        } else {
          out.writeStringField("type", "enabled");
          out.writeNumberField("budget_tokens", budget);
        }
        out.writeEndObject();
      }
      ResponseFormat format = r.responseFormat();
      if (format != null && format.type() == ResponseFormat.Type.JSON_SCHEMA
          && !skip.contains("output_config")) {
        out.writeObjectFieldStart("output_config");
        out.writeObjectFieldStart("format");
        out.writeStringField("type", "json_schema");
        out.writeFieldName("schema");
        Json.writeRaw(out, format.schema(), "the response format's JSON schema");
        out.writeEndObject();
        out.writeEndObject();
      }
      if (r.temperature() != null && !skip.contains("temperature")) {
        out.writeNumberField("temperature", r.temperature());
      }
      if (r.topP() != null && !skip.contains("top_p")) {
        out.writeNumberField("top_p", r.topP());
      }
      if (!r.stop().isEmpty() && !skip.contains("stop_sequences")) {
        out.writeArrayFieldStart("stop_sequences");
        for (String s : r.stop()) {
          out.writeString(s);
        }
        out.writeEndArray();
      }
      if (endUserHash != null && !skip.contains("metadata")) {
        out.writeObjectFieldStart("metadata");
        out.writeStringField("user_id", endUserHash);
        out.writeEndObject();
      }
      if (stream && !skip.contains("stream")) {
        out.writeBooleanField("stream", true);
      }
      if (extras != null) {
        Json.writeFields(out, extras);
      }
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Json.bytes(bytes);
  }

  /**
   * The thinking budget of a reasoning setting: a budget as given (0 turns thinking off; 1 to 1023
   * are raised to the API's minimum of 1024); an effort as MINIMAL 1024, LOW 4096, MEDIUM 10000,
   * HIGH 32000 tokens.
   */
  public static int budget(ReasoningConfig reasoning) {
    if (reasoning.budgetTokens() != null) {
      int b = reasoning.budgetTokens();
      return b == 0 ? 0 : Math.max(MIN_BUDGET, b);
    }
    switch (reasoning.effort()) {
      case MINIMAL:
        return MIN_BUDGET;
      case LOW:
        return 4096;
      case MEDIUM:
        return 10_000;
      default:
        return 32_000;
    }
  }

  private static void system(JsonGenerator out, List<Message> messages) throws IOException {
    boolean any = false;
    boolean blocks = false;
    for (Message m : messages) {
      if (m.role() == Role.SYSTEM) {
        any = true;
        for (ContentPart p : m.content()) {
          blocks |= p.cacheControl() != null;
        }
      }
    }
    if (!any) {
      return;
    }
    if (!blocks) {
      StringBuilder text = new StringBuilder();
      for (Message m : messages) {
        if (m.role() == Role.SYSTEM) {
          if (text.length() > 0) {
            text.append("\n\n");
          }
          text.append(m.text());
        }
      }
      out.writeStringField("system", text.toString());
      return;
    }
    out.writeArrayFieldStart("system");
    for (Message m : messages) {
      if (m.role() == Role.SYSTEM) {
        for (ContentPart p : m.content()) {
          if (p instanceof ContentPart.Text t) {
            textBlock(out, t.text(), t.cacheControl());
          }
        }
      }
    }
    out.writeEndArray();
  }

  private static void messages(JsonGenerator out, List<Message> messages) throws IOException {
    out.writeArrayFieldStart("messages");
    boolean openToolTurn = false; // a user turn of tool results is open
    for (Message m : messages) {
      switch (m.role()) {
        case SYSTEM:
          break;
        case TOOL:
          if (!openToolTurn) {
            out.writeStartObject();
            out.writeStringField("role", "user");
            out.writeArrayFieldStart("content");
            openToolTurn = true;
          }
          toolResult(out, m);
          break;
        case USER:
          if (openToolTurn) {
            userParts(out, m.content());
            closeTurn(out);
            openToolTurn = false;
            break;
          }
          out.writeStartObject();
          out.writeStringField("role", "user");
          if (m.content().size() == 1 && m.content().get(0) instanceof ContentPart.Text t
              && t.cacheControl() == null) {
            out.writeStringField("content", t.text());
            out.writeEndObject();
          } else {
            out.writeArrayFieldStart("content");
            userParts(out, m.content());
            closeTurn(out);
          }
          break;
        default:
          if (openToolTurn) {
            closeTurn(out);
            openToolTurn = false;
          }
          assistant(out, m);
      }
    }
    if (openToolTurn) {
      closeTurn(out);
    }
    out.writeEndArray();
  }

  private static void closeTurn(JsonGenerator out) throws IOException {
    out.writeEndArray();
    out.writeEndObject();
  }

  private static void toolResult(JsonGenerator out, Message m) throws IOException {
    out.writeStartObject();
    out.writeStringField("type", "tool_result");
    out.writeStringField("tool_use_id", m.toolCallId());
    out.writeStringField("content", m.text());
    CacheControl cache = null;
    for (ContentPart p : m.content()) {
      if (p.cacheControl() != null) {
        cache = p.cacheControl();
      }
    }
    cacheControl(out, cache);
    out.writeEndObject();
  }

  private static void userParts(JsonGenerator out, List<ContentPart> parts) throws IOException {
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Text t) {
        textBlock(out, t.text(), t.cacheControl());
      } else if (part instanceof ContentPart.Image image) {
        out.writeStartObject();
        out.writeStringField("type", "image");
        out.writeObjectFieldStart("source");
        String url = image.url();
        if (url == null) {
          base64Source(out, image.mediaType(), image.data());
        } else if (url.startsWith("data:") && url.contains(";base64,")) {
          int comma = url.indexOf(";base64,");
          out.writeStringField("type", "base64");
          out.writeStringField("media_type", url.substring(5, comma));
          out.writeStringField("data", url.substring(comma + 8));
        } else {
          out.writeStringField("type", "url");
          out.writeStringField("url", url);
        }
        out.writeEndObject();
        cacheControl(out, image.cacheControl());
        out.writeEndObject();
      } else if (part instanceof ContentPart.Document doc) {
        out.writeStartObject();
        out.writeStringField("type", "document");
        out.writeObjectFieldStart("source");
        if (doc.mediaType().startsWith("text/")) {
          out.writeStringField("type", "text");
          out.writeStringField("media_type", "text/plain");
          out.writeStringField("data", new String(doc.data(), StandardCharsets.UTF_8));
        } else {
          base64Source(out, doc.mediaType(), doc.data());
        }
        out.writeEndObject();
        if (doc.title() != null) {
          out.writeStringField("title", doc.title());
        }
        cacheControl(out, doc.cacheControl());
        out.writeEndObject();
      }
      // reasoning parts are the model's own; a user turn takes none
    }
  }

  private static void base64Source(JsonGenerator out, @Nullable String mediaType,
      byte @Nullable [] data) throws IOException {
    out.writeStringField("type", "base64");
    out.writeStringField("media_type", mediaType);
    out.writeStringField("data", Base64.getEncoder().encodeToString(data));
  }

  private static void assistant(JsonGenerator out, Message m) throws IOException {
    out.writeStartObject();
    out.writeStringField("role", "assistant");
    if (m.toolCalls().isEmpty() && m.content().size() == 1
        && m.content().get(0) instanceof ContentPart.Text t && t.cacheControl() == null) {
      out.writeStringField("content", t.text());
      out.writeEndObject();
      return;
    }
    out.writeArrayFieldStart("content");
    for (ContentPart part : m.content()) {
      if (part instanceof ContentPart.Reasoning r) {
        if (!r.sendableTo(AnthropicProvider.FORMAT)) {
          continue; // another provider's signature: Anthropic would reject it
        }
        if (r.redactedData() != null) {
          out.writeStartObject();
          out.writeStringField("type", "redacted_thinking");
          out.writeStringField("data", r.redactedData());
          out.writeEndObject();
        } else if (r.signature() != null) {
          out.writeStartObject();
          out.writeStringField("type", "thinking");
          out.writeStringField("thinking", r.text() == null ? "" : r.text());
          out.writeStringField("signature", r.signature());
          out.writeEndObject();
        }
      } else if (part instanceof ContentPart.Text t) {
        if (!t.text().isEmpty()) {
          textBlock(out, t.text(), t.cacheControl());
        }
      }
    }
    for (ToolCall call : m.toolCalls()) {
      out.writeStartObject();
      out.writeStringField("type", "tool_use");
      out.writeStringField("id", call.id());
      out.writeStringField("name", call.name());
      out.writeFieldName("input");
      Json.writeRaw(out, call.arguments().isBlank() ? "{}" : call.arguments(),
          "the arguments of tool call '" + call.id() + "'");
      out.writeEndObject();
    }
    closeTurn(out);
  }

  private static void textBlock(JsonGenerator out, String text, @Nullable CacheControl cache)
      throws IOException {
    out.writeStartObject();
    out.writeStringField("type", "text");
    out.writeStringField("text", text);
    cacheControl(out, cache);
    out.writeEndObject();
  }

  /** {@code {"type":"ephemeral"}}, with {@code "ttl":"1h"} for a TTL longer than five minutes. */
  private static void cacheControl(JsonGenerator out, @Nullable CacheControl cache)
      throws IOException {
    if (cache == null) {
      return;
    }
    out.writeObjectFieldStart("cache_control");
    out.writeStringField("type", "ephemeral");
    if (cache.ttl().compareTo(FIVE_MINUTES) > 0) {
      out.writeStringField("ttl", "1h");
    }
    out.writeEndObject();
  }

  private static void toolChoice(JsonGenerator out, ToolChoice choice) throws IOException {
    out.writeObjectFieldStart("tool_choice");
    switch (choice.mode()) {
      case AUTO:
        out.writeStringField("type", "auto");
        break;
      case NONE:
        out.writeStringField("type", "none");
        break;
      case REQUIRED:
        out.writeStringField("type", "any");
        break;
      default:
        out.writeStringField("type", "tool");
        out.writeStringField("name", choice.toolName());
    }
    out.writeEndObject();
  }
}
