package dev.llmgateway.providers.openai.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.Message;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.providers.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes canonical requests as Chat Completions and Embeddings request bodies with a streaming
 * generator (no JSON tree). Raw JSON from the request (tool schemas, tool arguments, provider
 * extras) is checked and spliced in; extras win over the fields the encoder would write.
 */
public final class OpenAiEncoder {
  private final Dialect dialect;

  /** An encoder for one endpoint's dialect. */
  public OpenAiEncoder(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * The body of a chat request.
   *
   * @param extras the provider's raw JSON extras for this request, or null
   * @param endUserHash the hashed end user, or null
   * @throws IllegalArgumentException when raw JSON in the request does not parse
   */
  public byte[] chat(ChatRequest r, boolean stream, @Nullable String extras,
      @Nullable String endUserHash) {
    ByteArrayBuilder bytes = Json.buffer();
    try (JsonGenerator out = Json.FACTORY.createGenerator(bytes)) {
      Set<String> skip = extras == null ? Set.of() : Json.fieldNames(extras);
      out.writeStartObject();
      if (!dialect.azureDeployments() && !skip.contains("model")) {
        out.writeStringField("model", r.model());
      }
      if (!skip.contains("messages")) {
        out.writeArrayFieldStart("messages");
        for (Message m : r.messages()) {
          message(out, m);
        }
        out.writeEndArray();
      }
      if (!r.tools().isEmpty() && !skip.contains("tools")) {
        out.writeArrayFieldStart("tools");
        for (ToolDefinition t : r.tools()) {
          tool(out, t);
        }
        out.writeEndArray();
      }
      if (r.toolChoice() != null && !skip.contains("tool_choice")) {
        toolChoice(out, r.toolChoice());
      }
      if (r.responseFormat() != null && !skip.contains("response_format")) {
        responseFormat(out, r.responseFormat());
      }
      if (r.reasoning() != null && dialect.reasoningEffort()
          && !skip.contains("reasoning_effort")) {
        out.writeStringField("reasoning_effort", effort(r.reasoning()));
      }
      if (r.temperature() != null && !skip.contains("temperature")) {
        out.writeNumberField("temperature", r.temperature());
      }
      if (r.topP() != null && !skip.contains("top_p")) {
        out.writeNumberField("top_p", r.topP());
      }
      String maxField = dialect.legacyMaxTokens() ? "max_tokens" : "max_completion_tokens";
      if (r.maxOutputTokens() != null && !skip.contains(maxField)) {
        out.writeNumberField(maxField, r.maxOutputTokens());
      }
      if (!r.stop().isEmpty() && !skip.contains("stop")) {
        out.writeArrayFieldStart("stop");
        for (String s : r.stop()) {
          out.writeString(s);
        }
        out.writeEndArray();
      }
      if (r.seed() != null && !skip.contains(dialect.seedField())) {
        out.writeNumberField(dialect.seedField(), r.seed());
      }
      if (endUserHash != null && dialect.safetyIdentifier()
          && !skip.contains("safety_identifier")) {
        out.writeStringField("safety_identifier", endUserHash);
      }
      if (r.promptCacheKey() != null && dialect.promptCacheKey()
          && !skip.contains("prompt_cache_key")) {
        out.writeStringField("prompt_cache_key", r.promptCacheKey());
      }
      if (stream && !skip.contains("stream")) {
        out.writeBooleanField("stream", true);
        if (dialect.streamUsage() && !skip.contains("stream_options")) {
          out.writeObjectFieldStart("stream_options");
          out.writeBooleanField("include_usage", true);
          out.writeEndObject();
        }
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
   * The body of an embeddings request.
   *
   * @param base64 ask for the vectors as base64 float32 ({@code encoding_format: "base64"}) rather
   *     than JSON numbers ({@code "float"})
   */
  public byte[] embeddings(EmbeddingRequest r, @Nullable String extras, boolean base64) {
    ByteArrayBuilder bytes = Json.buffer();
    try (JsonGenerator out = Json.FACTORY.createGenerator(bytes)) {
      Set<String> skip = extras == null ? Set.of() : Json.fieldNames(extras);
      out.writeStartObject();
      if (!dialect.azureDeployments() && !skip.contains("model")) {
        out.writeStringField("model", r.model());
      }
      if (!skip.contains("input")) {
        out.writeArrayFieldStart("input");
        for (String input : r.inputs()) {
          out.writeString(input);
        }
        out.writeEndArray();
      }
      if (r.dimensions() != null && !skip.contains("dimensions")) {
        out.writeNumberField("dimensions", r.dimensions());
      }
      if (!skip.contains("encoding_format")) {
        out.writeStringField("encoding_format", base64 ? "base64" : "float");
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

  private static void message(JsonGenerator out, Message m) throws IOException {
    out.writeStartObject();
    switch (m.role()) {
      case SYSTEM:
        out.writeStringField("role", "system");
        out.writeStringField("content", m.text());
        break;
      case USER:
        out.writeStringField("role", "user");
        userContent(out, m.content());
        break;
      case ASSISTANT:
        out.writeStringField("role", "assistant");
        String text = m.text();
        if (text.isEmpty() && !m.toolCalls().isEmpty()) {
          out.writeNullField("content");
        } else {
          out.writeStringField("content", text);
        }
        if (!m.toolCalls().isEmpty()) {
          out.writeArrayFieldStart("tool_calls");
          for (ToolCall call : m.toolCalls()) {
            out.writeStartObject();
            out.writeStringField("id", call.id());
            out.writeStringField("type", "function");
            out.writeObjectFieldStart("function");
            out.writeStringField("name", call.name());
            out.writeStringField("arguments", call.arguments());
            out.writeEndObject();
            out.writeEndObject();
          }
          out.writeEndArray();
        }
        break;
      default:
        out.writeStringField("role", "tool");
        out.writeStringField("tool_call_id", m.toolCallId());
        out.writeStringField("content", m.text());
        break;
    }
    if (m.name() != null) {
      out.writeStringField("name", m.name());
    }
    out.writeEndObject();
  }

  private static void userContent(JsonGenerator out, List<ContentPart> parts) throws IOException {
    if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text t) {
      out.writeStringField("content", t.text());
      return;
    }
    out.writeArrayFieldStart("content");
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Text t) {
        out.writeStartObject();
        out.writeStringField("type", "text");
        out.writeStringField("text", t.text());
        out.writeEndObject();
      } else if (part instanceof ContentPart.Image image) {
        out.writeStartObject();
        out.writeStringField("type", "image_url");
        out.writeObjectFieldStart("image_url");
        out.writeStringField("url", image.url() != null ? image.url()
            : dataUrl(image.mediaType(), image.data()));
        out.writeEndObject();
        out.writeEndObject();
      } else if (part instanceof ContentPart.Document doc) {
        out.writeStartObject();
        out.writeStringField("type", "file");
        out.writeObjectFieldStart("file");
        out.writeStringField("filename", doc.title() != null ? doc.title() : "document");
        out.writeStringField("file_data", dataUrl(doc.mediaType(), doc.data()));
        out.writeEndObject();
        out.writeEndObject();
      }
      // reasoning parts are the model's own; Chat Completions takes none back
    }
    out.writeEndArray();
  }

  private static String dataUrl(@Nullable String mediaType, byte @Nullable [] data) {
    return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(data);
  }

  private static void tool(JsonGenerator out, ToolDefinition t) throws IOException {
    out.writeStartObject();
    out.writeStringField("type", "function");
    out.writeObjectFieldStart("function");
    out.writeStringField("name", t.name());
    if (t.description() != null) {
      out.writeStringField("description", t.description());
    }
    out.writeFieldName("parameters");
    Json.writeRaw(out, t.parametersSchema(), "the parameters schema of tool '" + t.name() + "'");
    if (t.strict()) {
      out.writeBooleanField("strict", true);
    }
    out.writeEndObject();
    out.writeEndObject();
  }

  private void toolChoice(JsonGenerator out, ToolChoice choice) throws IOException {
    switch (choice.mode()) {
      case AUTO:
        out.writeStringField("tool_choice", "auto");
        break;
      case NONE:
        out.writeStringField("tool_choice", "none");
        break;
      case REQUIRED:
        out.writeStringField("tool_choice", dialect.requiredToolChoice());
        break;
      default:
        out.writeObjectFieldStart("tool_choice");
        out.writeStringField("type", "function");
        out.writeObjectFieldStart("function");
        out.writeStringField("name", choice.toolName());
        out.writeEndObject();
        out.writeEndObject();
    }
  }

  private static void responseFormat(JsonGenerator out, ResponseFormat format) throws IOException {
    switch (format.type()) {
      case TEXT:
        return;
      case JSON_OBJECT:
        out.writeObjectFieldStart("response_format");
        out.writeStringField("type", "json_object");
        out.writeEndObject();
        return;
      default:
        out.writeObjectFieldStart("response_format");
        out.writeStringField("type", "json_schema");
        out.writeObjectFieldStart("json_schema");
        out.writeStringField("name", format.name());
        out.writeFieldName("schema");
        Json.writeRaw(out, format.schema(), "the response format's JSON schema");
        out.writeBooleanField("strict", format.strict());
        out.writeEndObject();
        out.writeEndObject();
    }
  }

  /** An effort level; a token budget maps to the nearest level. */
  static String effort(ReasoningConfig reasoning) {
    if (reasoning.effort() != null) {
      return reasoning.effort().name().toLowerCase(Locale.ROOT);
    }
    int budget = reasoning.budgetTokens();
    if (budget == 0) {
      return "minimal";
    }
    return budget <= 2048 ? "low" : budget <= 12_288 ? "medium" : "high";
  }
}
