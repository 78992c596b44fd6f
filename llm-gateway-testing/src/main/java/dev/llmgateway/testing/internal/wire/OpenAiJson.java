package dev.llmgateway.testing.internal.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.ToolCall;
import dev.llmgateway.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The bodies of the OpenAI Chat Completions and Embeddings APIs, shaped after OpenAI's OpenAPI
 * spec (key order, {@code refusal}, {@code annotations}, {@code logprobs}, {@code usage} details,
 * {@code obfuscation}, {@code service_tier}) or, for Azure OpenAI, after Azure's references
 * (alphabetical keys, {@code prompt_filter_results} and per-choice {@code content_filter_results},
 * no {@code obfuscation} or {@code service_tier}). Thread-safe.
 */
final class OpenAiJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

  private final boolean azure;
  private final String fingerprint;

  OpenAiJson(boolean azure) {
    this.azure = azure;
    this.fingerprint = azure ? "fp_9ab7d013ff" : "fp_b3f1157249";
  }

  /**
   * What every chunk and body of one answer shares.
   *
   * @param id the completion's id
   * @param created its creation time, epoch seconds
   * @param model the model (or Azure deployment) to echo
   * @param includeUsage whether the request asked for usage in a last chunk of its own
   */
  record Meta(String id, long created, String model, boolean includeUsage) {
    static Meta of(String model, boolean includeUsage) {
      return new Meta("chatcmpl-" + random(29), System.currentTimeMillis() / 1000, model,
          includeUsage);
    }
  }

  // ---- unary bodies

  byte[] completion(Meta m, @Nullable String text, List<ToolCall> calls, String finishReason,
      Usage usage) {
    ObjectNode message = MAPPER.createObjectNode();
    message.put("role", "assistant");
    if (calls.isEmpty()) {
      message.put("content", text);
    } else {
      message.putNull("content");
      ArrayNode toolCalls = message.putArray("tool_calls");
      for (ToolCall call : calls) {
        ObjectNode c = toolCalls.addObject();
        c.put("id", call.id());
        c.put("type", "function");
        ObjectNode f = c.putObject("function");
        f.put("name", call.name());
        f.put("arguments", call.arguments());
      }
    }
    message.putNull("refusal");
    message.putArray("annotations");
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", m.id());
    n.put("object", "chat.completion");
    n.put("created", m.created());
    n.put("model", m.model());
    ObjectNode choice = n.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("message", message);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    if (azure) {
      choice.set("content_filter_results", completionFilterResults(calls.isEmpty()));
      n.set("prompt_filter_results", promptFilterResults());
    }
    n.set("usage", usage(usage));
    if (!azure) {
      n.put("service_tier", "default");
    }
    n.put("system_fingerprint", fingerprint);
    return bytes(n);
  }

  /**
   * An embeddings body: each vector a JSON array of numbers, or with {@code base64} its float32
   * values little-endian and base64-encoded, as the API answers {@code encoding_format: "base64"}.
   */
  byte[] embeddings(String model, List<float[]> vectors, long inputTokens, boolean base64) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("object", "list");
    ArrayNode data = n.putArray("data");
    for (int i = 0; i < vectors.size(); i++) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      float[] vector = vectors.get(i);
      if (base64) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
          bytes.putFloat(f);
        }
        item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
        continue;
      }
      ArrayNode embedding = item.putArray("embedding");
      for (float f : vector) {
        embedding.add(f);
      }
    }
    n.put("model", model);
    ObjectNode u = n.putObject("usage");
    u.put("prompt_tokens", inputTokens);
    u.put("total_tokens", inputTokens);
    return bytes(n);
  }

  // ---- stream events, each "data: {json}\n\n"

  /** Azure's first event: prompt annotations, empty id and model, no choices. */
  byte[] promptFilterEvent() {
    ObjectNode n = MAPPER.createObjectNode();
    n.putArray("choices");
    n.put("created", 0);
    n.put("id", "");
    n.put("model", "");
    n.put("object", "");
    n.set("prompt_filter_results", promptFilterResults());
    return event(n);
  }

  /** The first chunk of a text answer: the role, empty content. */
  byte[] roleEvent(Meta m) {
    ObjectNode delta = MAPPER.createObjectNode();
    delta.put("role", "assistant");
    delta.put("content", "");
    delta.putNull("refusal");
    return event(chunk(m, delta, null, false, null));
  }

  byte[] textEvent(Meta m, String text) {
    ObjectNode delta = MAPPER.createObjectNode();
    delta.put("content", text);
    return event(chunk(m, delta, null, true, null));
  }

  /** The first chunk of a tool call: its index, id, type and name; the first call also the role. */
  byte[] toolCallStartEvent(Meta m, int index, ToolCall call) {
    ObjectNode delta = MAPPER.createObjectNode();
    if (index == 0) {
      delta.put("role", "assistant");
      delta.putNull("content");
      delta.putNull("refusal");
    }
    ObjectNode c = delta.putArray("tool_calls").addObject();
    c.put("index", index);
    c.put("id", call.id());
    c.put("type", "function");
    ObjectNode f = c.putObject("function");
    f.put("name", call.name());
    f.put("arguments", "");
    return event(chunk(m, delta, null, false, null));
  }

  byte[] toolArgumentsEvent(Meta m, int index, String fragment) {
    ObjectNode delta = MAPPER.createObjectNode();
    ObjectNode c = delta.putArray("tool_calls").addObject();
    c.put("index", index);
    c.putObject("function").put("arguments", fragment);
    return event(chunk(m, delta, null, false, null));
  }

  /**
   * The chunk with the finish reason; it carries the usage itself when the request did not ask for
   * a usage chunk of its own (as Mistral and Ollama do).
   */
  byte[] finishEvent(Meta m, String finishReason, Usage usage) {
    return event(chunk(m, MAPPER.createObjectNode(), finishReason, false,
        m.includeUsage() ? null : usage));
  }

  /** The last chunk when the request asked {@code stream_options.include_usage}: no choices. */
  byte[] usageEvent(Meta m, Usage usage) {
    return event(chunk(m, null, null, false, usage));
  }

  /** An error object inside the stream. */
  byte[] errorEvent(ObjectNode error) {
    return event(error);
  }

  /** An error object inside the stream as an {@code event: error}, as Groq sends it. */
  byte[] namedErrorEvent(ObjectNode error) {
    byte[] data = event(error);
    byte[] name = "event: error\n".getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[name.length + data.length];
    System.arraycopy(name, 0, out, 0, name.length);
    System.arraycopy(data, 0, out, name.length, data.length);
    return out;
  }

  static byte[] doneEvent() {
    return DONE.clone();
  }

  // ---- errors

  /** OpenAI's error body: {@code {"error": {message, type, param, code}}}, all four keys. */
  byte[] openAiError(String message, @Nullable String type, @Nullable String param,
      @Nullable String code) {
    return bytesOf(openAiErrorNode(message, type, param, code));
  }

  ObjectNode openAiErrorNode(String message, @Nullable String type, @Nullable String param,
      @Nullable String code) {
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode e = n.putObject("error");
    e.put("message", message);
    e.put("type", type);
    e.put("param", param);
    e.put("code", code);
    return n;
  }

  /** Azure's own error body: {@code {"error": {code, message}}}. */
  static byte[] azureError(String code, String message) {
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode e = n.putObject("error");
    e.put("code", code);
    e.put("message", message);
    return bytesOf(n);
  }

  /** Azure's content-filter error: {@code content_filter} with {@code innererror}. */
  static byte[] azureContentFilterError() {
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode e = n.putObject("error");
    e.put("message", "The response was filtered due to the prompt triggering Azure OpenAI's "
        + "content management policy. Please modify your prompt and retry. To learn more about our "
        + "content filtering policies please read our documentation: "
        + "https://go.microsoft.com/fwlink/?linkid=2198766");
    e.putNull("type");
    e.put("param", "prompt");
    e.put("code", "content_filter");
    e.put("status", 400);
    ObjectNode inner = e.putObject("innererror");
    inner.put("code", "ResponsibleAIPolicyViolation");
    ObjectNode result = inner.putObject("content_filter_result");
    severity(result, "hate", false, "safe");
    detected(result, "jailbreak", false);
    severity(result, "self_harm", false, "safe");
    severity(result, "sexual", false, "safe");
    severity(result, "violence", true, "medium");
    return bytesOf(n);
  }

  // ---- parts

  private ObjectNode chunk(Meta m, @Nullable ObjectNode delta, @Nullable String finishReason,
      boolean filtered, @Nullable Usage usage) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", m.id());
    n.put("object", "chat.completion.chunk");
    n.put("created", m.created());
    n.put("model", m.model());
    if (!azure) {
      n.put("service_tier", "default");
    }
    n.put("system_fingerprint", fingerprint);
    ArrayNode choices = n.putArray("choices");
    if (delta != null) {
      ObjectNode choice = choices.addObject();
      choice.put("index", 0);
      choice.set("delta", delta);
      choice.putNull("logprobs");
      choice.put("finish_reason", finishReason);
      if (azure) {
        choice.set("content_filter_results",
            filtered ? chunkFilterResults() : MAPPER.createObjectNode());
      }
    }
    if (usage != null) {
      n.set("usage", usage(usage));
    } else if (m.includeUsage() && !azure) {
      // "All other chunks will also include a usage field, but with a null value"
      n.putNull("usage");
    }
    if (!azure) {
      n.put("obfuscation", finishReason != null ? "" : random(1 + ThreadLocalRandom.current()
          .nextInt(8)));
    }
    return n;
  }

  private ObjectNode usage(Usage u) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("prompt_tokens", u.inputTokens());
    n.put("completion_tokens", u.outputTokens());
    n.put("total_tokens", u.totalTokens());
    ObjectNode prompt = n.putObject("prompt_tokens_details");
    prompt.put("cached_tokens", u.cachedInputTokens());
    prompt.put("audio_tokens", 0);
    if (u.cacheWriteTokens() > 0) {
      prompt.put("cache_write_tokens", u.cacheWriteTokens());
    }
    ObjectNode completion = n.putObject("completion_tokens_details");
    completion.put("reasoning_tokens", u.reasoningTokens());
    completion.put("audio_tokens", 0);
    completion.put("accepted_prediction_tokens", 0);
    completion.put("rejected_prediction_tokens", 0);
    return n;
  }

  private static ArrayNode promptFilterResults() {
    ArrayNode results = MAPPER.createArrayNode();
    ObjectNode r = results.addObject();
    r.put("prompt_index", 0);
    ObjectNode c = r.putObject("content_filter_results");
    severity(c, "hate", false, "safe");
    detected(c, "jailbreak", false);
    severity(c, "self_harm", false, "safe");
    severity(c, "sexual", false, "safe");
    severity(c, "violence", false, "safe");
    return results;
  }

  private static ObjectNode completionFilterResults(boolean text) {
    ObjectNode c = MAPPER.createObjectNode();
    if (!text) {
      return c;
    }
    severity(c, "hate", false, "safe");
    detected(c, "protected_material_code", false);
    detected(c, "protected_material_text", false);
    severity(c, "self_harm", false, "safe");
    severity(c, "sexual", false, "safe");
    severity(c, "violence", false, "safe");
    return c;
  }

  private static ObjectNode chunkFilterResults() {
    ObjectNode c = MAPPER.createObjectNode();
    severity(c, "hate", false, "safe");
    severity(c, "self_harm", false, "safe");
    severity(c, "sexual", false, "safe");
    severity(c, "violence", false, "safe");
    return c;
  }

  private static void severity(ObjectNode parent, String name, boolean filtered, String level) {
    ObjectNode c = parent.putObject(name);
    c.put("filtered", filtered);
    c.put("severity", level);
  }

  private static void detected(ObjectNode parent, String name, boolean detected) {
    ObjectNode c = parent.putObject(name);
    c.put("filtered", detected);
    c.put("detected", detected);
  }

  private byte[] event(ObjectNode n) {
    byte[] json = bytes(n);
    byte[] out = new byte[json.length + 8];
    System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, out, 0, 6);
    System.arraycopy(json, 0, out, 6, json.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }

  private byte[] bytes(ObjectNode n) {
    return bytesOf(azure ? sorted(n) : n);
  }

  static byte[] bytesOf(JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a mock body", e);
    }
  }

  /**
   * Azure's bodies list keys alphabetically, except inside a prompt's annotations ({@code
   * prompt_index} first), as the captured bodies show.
   */
  private static JsonNode sorted(JsonNode node) {
    if (node.isArray()) {
      ArrayNode out = MAPPER.createArrayNode();
      node.forEach(e -> out.add(sorted(e)));
      return out;
    }
    if (!node.isObject()) {
      return node;
    }
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    if (!node.has("prompt_index")) {
      names.sort(null);
    }
    ObjectNode out = MAPPER.createObjectNode();
    for (String name : names) {
      out.set(name, sorted(node.get(name)));
    }
    return out;
  }

  static String random(int length) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHANUMERIC.charAt(r.nextInt(ALPHANUMERIC.length())));
    }
    return sb.toString();
  }

  static String hex(int length) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(Character.forDigit(r.nextInt(16), 16));
    }
    return sb.toString();
  }

  /**
   * OpenAI's moderation categories in the order its reference example lists them
   * (https://platform.openai.com/docs/api-reference/moderations/object).
   */
  static final List<String> MODERATION_CATEGORIES = List.of("harassment",
      "harassment/threatening", "sexual", "hate", "hate/threatening", "illicit", "illicit/violent",
      "self-harm/intent", "self-harm/instructions", "self-harm", "sexual/minors", "violence",
      "violence/graphic");

  /**
   * A moderation answer in the shape of https://platform.openai.com/docs/api-reference/moderations/object:
   * {@code id}, {@code model} and one result per input with {@code flagged}, every category in
   * {@code categories}, {@code category_scores} (0.9731 for a flagged category, 0.0002 else) and
   * {@code category_applied_input_types} ({@code ["text"]}, the inputs being text); a flagged
   * category the reference does not list is added after the listed ones.
   */
  byte[] moderation(String model, List<Set<String>> flaggedPerInput) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", "modr-" + hex(32));
    n.put("model", model);
    ArrayNode results = n.putArray("results");
    for (Set<String> flagged : flaggedPerInput) {
      List<String> categories = new ArrayList<>(MODERATION_CATEGORIES);
      for (String extra : flagged) {
        if (!categories.contains(extra)) {
          categories.add(extra);
        }
      }
      ObjectNode r = results.addObject();
      r.put("flagged", !flagged.isEmpty());
      ObjectNode on = r.putObject("categories");
      ObjectNode scores = r.putObject("category_scores");
      ObjectNode types = r.putObject("category_applied_input_types");
      for (String c : categories) {
        on.put(c, flagged.contains(c));
        scores.put(c, flagged.contains(c) ? 0.9731 : 0.0002);
        types.putArray(c).add("text");
      }
    }
    return bytesOf(n);
  }
}
