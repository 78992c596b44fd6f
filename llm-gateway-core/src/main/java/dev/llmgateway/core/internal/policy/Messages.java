package dev.llmgateway.core.internal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InvalidSchemaException;
import com.networknt.schema.SchemaException;
import com.networknt.schema.path.NodePath;
import dev.llmgateway.core.internal.policy.SchemaCheck.Violation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The schema check's words: each violation written from the schema's side — the keyword's value
 * in the schema, never the validator's message, which quotes the answer (an extra property's name,
 * a discriminator's value) — and each path showing only names the schema gives. Stateless.
 */
final class Messages {
  /** The longest piece of schema quoted in a message (an enum, a pattern). */
  private static final int MAX_QUOTE = 200;
  private static final int MAX_KEYWORD = 64;
  private static final int MAX_NAMES = 10_000;

  private Messages() {}

  /**
   * The violation one validator error stands for.
   *
   * @param root the schema's root, where a draft 4 {@code maximum} finds its boolean {@code
   *     exclusiveMaximum}
   * @param names every name the schema gives
   */
  static Violation violation(Error error, JsonNode root, Set<String> names) {
    String keyword = bounded(String.valueOf(error.getKeyword()), MAX_KEYWORD);
    String message;
    if (keyword.equals("maximum") && exclusive(error, root, "exclusiveMaximum")) {
      message = "must be less than " + number(error.getSchemaNode());
    } else if (keyword.equals("minimum") && exclusive(error, root, "exclusiveMinimum")) {
      message = "must be greater than " + number(error.getSchemaNode());
    } else {
      message = describe(keyword, error.getSchemaNode(), error.getProperty(), names);
    }
    return new Violation(path(error.getInstanceLocation(), names), keyword, message);
  }

  /**
   * Whether the schema holding the failed keyword has {@code exclusive: true} beside it (draft 4's
   * boolean form, which networknt reports under the {@code maximum} or {@code minimum} keyword).
   */
  private static boolean exclusive(Error error, JsonNode root, String exclusive) {
    if (error.getSchemaLocation() == null || error.getSchemaLocation().getFragment() == null) {
      return false;
    }
    NodePath fragment = error.getSchemaLocation().getFragment();
    JsonNode node = root;
    for (int i = 0; i < fragment.getNameCount() - 1 && node != null; i++) {
      Object element = fragment.getElement(i);
      node = element instanceof Integer index ? node.get(index) : node.get(String.valueOf(element));
    }
    return node != null && node.path(exclusive).asBoolean(false);
  }

  /** A JSON path of the answer with only schema-given names: {@code $.items[2].?}. */
  static String path(NodePath location, Set<String> names) {
    StringBuilder sb = new StringBuilder("$");
    if (location == null) {
      return sb.toString();
    }
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        sb.append('[').append(index).append(']');
      } else {
        String name = String.valueOf(element);
        sb.append('.').append(names.contains(name) ? name : "?");
      }
    }
    return sb.toString();
  }

  private static String describe(String keyword, JsonNode schema, String property,
      Set<String> names) {
    switch (keyword) {
      case "type":
        return "must be of type " + types(schema);
      case "required":
        return property != null && names.contains(property)
            ? "must have the required property '" + property + "'"
            : "misses a required property";
      case "enum":
        return "must be one of " + quote(schema);
      case "const":
        return "must be exactly " + quote(schema);
      case "pattern":
        return "must match the pattern " + quote(schema);
      case "format":
        return "must be a valid " + quote(schema);
      case "minLength":
        return "must be at least " + number(schema) + " characters long";
      case "maxLength":
        return "must be at most " + number(schema) + " characters long";
      case "minimum":
        return "must be at least " + number(schema);
      case "maximum":
        return "must be at most " + number(schema);
      case "exclusiveMinimum":
        return schema != null && schema.isBoolean() ? "must be greater than the minimum"
            : "must be greater than " + number(schema);
      case "exclusiveMaximum":
        return schema != null && schema.isBoolean() ? "must be less than the maximum"
            : "must be less than " + number(schema);
      case "multipleOf":
        return "must be a multiple of " + number(schema);
      case "minItems":
        return "must have at least " + number(schema) + " items";
      case "maxItems":
        return "must have at most " + number(schema) + " items";
      case "uniqueItems":
        return "must not repeat an item";
      case "minProperties":
        return "must have at least " + number(schema) + " properties";
      case "maxProperties":
        return "must have at most " + number(schema) + " properties";
      case "additionalProperties":
        return schema != null && schema.isBoolean() && !schema.booleanValue()
            ? "has a property the schema does not define, and it allows no others"
            : "has a property that breaks the schema for additional properties";
      case "unevaluatedProperties":
        return "has a property the schema does not define, and it allows no others";
      case "propertyNames":
        return "has a property name the schema does not allow";
      case "items":
      case "additionalItems":
      case "unevaluatedItems":
        return "has more items than the schema allows";
      case "contains":
        return "must contain an item that matches the schema under contains";
      case "minContains":
        return "must contain at least " + number(schema) + " items that match under contains";
      case "maxContains":
        return "must contain at most " + number(schema) + " items that match under contains";
      case "oneOf":
        return "must match exactly one of the schema's " + count(schema) + " alternatives";
      case "anyOf":
        return "must match at least one of the schema's " + count(schema) + " alternatives";
      case "allOf":
        return "must match all of the schema's " + count(schema) + " alternatives";
      case "not":
        return "must not match the schema under not";
      case "dependentRequired":
      case "dependencies":
        return "misses a property that another of its properties requires";
      case "false":
        return "is not allowed here";
      default:
        return "breaks the schema's '" + keyword + "' rule";
    }
  }

  /** The types a {@code type} keyword allows: {@code string or null}. */
  private static String types(JsonNode schema) {
    if (schema == null) {
      return "the schema's";
    }
    if (!schema.isArray()) {
      return bounded(schema.asText(), MAX_QUOTE);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < schema.size(); i++) {
      sb.append(i == 0 ? "" : " or ").append(schema.get(i).asText());
    }
    return bounded(sb.toString(), MAX_QUOTE);
  }

  private static String number(JsonNode schema) {
    return schema != null && schema.isNumber() ? schema.asText() : "the schema's limit";
  }

  private static String count(JsonNode schema) {
    return schema != null && schema.isArray() ? Integer.toString(schema.size()) : "";
  }

  /** A piece of the schema as JSON, cut at {@value #MAX_QUOTE} chars. */
  private static String quote(JsonNode schema) {
    return schema == null ? "the schema's value" : bounded(schema.toString(), MAX_QUOTE);
  }

  private static String bounded(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  /**
   * Every name the schema gives: the keys of its objects (property names among them) and the
   * strings of its {@code required} and {@code dependentRequired} lists; at most {@value
   * #MAX_NAMES}.
   */
  static Set<String> names(JsonNode schema) {
    Set<String> names = new HashSet<>();
    Deque<JsonNode> todo = new ArrayDeque<>();
    todo.push(schema);
    while (!todo.isEmpty() && names.size() < MAX_NAMES) {
      JsonNode node = todo.pop();
      if (node.isObject()) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          names.add(field.getKey());
          todo.push(field.getValue());
        }
      } else if (node.isArray()) {
        for (JsonNode item : node) {
          if (item.isTextual()) {
            names.add(item.textValue());
          } else {
            todo.push(item);
          }
        }
      }
    }
    return Set.copyOf(names);
  }

  /** Why the validator refused a schema, in the gateway's words. */
  static String refusal(SchemaException e) {
    String text = String.valueOf(e.getMessage());
    if (text.contains("is not allowed to be loaded") || text.contains("Cannot load")
        || text.contains("not found") || text.contains("Unable to")) {
      return "it refers to another document ($ref), and the gateway fetches no schema";
    }
    if (text.contains("Unknown dialect")) {
      return "its $schema names a dialect the gateway does not know (it knows drafts 2020-12, "
          + "2019-09, 7, 6 and 4)";
    }
    return e instanceof InvalidSchemaException ? "it is not a valid schema"
        : "it is not a valid schema (" + e.getClass().getSimpleName() + ")";
  }
}
