package dev.llmgateway.providers.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The transports' JSON setup, built once: one {@link ObjectMapper} that reads responses into small
 * records and ignores unknown fields (providers add fields all the time), and helpers to splice raw
 * JSON (tool schemas, provider extras) into a request written with a streaming generator.
 */
public final class Json {
  /** Reads provider responses; thread-safe once configured. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);

  /** Writes requests. */
  public static final JsonFactory FACTORY = MAPPER.getFactory();

  private Json() {}

  /** Writes a raw JSON value (a schema, arguments) after checking that it parses. */
  public static void writeRaw(JsonGenerator out, String json, String what) throws IOException {
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() == null) {
        throw new IllegalArgumentException(what + " is empty");
      }
      out.copyCurrentStructure(parser);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException(what + " has trailing content after its JSON value");
      }
    }
  }

  /** The field names of a raw JSON object (provider extras), to let them override ours. */
  public static Set<String> fieldNames(String jsonObject) throws IOException {
    Set<String> names = new HashSet<>();
    try (JsonParser parser = FACTORY.createParser(jsonObject)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("provider extras must be a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        names.add(parser.currentName());
        parser.nextToken();
        parser.skipChildren();
      }
    }
    return names;
  }

  /** Writes every field of a raw JSON object into the object being generated. */
  public static void writeFields(JsonGenerator out, String jsonObject) throws IOException {
    try (JsonParser parser = FACTORY.createParser(jsonObject)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        out.writeFieldName(parser.currentName());
        parser.nextToken();
        out.copyCurrentStructure(parser);
      }
    }
  }

  /**
   * A buffer for one request body: Jackson's {@link ByteArrayBuilder} on the factory's recycled
   * blocks, as {@code ObjectMapper.writeValueAsBytes} uses, so that encoding a body allocates its
   * final array and little else. Hand it to {@link #bytes} when the generator has closed.
   */
  public static ByteArrayBuilder buffer() {
    return new ByteArrayBuilder(FACTORY._getBufferRecycler());
  }

  /** The bytes written to a {@link #buffer()}; its blocks go back to the recycler. */
  public static byte[] bytes(ByteArrayBuilder buffer) {
    byte[] body = buffer.toByteArray();
    buffer.release();
    return body;
  }
}
