package dev.llmgateway.providers.openai.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Base64;

/**
 * Reads an embedding in either form the Embeddings API sends: a JSON array of numbers ({@code
 * encoding_format: "float"}), or a base64 string of the vector's float32 values in little-endian
 * byte order ({@code encoding_format: "base64"}, as OpenAI's SDKs decode it). The form is taken
 * from the value, not from what was asked, since some OpenAI-compatible servers ignore {@code
 * encoding_format} one way or the other. A base64 string that is not whole float32 values is
 * malformed. Thread-safe.
 */
final class EmbeddingVector extends StdDeserializer<float[]> {
  private static final long serialVersionUID = 1L;

  EmbeddingVector() {
    super(float[].class);
  }

  @Override
  public float[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      return ctxt.readValue(p, float[].class);
    }
    String text = p.getText();
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException notBase64) {
      throw ctxt.weirdStringException("(base64)", float[].class, "an embedding string that is "
          + "not base64");
    }
    if (bytes.length % Float.BYTES != 0) {
      throw ctxt.weirdStringException("(base64)", float[].class, "a base64 embedding of "
          + bytes.length + " bytes, not a whole number of float32 values");
    }
    FloatBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] vector = new float[floats.remaining()];
    floats.get(vector);
    return vector;
  }
}
