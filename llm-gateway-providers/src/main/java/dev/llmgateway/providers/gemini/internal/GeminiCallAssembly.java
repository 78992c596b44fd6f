package dev.llmgateway.providers.gemini.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.llmgateway.ErrorDetails;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.providers.internal.Bounded;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One function call whose arguments a stream sends in pieces (Vertex AI's streamed function-call
 * arguments): the part that opens it names the function (with its {@code id}, {@code
 * thoughtSignature}, maybe whole {@code args}) and says {@code willContinue: true}; later {@code
 * functionCall} parts without a name add {@code partialArgs}, each a value (string, number,
 * boolean, null) at a JSON path (RFC 9535, e.g. {@code $.location} or {@code $.stops[1]['city
 * name']}); a string value whose {@code willContinue} is true continues in the next piece for the
 * same path; the part whose {@code willContinue} is not true closes the call (often an empty
 * {@code functionCall: {}}).
 *
 * <p>What a hostile stream can make it hold is bounded: every piece counts its path and value
 * against {@code maxChars} (the provider's {@code maxResponseBytes}), and so does every {@code null}
 * an array index past the end fills in, before it is filled; over it, the answer fails with a
 * {@link dev.llmgateway.ResponseTooLargeException}. A path deeper than {@link #MAX_DEPTH} levels, in
 * a form this reader does not take (wildcards, filters, slices, negative indices), or that
 * contradicts what the arguments already hold (an index into an object) fails as a {@link
 * ProviderUnavailableException}; neither message quotes the path. Not thread-safe.
 */
final class GeminiCallAssembly {
  /** The deepest argument path read: far below Jackson's own nesting limit of 1,000. */
  static final int MAX_DEPTH = 64;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final @Nullable String id;
  private final String name;
  private @Nullable String signature;
  private final ObjectNode args = NODES.objectNode();
  private final Set<String> continuing = new HashSet<>(2);
  private final Budget budget;

  /** How many characters the answer's assembled arguments may take, shared by its calls. */
  static final class Budget {
    private final long maxChars;
    private final ErrorDetails details;
    private long used;

    /**
     * A budget of {@code maxChars} characters.
     *
     * @param details for the error of an overrun, and of a piece that cannot be placed
     */
    Budget(long maxChars, ErrorDetails details) {
      this.maxChars = maxChars;
      this.details = details;
    }

    void take(long chars) {
      used += chars;
      if (used > maxChars) {
        throw Bounded.streamTooLarge(maxChars, details);
      }
    }
  }

  /** A call opened by a part naming the function. */
  GeminiCallAssembly(@Nullable String id, String name, @Nullable String signature,
      Budget budget) {
    this.id = id;
    this.name = name;
    this.signature = signature;
    this.budget = budget;
  }

  @Nullable String id() {
    return id;
  }

  String name() {
    return name;
  }

  @Nullable String signature() {
    return signature;
  }

  /** The arguments assembled so far, as JSON text. */
  String arguments() {
    return args.toString();
  }

  /**
   * Whether a {@code functionCall} part continues this call rather than starting another: it names
   * no function or this one, and no other id.
   */
  boolean continuedBy(GeminiDtos.FunctionCall f) {
    return (f.name() == null || f.name().isEmpty() || f.name().equals(name))
        && (f.id() == null || f.id().isEmpty() || f.id().equals(id));
  }

  /** Adds what one part of the call carries: a signature, whole arguments, partial arguments. */
  void add(GeminiDtos.FunctionCall f, @Nullable String partSignature) {
    if (signature == null) {
      signature = partSignature;
    }
    if (f.args() != null && f.args().isObject()) {
      for (Map.Entry<String, JsonNode> field : f.args().properties()) {
        budget.take(field.getKey().length() + field.getValue().toString().length() + 4L);
        args.set(field.getKey(), field.getValue());
      }
    }
    if (f.partialArgs() != null) {
      for (GeminiDtos.PartialArg a : f.partialArgs()) {
        put(a);
      }
    }
  }

  private void put(GeminiDtos.PartialArg a) {
    String path = a.jsonPath();
    if (path == null) {
      throw unreadable("a streamed function-call argument has no jsonPath");
    }
    JsonNode value = value(a);
    budget.take(path.length() + (value.isTextual() ? value.textValue().length()
        : value.toString().length()));
    List<Object> segments = segments(path);
    JsonNode parent = args;
    for (int i = 0; i < segments.size() - 1; i++) {
      parent = child(parent, segments.get(i), segments.get(i + 1) instanceof Integer);
    }
    Object last = segments.get(segments.size() - 1);
    JsonNode old = get(parent, last);
    if (value.isTextual() && continuing.contains(path) && old != null && old.isTextual()) {
      value = TextNode.valueOf(old.textValue() + value.textValue());
    }
    set(parent, last, value);
    if (a.willContinue()) {
      continuing.add(path);
    } else {
      continuing.remove(path);
    }
  }

  private JsonNode value(GeminiDtos.PartialArg a) {
    if (a.stringValue() != null) {
      return TextNode.valueOf(a.stringValue());
    }
    if (a.numberValue() != null && a.numberValue().isNumber()) {
      return a.numberValue();
    }
    if (a.boolValue() != null) {
      return NODES.booleanNode(a.boolValue());
    }
    if (a.nullValue() != null) {
      return NODES.nullNode();
    }
    throw unreadable("a streamed function-call argument has no value");
  }

  /** The container at {@code segment} of {@code parent}, made when missing. */
  private JsonNode child(JsonNode parent, Object segment, boolean array) {
    JsonNode existing = get(parent, segment);
    if (existing != null && !existing.isNull()) {
      if (array ? !existing.isArray() : !existing.isObject()) {
        throw unreadable("a streamed function-call argument's path contradicts the arguments "
            + "already received");
      }
      return existing;
    }
    JsonNode made = array ? NODES.arrayNode() : NODES.objectNode();
    set(parent, segment, made);
    return made;
  }

  private static @Nullable JsonNode get(JsonNode parent, Object segment) {
    if (segment instanceof Integer index) {
      return index < parent.size() ? parent.get(index) : null;
    }
    return parent.get((String) segment);
  }

  private void set(JsonNode parent, Object segment, JsonNode value) {
    if (segment instanceof String field) {
      if (!parent.isObject()) {
        throw unreadable("a streamed function-call argument's path contradicts the arguments "
            + "already received");
      }
      ((ObjectNode) parent).set(field, value);
      return;
    }
    if (!parent.isArray()) {
      throw unreadable("a streamed function-call argument's path contradicts the arguments "
          + "already received");
    }
    ArrayNode array = (ArrayNode) parent;
    int index = (Integer) segment;
    if (index < array.size()) {
      array.set(index, value);
      return;
    }
    budget.take(5L * (index - array.size())); // the nulls filled in, counted before filling
    while (array.size() < index) {
      array.addNull();
    }
    array.add(value);
  }

  /**
   * The segments of a path: field names ({@code .name}, {@code ['name']}, {@code ["name"]}) and
   * array indices ({@code [0]}), at least one, at most {@link #MAX_DEPTH}.
   */
  List<Object> segments(String path) {
    if (!path.startsWith("$")) {
      throw unreadablePath();
    }
    List<Object> segments = new ArrayList<>(4);
    int i = 1;
    int n = path.length();
    while (i < n) {
      if (segments.size() == MAX_DEPTH) {
        throw unreadable("a streamed function-call argument's path is deeper than " + MAX_DEPTH
            + " levels");
      }
      char c = path.charAt(i);
      if (c == '.') {
        int start = ++i;
        while (i < n && path.charAt(i) != '.' && path.charAt(i) != '[') {
          i++;
        }
        String field = path.substring(start, i);
        if (field.isEmpty() || field.equals("*")) {
          throw unreadablePath();
        }
        segments.add(field);
      } else if (c == '[' && i + 1 < n && (path.charAt(i + 1) == '\''
          || path.charAt(i + 1) == '"')) {
        i = quoted(path, i + 1, segments);
      } else if (c == '[') {
        int start = ++i;
        while (i < n && Character.isDigit(path.charAt(i))) {
          i++;
        }
        if (i == start || i - start > 9 || i >= n || path.charAt(i) != ']'
            || (path.charAt(start) == '0' && i - start > 1)) {
          throw unreadablePath();
        }
        segments.add(Integer.parseInt(path.substring(start, i)));
        i++;
      } else {
        throw unreadablePath();
      }
    }
    if (segments.isEmpty() || !(segments.get(0) instanceof String)) {
      throw unreadablePath(); // the arguments are an object: the first step names a field
    }
    return segments;
  }

  /** Reads a quoted name starting at {@code quote}; returns the index after its {@code ]}. */
  private int quoted(String path, int quote, List<Object> segments) {
    char q = path.charAt(quote);
    StringBuilder name = new StringBuilder();
    int i = quote + 1;
    int n = path.length();
    while (i < n && path.charAt(i) != q) {
      char c = path.charAt(i);
      if (c == '\\' && i + 1 < n) {
        char e = path.charAt(++i);
        switch (e) {
          case 'b' -> name.append('\b');
          case 'f' -> name.append('\f');
          case 'n' -> name.append('\n');
          case 'r' -> name.append('\r');
          case 't' -> name.append('\t');
          case 'u' -> {
            if (i + 4 >= n) {
              throw unreadablePath();
            }
            try {
              name.append((char) Integer.parseInt(path.substring(i + 1, i + 5), 16));
            } catch (NumberFormatException notHex) {
              throw unreadablePath();
            }
            i += 4;
          }
          default -> name.append(e); // \' \" \\ \/
        }
      } else {
        name.append(c);
      }
      i++;
    }
    if (i + 1 >= n || path.charAt(i + 1) != ']') {
      throw unreadablePath();
    }
    segments.add(name.toString());
    return i + 2;
  }

  private ProviderUnavailableException unreadablePath() {
    return unreadable("a streamed function-call argument's path is not a plain path of names "
        + "and indices");
  }

  private ProviderUnavailableException unreadable(String what) {
    return new ProviderUnavailableException(what, budget.details, null);
  }

  @Override
  public String toString() {
    return "GeminiCallAssembly[name=" + name + ", id=" + Objects.toString(id) + "]";
  }
}
