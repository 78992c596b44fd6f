package dev.llmgateway.testing.internal.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A function call as Vertex AI streams it when a request asks for streamed arguments ({@code
 * toolConfig.functionCallingConfig.streamFunctionCallArguments: true}): a part naming the function
 * (with its id and signature) and saying {@code willContinue: true}; one part per argument value,
 * each a {@code partialArgs} entry at its JSON path (strings split into pieces that say {@code
 * willContinue: true} but the last); then an empty {@code functionCall} that ends it. Fields whose
 * value holds an empty object or array, which no piece can express, go whole into the first part's
 * {@code args}. Stateless.
 */
final class GeminiPieces {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private GeminiPieces() {}

  /** The parts of one call, each to be sent in a chunk of its own. */
  static List<ObjectNode> of(ToolCall call, int fragments) {
    JsonNode args;
    try {
      args = MAPPER.readTree(call.arguments());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the arguments of " + call.id() + " are not JSON", e);
    }
    List<ObjectNode> parts = new ArrayList<>();
    ObjectNode first = MAPPER.createObjectNode();
    ObjectNode open = first.putObject("functionCall");
    open.put("id", call.id());
    open.put("name", call.name());
    open.put("willContinue", true);
    if (call.signature() != null) {
      first.put("thoughtSignature", call.signature());
    }
    parts.add(first);
    for (Map.Entry<String, JsonNode> field : args.properties()) {
      if (holdsEmptyContainer(field.getValue())) {
        open.withObjectProperty("args").set(field.getKey(), field.getValue());
      } else {
        pieces(field.getValue(), "$" + step(field.getKey()), fragments, parts);
      }
    }
    parts.add(MAPPER.createObjectNode().set("functionCall", MAPPER.createObjectNode()));
    return parts;
  }

  private static void pieces(JsonNode value, String path, int fragments, List<ObjectNode> parts) {
    if (value.isObject()) {
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        pieces(field.getValue(), path + step(field.getKey()), fragments, parts);
      }
      return;
    }
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        pieces(value.get(i), path + "[" + i + "]", fragments, parts);
      }
      return;
    }
    if (!value.isTextual()) {
      ObjectNode arg = MAPPER.createObjectNode().put("jsonPath", path);
      if (value.isNumber()) {
        arg.set("numberValue", value);
      } else if (value.isBoolean()) {
        arg.put("boolValue", value.booleanValue());
      } else {
        arg.put("nullValue", "NULL_VALUE");
      }
      parts.add(piece(arg));
      return;
    }
    String text = value.textValue();
    int size = Math.max(1, (text.length() + fragments - 1) / fragments);
    for (int start = 0; start == 0 || start < text.length(); start += size) {
      int end = Math.min(text.length(), start + size);
      ObjectNode arg = MAPPER.createObjectNode().put("jsonPath", path)
          .put("stringValue", text.substring(start, end));
      if (end < text.length()) {
        arg.put("willContinue", true);
      }
      parts.add(piece(arg));
    }
  }

  private static ObjectNode piece(ObjectNode arg) {
    ObjectNode part = MAPPER.createObjectNode();
    ObjectNode f = part.putObject("functionCall");
    f.putArray("partialArgs").add(arg);
    f.put("willContinue", true);
    return part;
  }

  /** One step of a JSON path (RFC 9535): {@code .name}, or {@code ['name']} when it must be. */
  private static String step(String name) {
    boolean plain = !name.isEmpty() && (Character.isLetter(name.charAt(0))
        || name.charAt(0) == '_');
    for (int i = 0; plain && i < name.length(); i++) {
      char c = name.charAt(i);
      plain = Character.isLetterOrDigit(c) || c == '_';
    }
    return plain ? "." + name
        : "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
  }

  private static boolean holdsEmptyContainer(JsonNode value) {
    if (value.isContainerNode() && value.isEmpty()) {
      return true;
    }
    for (JsonNode child : value) {
      if (holdsEmptyContainer(child)) {
        return true;
      }
    }
    return false;
  }
}
