package dev.llmgateway.providers.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.providers.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The streaming reader of a Chat Completions answer reads what Jackson's data binding reads into
 * the same records: on every OpenAI-compatible chat answer among the fixtures (OpenAI, Azure, xAI;
 * shaped after their API references, see the fixtures' README), and on 20,000 seeded mutations of
 * them, each field of the records set to another kind of value (a string, a whole or fractional
 * number, a numeric string, a boolean, null, an object, an array), dropped, or named twice (the
 * later counts). Either both read equal records or both fail with an {@link IOException}. The
 * same for every streamed chunk of the stream fixtures (an error chunk is left to the binding)
 * and 20,000 mutations of them.
 */
@Timeout(60)
class CompletionReaderTest {
  private static final ObjectReader BINDING = Json.MAPPER.readerFor(OpenAiDtos.Completion.class);
  private static final String[] PATHS = {"id", "model", "choices/0/index",
      "choices/0/finish_reason", "choices/0/message", "choices/0/message/content",
      "choices/0/message/refusal", "choices/0/message/reasoning_content",
      "choices/0/message/reasoning", "choices/0/message/tool_calls",
      "choices/0/message/tool_calls/0/id", "choices/0/message/tool_calls/0/index",
      "choices/0/message/tool_calls/0/function", "choices/0/message/tool_calls/0/function/name",
      "choices/0/message/tool_calls/0/function/arguments", "usage", "usage/prompt_tokens",
      "usage/completion_tokens", "usage/total_tokens", "usage/prompt_tokens_details",
      "usage/prompt_tokens_details/cached_tokens",
      "usage/completion_tokens_details/reasoning_tokens", "choices"};
  private static final String[] VALUES = {"\"text\"", "12", "-3", "1.75", "\"42\"", "\"\"",
      "true", "null", "{}", "[]", "{\"x\":1}", "[1,2]", "9999999999", "\" 7 \"", "1e3",
      "\"4.5\""};

  static List<byte[]> fixtures() throws IOException {
    Path root = Path.of("src/test/resources/fixtures");
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        String dir = f.getParent().getFileName().toString();
        if (name.startsWith("chat-response") && name.endsWith(".json")
            && !dir.equals("anthropic") && !dir.equals("gemini")) {
          out.add(Files.readAllBytes(f));
        }
      }
    }
    return out;
  }

  @Test
  void readsEveryFixtureAsTheDataBindingDoes() throws IOException {
    List<byte[]> fixtures = fixtures();
    assertThat(fixtures).hasSizeGreaterThanOrEqualTo(6);
    for (byte[] body : fixtures) {
      assertThat(CompletionReader.read(body)).isEqualTo(BINDING.readValue(body)).isNotNull();
    }
  }

  @Test
  void readsEveryMutationAsTheDataBindingDoes() throws IOException {
    List<byte[]> fixtures = fixtures();
    SplittableRandom random = new SplittableRandom(2510);
    int failedBoth = 0;
    int readBoth = 0;
    for (int i = 0; i < 20_000; i++) {
      ObjectNode root = (ObjectNode) Json.MAPPER.readTree(
          fixtures.get(random.nextInt(fixtures.size())));
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        mutate(root, PATHS[random.nextInt(PATHS.length)], random);
      }
      byte[] body = Json.MAPPER.writeValueAsBytes(root);
      Object expected;
      try {
        expected = BINDING.readValue(body);
      } catch (IOException e) {
        expected = e;
      }
      if (random.nextInt(10) == 0 && root.has("model")) {
        // a field named twice: the later one counts (the data binding, which fails on a record's
        // property named again after all of them were read, reads the body without the first)
        String text = new String(body, StandardCharsets.UTF_8);
        body = text.replaceFirst("\\{", "{\"model\":\"first\",")
            .getBytes(StandardCharsets.UTF_8);
      }
      byte[] input = body;
      Throwable failure = catchThrowable(() -> CompletionReader.read(input));
      String what = new String(body, StandardCharsets.UTF_8);
      if (expected instanceof IOException) {
        assertThat(failure).as(what).isInstanceOf(IOException.class);
        failedBoth++;
      } else {
        assertThat(failure).as(what).isNull();
        assertThat(CompletionReader.read(body)).as(what).isEqualTo(expected);
        readBoth++;
      }
    }
    assertThat(failedBoth).isGreaterThan(1_000);
    assertThat(readBoth).isGreaterThan(1_000);
  }

  private static final ObjectReader CHUNK_BINDING = Json.MAPPER.readerFor(OpenAiDtos.Chunk.class);
  private static final String[] CHUNK_PATHS = {"id", "model", "choices", "choices/0",
      "choices/0/index", "choices/0/finish_reason", "choices/0/delta",
      "choices/0/delta/content", "choices/0/delta/reasoning_content",
      "choices/0/delta/tool_calls", "choices/0/delta/tool_calls/0/index",
      "choices/0/delta/tool_calls/0/id", "choices/0/delta/tool_calls/0/function",
      "choices/0/delta/tool_calls/0/function/arguments", "usage", "usage/prompt_tokens",
      "usage/total_tokens", "error", "error/message", "error/code"};

  /** Every {@code data:} line of the OpenAI-compatible stream fixtures but {@code [DONE]}. */
  static List<String> chunks() throws IOException {
    Path root = Path.of("src/test/resources/fixtures");
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String dir = f.getParent().getFileName().toString();
        if (!f.toString().endsWith(".sse") || dir.equals("anthropic") || dir.equals("gemini")) {
          continue;
        }
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("data:") && !line.contains("[DONE]")) {
            out.add(line.substring(5).trim());
          }
        }
      }
    }
    return out;
  }

  /** The decoder's reading of a chunk: the streaming reader, an error chunk by the binding. */
  private static OpenAiDtos.@org.jspecify.annotations.Nullable Chunk readChunk(String data)
      throws IOException {
    OpenAiDtos.Chunk chunk = CompletionReader.chunk(data);
    return chunk == CompletionReader.ERROR_CHUNK ? CHUNK_BINDING.readValue(data) : chunk;
  }

  @Test
  void readsEveryChunkAndEveryMutationOfOneAsTheDataBindingDoes() throws IOException {
    List<String> chunks = chunks();
    assertThat(chunks).hasSizeGreaterThanOrEqualTo(20);
    for (String data : chunks) {
      assertThat(readChunk(data)).as(data).isEqualTo(CHUNK_BINDING.readValue(data));
    }
    SplittableRandom random = new SplittableRandom(2511);
    int failedBoth = 0;
    int readBoth = 0;
    for (int i = 0; i < 20_000; i++) {
      ObjectNode root = (ObjectNode) Json.MAPPER.readTree(
          chunks.get(random.nextInt(chunks.size())));
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        mutate(root, CHUNK_PATHS[random.nextInt(CHUNK_PATHS.length)], random);
      }
      String data = Json.MAPPER.writeValueAsString(root);
      Object expected;
      try {
        expected = CHUNK_BINDING.readValue(data);
      } catch (IOException e) {
        expected = e;
      }
      Throwable failure = catchThrowable(() -> readChunk(data));
      if (expected instanceof IOException) {
        assertThat(failure).as(data).isInstanceOf(IOException.class);
        failedBoth++;
      } else {
        assertThat(failure).as(data).isNull();
        assertThat(readChunk(data)).as(data).isEqualTo(expected);
        readBoth++;
      }
    }
    assertThat(failedBoth).isGreaterThan(1_000);
    assertThat(readBoth).isGreaterThan(1_000);
  }

  /** Sets the field at {@code path} to another value, or drops it. */
  private static void mutate(ObjectNode root, String path, SplittableRandom random)
      throws IOException {
    String[] steps = path.split("/");
    com.fasterxml.jackson.databind.JsonNode node = root;
    for (int i = 0; i < steps.length - 1; i++) {
      node = steps[i].matches("\\d+") ? node.path(Integer.parseInt(steps[i]))
          : node.path(steps[i]);
    }
    if (!(node instanceof ObjectNode parent)) {
      return; // not in this answer
    }
    String last = steps[steps.length - 1];
    if (random.nextInt(8) == 0) {
      parent.remove(last);
    } else {
      parent.set(last, Json.MAPPER.readTree(VALUES[random.nextInt(VALUES.length)]));
    }
  }
}
