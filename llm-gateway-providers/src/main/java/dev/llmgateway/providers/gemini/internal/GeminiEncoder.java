package dev.llmgateway.providers.gemini.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.Message;
import dev.llmgateway.ReasoningConfig;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.Role;
import dev.llmgateway.ToolCall;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.providers.gemini.GeminiProvider;
import dev.llmgateway.providers.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes canonical requests as Gemini {@code GenerateContentRequest} and {@code
 * BatchEmbedContentsRequest} bodies with a streaming generator (no JSON tree).
 *
 * <p>System messages become {@code systemInstruction}; user and tool messages {@code user} turns,
 * consecutive tool results one turn of {@code functionResponse} parts (their {@code name} looked up
 * from the call they answer); assistant messages {@code model} turns. Thought signatures go back on
 * the part that carried them: a {@link ContentPart.Reasoning} with text is a {@code thought: true}
 * part with its signature; one with only a signature is a marker for the text part after it; a
 * {@link ToolCall}'s signature goes on its {@code functionCall} part (see {@code GeminiDecoder}).
 * Only Gemini's own signed parts are sent ({@link ContentPart.Reasoning#sendableTo}): reasoning
 * without a signature, redacted reasoning and parts another wire format produced are not.
 * Thread-safe.
 */
public final class GeminiEncoder {
  /**
   * Thinking budgets for effort levels: valid for every Gemini 2.5 model (Flash-Lite's minimum is
   * 512).
   */
  static final int MINIMAL_BUDGET = 512;
  static final int LOW_BUDGET = 1024;
  static final int MEDIUM_BUDGET = 8192;
  static final int HIGH_BUDGET = 24_576;

  /** Inlines an image given by URL, or returns null to send the URL as {@code fileData}. */
  @FunctionalInterface
  public interface ImageUrls {
    /** The image's bytes and media type, or null to let Gemini fetch the URL itself. */
    @Nullable Inline inline(String url);
  }

  /**
   * Bytes to send as {@code inlineData}.
   *
   * @param mediaType the media type
   * @param data the bytes
   */
  public record Inline(String mediaType, byte[] data) {}

  private GeminiEncoder() {}

  /**
   * The body of a {@code generateContent} or {@code streamGenerateContent} request.
   *
   * @param extras the provider's raw JSON extras for this request (top-level fields that replace
   *     ours), or null
   * @throws IllegalArgumentException when raw JSON in the request does not parse, or a tool result
   *     answers no earlier tool call
   */
  public static byte[] chat(ChatRequest r, @Nullable String extras, ImageUrls images) {
    ByteArrayBuilder bytes = Json.buffer();
    try (JsonGenerator out = Json.FACTORY.createGenerator(bytes)) {
      Set<String> skip = extras == null ? Set.of() : Json.fieldNames(extras);
      out.writeStartObject();
      if (!skip.contains("systemInstruction")) {
        systemInstruction(out, r.messages());
      }
      if (!skip.contains("contents")) {
        contents(out, r.messages(), images);
      }
      if (!r.tools().isEmpty() && !skip.contains("tools")) {
        out.writeArrayFieldStart("tools");
        out.writeStartObject();
        out.writeArrayFieldStart("functionDeclarations");
        for (ToolDefinition t : r.tools()) {
          out.writeStartObject();
          out.writeStringField("name", t.name());
          if (t.description() != null) {
            out.writeStringField("description", t.description());
          }
          out.writeFieldName("parametersJsonSchema");
          Json.writeRaw(out, t.parametersSchema(),
              "the parameters schema of tool '" + t.name() + "'");
          out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
        out.writeEndArray();
      }
      if (r.toolChoice() != null && !skip.contains("toolConfig")) {
        toolConfig(out, r.toolChoice());
      }
      if (!skip.contains("generationConfig")) {
        generationConfig(out, r);
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
   * The body of a {@code batchEmbedContents} request: one {@code EmbedContentRequest} per input,
   * in order, the extras merged into each.
   */
  public static byte[] embeddings(EmbeddingRequest r, String model, @Nullable String extras) {
    ByteArrayBuilder bytes = Json.buffer();
    try (JsonGenerator out = Json.FACTORY.createGenerator(bytes)) {
      Set<String> skip = extras == null ? Set.of() : Json.fieldNames(extras);
      String name = model.startsWith("models/") ? model : "models/" + model;
      out.writeStartObject();
      out.writeArrayFieldStart("requests");
      for (String input : r.inputs()) {
        out.writeStartObject();
        if (!skip.contains("model")) {
          out.writeStringField("model", name);
        }
        if (!skip.contains("content")) {
          out.writeObjectFieldStart("content");
          out.writeArrayFieldStart("parts");
          out.writeStartObject();
          out.writeStringField("text", input);
          out.writeEndObject();
          out.writeEndArray();
          out.writeEndObject();
        }
        if (r.dimensions() != null && !skip.contains("outputDimensionality")) {
          out.writeNumberField("outputDimensionality", r.dimensions());
        }
        if (extras != null) {
          Json.writeFields(out, extras);
        }
        out.writeEndObject();
      }
      out.writeEndArray();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Json.bytes(bytes);
  }

  private static void systemInstruction(JsonGenerator out, List<Message> messages)
      throws IOException {
    boolean open = false;
    for (Message m : messages) {
      if (m.role() != Role.SYSTEM) {
        continue;
      }
      if (!open) {
        out.writeObjectFieldStart("systemInstruction");
        out.writeArrayFieldStart("parts");
        open = true;
      }
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.Text t) {
          out.writeStartObject();
          out.writeStringField("text", t.text());
          out.writeEndObject();
        }
      }
    }
    if (open) {
      out.writeEndArray();
      out.writeEndObject();
    }
  }

  private static void contents(JsonGenerator out, List<Message> messages, ImageUrls images)
      throws IOException {
    out.writeArrayFieldStart("contents");
    boolean toolTurnOpen = false;
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (m.role() == Role.SYSTEM) {
        continue;
      }
      if (m.role() == Role.TOOL) {
        if (!toolTurnOpen) {
          out.writeStartObject();
          out.writeStringField("role", "user");
          out.writeArrayFieldStart("parts");
          toolTurnOpen = true;
        }
        functionResponse(out, m, toolName(messages, i));
        continue;
      }
      if (toolTurnOpen) {
        out.writeEndArray();
        out.writeEndObject();
        toolTurnOpen = false;
      }
      out.writeStartObject();
      out.writeStringField("role", m.role() == Role.ASSISTANT ? "model" : "user");
      out.writeArrayFieldStart("parts");
      if (m.role() == Role.ASSISTANT) {
        modelParts(out, m);
      } else {
        userParts(out, m.content(), images);
      }
      out.writeEndArray();
      out.writeEndObject();
    }
    if (toolTurnOpen) {
      out.writeEndArray();
      out.writeEndObject();
    }
    out.writeEndArray();
  }

  /** The name of the tool whose call (before message {@code index}) the tool message answers. */
  private static String toolName(List<Message> messages, int index) {
    String id = messages.get(index).toolCallId();
    for (int i = index - 1; i >= 0; i--) {
      for (ToolCall call : messages.get(i).toolCalls()) {
        if (call.id().equals(id)) {
          return call.name();
        }
      }
    }
    throw new IllegalArgumentException("the tool result for call '" + id + "' answers no earlier "
        + "tool call in the conversation; Gemini needs the called function's name");
  }

  private static void functionResponse(JsonGenerator out, Message m, String name)
      throws IOException {
    out.writeStartObject();
    out.writeObjectFieldStart("functionResponse");
    String id = m.toolCallId();
    if (id != null && !GeminiToolIds.isGenerated(id)) {
      out.writeStringField("id", id);
    }
    out.writeStringField("name", name);
    out.writeFieldName("response");
    String text = m.text();
    if (isJsonObject(text)) {
      Json.writeRaw(out, text, "the tool result for call '" + id + "'");
    } else {
      out.writeStartObject();
      out.writeStringField("result", text);
      out.writeEndObject();
    }
    out.writeEndObject();
    out.writeEndObject();
  }

  /** Whether the text is exactly one JSON object. */
  static boolean isJsonObject(String text) {
    String s = text.strip();
    if (s.isEmpty() || s.charAt(0) != '{') {
      return false;
    }
    try (JsonParser parser = Json.FACTORY.createParser(s)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException notJson) {
      return false;
    }
  }

  private static void userParts(JsonGenerator out, List<ContentPart> parts, ImageUrls images)
      throws IOException {
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Text t) {
        out.writeStartObject();
        out.writeStringField("text", t.text());
        out.writeEndObject();
      } else if (part instanceof ContentPart.Image image) {
        String url = image.url();
        if (url == null) {
          inlineData(out, image.mediaType(), image.data());
        } else if (url.startsWith("data:")) {
          dataUrl(out, url);
        } else {
          Inline inline = images.inline(url);
          if (inline != null) {
            inlineData(out, inline.mediaType(), inline.data());
          } else {
            out.writeStartObject();
            out.writeObjectFieldStart("fileData");
            String type = imageType(url);
            if (type != null) {
              out.writeStringField("mimeType", type);
            }
            out.writeStringField("fileUri", url);
            out.writeEndObject();
            out.writeEndObject();
          }
        }
      } else if (part instanceof ContentPart.Document doc) {
        inlineData(out, doc.mediaType(), doc.data());
      }
      // reasoning in a user message is not the model's own: nothing to send back
    }
  }

  private static void inlineData(JsonGenerator out, @Nullable String mediaType,
      byte @Nullable [] data) throws IOException {
    out.writeStartObject();
    out.writeObjectFieldStart("inlineData");
    out.writeStringField("mimeType", mediaType);
    out.writeFieldName("data");
    out.writeBinary(data == null ? new byte[0] : data);
    out.writeEndObject();
    out.writeEndObject();
  }

  /** A {@code data:<type>;base64,<data>} URL as {@code inlineData}. */
  private static void dataUrl(JsonGenerator out, String url) throws IOException {
    int comma = url.indexOf(',');
    String meta = comma < 0 ? "" : url.substring(5, comma);
    if (comma < 0 || !meta.endsWith(";base64")) {
      throw new IllegalArgumentException(
          "an image data URL must be base64 ('data:<type>;base64,...')");
    }
    out.writeStartObject();
    out.writeObjectFieldStart("inlineData");
    out.writeStringField("mimeType", meta.substring(0, meta.length() - 7));
    out.writeStringField("data", url.substring(comma + 1));
    out.writeEndObject();
    out.writeEndObject();
  }

  /** The image media type a URL's extension names, or null. */
  static @Nullable String imageType(String url) {
    String path = url;
    int cut = path.indexOf('?');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    cut = path.indexOf('#');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".png")) {
      return "image/png";
    }
    if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    if (lower.endsWith(".webp")) {
      return "image/webp";
    }
    if (lower.endsWith(".gif")) {
      return "image/gif";
    }
    if (lower.endsWith(".heic")) {
      return "image/heic";
    }
    if (lower.endsWith(".heif")) {
      return "image/heif";
    }
    return null;
  }

  /**
   * A model turn: content parts in order, each signature-only reasoning part put on the text part
   * right after it as {@code thoughtSignature} (or on an empty text part of its own when none
   * follows), then the function calls, each with its own signature. Only Gemini's signed parts go
   * back: reasoning of another format, unsigned or redacted reasoning, and another format's
   * signatures on calls are left out.
   */
  private static void modelParts(JsonGenerator out, Message m) throws IOException {
    String pending = null; // a signature for the text part that follows
    for (ContentPart part : m.content()) {
      if (part instanceof ContentPart.Reasoning r) {
        if (r.signature() == null || r.redactedData() != null
            || !r.sendableTo(GeminiProvider.FORMAT)) {
          continue;
        }
        signedEmptyText(out, pending);
        pending = null;
        if (r.text() == null) {
          pending = r.signature();
          continue;
        }
        out.writeStartObject();
        out.writeStringField("text", r.text());
        out.writeBooleanField("thought", true);
        out.writeStringField("thoughtSignature", r.signature());
        out.writeEndObject();
      } else if (part instanceof ContentPart.Text t) {
        if (t.text().isEmpty() && pending == null) {
          continue;
        }
        out.writeStartObject();
        out.writeStringField("text", t.text());
        if (pending != null) {
          out.writeStringField("thoughtSignature", pending);
          pending = null;
        }
        out.writeEndObject();
      }
    }
    signedEmptyText(out, pending); // a signature that ended a stream on its own
    for (ToolCall call : m.toolCalls()) {
      out.writeStartObject();
      out.writeObjectFieldStart("functionCall");
      if (!GeminiToolIds.isGenerated(call.id()) && !call.id().isEmpty()) {
        out.writeStringField("id", call.id());
      }
      out.writeStringField("name", call.name());
      out.writeFieldName("args");
      String args = call.arguments().isBlank() ? "{}" : call.arguments();
      Json.writeRaw(out, args, "the arguments of tool call '" + call.id() + "'");
      out.writeEndObject();
      if (call.signatureSendableTo(GeminiProvider.FORMAT)) {
        out.writeStringField("thoughtSignature", call.signature());
      }
      out.writeEndObject();
    }
  }

  private static void signedEmptyText(JsonGenerator out, @Nullable String signature)
      throws IOException {
    if (signature != null) {
      out.writeStartObject();
      out.writeStringField("text", "");
      out.writeStringField("thoughtSignature", signature);
      out.writeEndObject();
    }
  }

  private static void toolConfig(JsonGenerator out, ToolChoice choice) throws IOException {
    out.writeObjectFieldStart("toolConfig");
    out.writeObjectFieldStart("functionCallingConfig");
    switch (choice.mode()) {
      case AUTO:
        out.writeStringField("mode", "AUTO");
        break;
      case NONE:
        out.writeStringField("mode", "NONE");
        break;
      case REQUIRED:
        out.writeStringField("mode", "ANY");
        break;
      default:
        out.writeStringField("mode", "ANY");
        out.writeArrayFieldStart("allowedFunctionNames");
        out.writeString(choice.toolName());
        out.writeEndArray();
    }
    out.writeEndObject();
    out.writeEndObject();
  }

  private static void generationConfig(JsonGenerator out, ChatRequest r) throws IOException {
    ResponseFormat format = r.responseFormat();
    boolean json = format != null && format.type() != ResponseFormat.Type.TEXT;
    if (r.stop().isEmpty() && r.maxOutputTokens() == null && r.temperature() == null
        && r.topP() == null && r.seed() == null && !json && r.reasoning() == null) {
      return;
    }
    out.writeObjectFieldStart("generationConfig");
    if (!r.stop().isEmpty()) {
      out.writeArrayFieldStart("stopSequences");
      for (String s : r.stop()) {
        out.writeString(s);
      }
      out.writeEndArray();
    }
    if (r.maxOutputTokens() != null) {
      out.writeNumberField("maxOutputTokens", r.maxOutputTokens());
    }
    if (r.temperature() != null) {
      out.writeNumberField("temperature", r.temperature());
    }
    if (r.topP() != null) {
      out.writeNumberField("topP", r.topP());
    }
    if (r.seed() != null) {
      long seed = r.seed();
      if (seed < Integer.MIN_VALUE || seed > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("Gemini takes a 32-bit seed, was " + seed);
      }
      out.writeNumberField("seed", (int) seed);
    }
    if (json) {
      out.writeStringField("responseMimeType", "application/json");
      if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
        out.writeFieldName("responseJsonSchema");
        Json.writeRaw(out, format.schema(), "the response format's JSON schema");
      }
    }
    if (r.reasoning() != null) {
      int budget = budget(r.reasoning());
      out.writeObjectFieldStart("thinkingConfig");
      out.writeBooleanField("includeThoughts", budget != 0);
      out.writeNumberField("thinkingBudget", budget);
      out.writeEndObject();
    }
    out.writeEndObject();
  }

  /** A thinking budget; an effort maps to a fixed budget (see the constants). */
  static int budget(ReasoningConfig reasoning) {
    if (reasoning.budgetTokens() != null) {
      return reasoning.budgetTokens();
    }
    switch (reasoning.effort()) {
      case MINIMAL:
        return MINIMAL_BUDGET;
      case LOW:
        return LOW_BUDGET;
      case MEDIUM:
        return MEDIUM_BUDGET;
      default:
        return HIGH_BUDGET;
    }
  }
}
