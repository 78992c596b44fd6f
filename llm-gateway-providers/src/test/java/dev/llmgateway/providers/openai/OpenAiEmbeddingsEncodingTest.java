package dev.llmgateway.providers.openai;

import static dev.llmgateway.providers.openai.OpenAiFixturesTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.Deployment;
import dev.llmgateway.EmbeddingRequest;
import dev.llmgateway.EmbeddingResponse;
import dev.llmgateway.ProviderUnavailableException;
import dev.llmgateway.spi.AttemptContext;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Embeddings in base64 ({@code encoding_format: "base64"}: each vector's float32 values,
 * little-endian, base64-encoded; fixtures {@code openai/embeddings-*-base64.json}): what is asked
 * for per preset, and that either form of answer is read whatever was asked.
 */
class OpenAiEmbeddingsEncodingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "text-embedding-3-small";
  /** [1.0f, -2.0f, 0.5f, 0.1f] as little-endian float32: 0000803f 000000c0 0000003f cdcccc3d. */
  private static final String KNOWN = "AACAPwAAAMAAAAA/zczMPQ==";

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String baseUrl() {
    return server.url("/v1").toString();
  }

  private void serve(String body) {
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/json").body(body).build());
  }

  private static String answer(String... vectors) {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < vectors.length; i++) {
      data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
          .append(",\"embedding\":").append(vectors[i]).append('}');
    }
    return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"" + MODEL
        + "\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}";
  }

  private static EmbeddingResponse embed(OpenAiProvider provider, String... inputs) {
    try (provider) {
      return provider.embed(EmbeddingRequest.of(MODEL, inputs),
          AttemptContext.standalone(new Deployment(provider.name(), MODEL)));
    }
  }

  private OpenAiProvider openAi() {
    return OpenAiPresets.openAi().baseUrl(baseUrl()).apiKey("sk-embed-test").build();
  }

  @Test
  void aBase64VectorIsLittleEndianFloat32ByteForByte() {
    serve(answer("\"" + KNOWN + "\""));

    float[] vector = embed(openAi(), "known").vector(0);

    assertThat(vector).containsExactly(1.0f, -2.0f, 0.5f, 0.1f);
    assertThat(Float.floatToRawIntBits(vector[0])).isEqualTo(0x3f800000);
    assertThat(Float.floatToRawIntBits(vector[1])).isEqualTo(0xc0000000);
    assertThat(Float.floatToRawIntBits(vector[2])).isEqualTo(0x3f000000);
    assertThat(Float.floatToRawIntBits(vector[3])).isEqualTo(0x3dcccccd);
  }

  @Test
  void theBase64FixtureIsTheFloatFixtureBitForBit() {
    serve(fixture("openai/embeddings-response-base64.json"));
    serve(fixture("openai/embeddings-response.json"));

    EmbeddingResponse base64 = embed(openAi(), "a", "b");
    EmbeddingResponse floats = embed(openAi(), "a", "b");

    for (int i = 0; i < 2; i++) {
      float[] b = base64.vector(i);
      float[] f = floats.vector(i);
      assertThat(b).hasSize(4);
      for (int j = 0; j < 4; j++) {
        assertThat(Float.floatToRawIntBits(b[j])).isEqualTo(Float.floatToRawIntBits(f[j]));
      }
    }
    assertThat(base64.vector(0)[0]).isEqualTo(0.703116721f);
    assertThat(base64.usage().inputTokens()).isEqualTo(22);
  }

  @Test
  void openAiAsksForBase64AsTheFixtureShows() throws Exception {
    serve(fixture("openai/embeddings-response-base64.json"));
    try (OpenAiProvider provider = openAi()) {
      provider.embed(EmbeddingRequest.of(MODEL,
          "The food was delicious and the waiter was friendly.",
          "The hotel room was noisy and the bed was uncomfortable.").withDimensions(4),
          AttemptContext.standalone(new Deployment("openai", MODEL)));
    }

    RecordedRequest sent = server.takeRequest();
    assertThat(JSON.readTree(sent.getBody().utf8()))
        .isEqualTo(JSON.readTree(fixture("openai/embeddings-request-base64.json")));
  }

  @Test
  void compatiblePresetsAndTheSettingAskForFloat() throws Exception {
    serve(answer("[0.5]"));
    serve(answer("[0.5]"));
    serve(answer("[0.5]"));

    embed(OpenAiPresets.ollama().baseUrl(baseUrl()).build(), "x");
    embed(OpenAiPresets.mistral().baseUrl(baseUrl()).apiKey("k").build(), "x");
    embed(OpenAiPresets.openAi().baseUrl(baseUrl()).apiKey("k").base64Embeddings(false).build(),
        "x");

    for (int i = 0; i < 3; i++) {
      assertThat(JSON.readTree(server.takeRequest().getBody().utf8()).path("encoding_format")
          .asText()).isEqualTo("float");
    }
  }

  @Test
  void anAnswerIsReadInTheFormItComesInWhateverWasAsked() {
    serve(answer("[1.0,-2.0,0.5,0.1]"));
    serve(answer("\"" + KNOWN + "\""));

    float[] asked64GotFloats = embed(openAi(), "x").vector(0);
    float[] askedFloatsGot64 = embed(OpenAiPresets.ollama().baseUrl(baseUrl()).build(), "x")
        .vector(0);

    assertThat(asked64GotFloats).containsExactly(1.0f, -2.0f, 0.5f, 0.1f);
    assertThat(askedFloatsGot64).containsExactly(1.0f, -2.0f, 0.5f, 0.1f);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"AACAPwAA\"", "\"not base64!\"", "12"})
  void aVectorThatIsNotWholeFloat32ValuesIsATypedFailure(String vector) {
    serve(answer(vector));

    assertThat(catchThrowable(() -> embed(openAi(), "x")))
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageStartingWith("the embeddings body is not valid JSON of the expected shape");
  }
}
