package dev.llmgateway.testing.wire;

import dev.llmgateway.Usage;
import dev.llmgateway.testing.internal.wire.OpenAiResponder;
import dev.llmgateway.testing.internal.wire.Scripted;
import dev.llmgateway.testing.internal.wire.ScriptedServer;
import java.util.HashSet;
import java.util.Set;

/**
 * The OpenAI Chat Completions, Embeddings and Moderations APIs mocked on a real socket (MockWebServer on
 * 127.0.0.1), as OpenAI ({@link #start()}) or as Azure OpenAI ({@link #startAzure()}). Point any
 * OpenAI-format transport at {@link #baseUrl()}, script the answers, and check what it sent.
 *
 * <pre>{@code
 * try (OpenAiMockServer server = OpenAiMockServer.start()) {
 *   server.error(MockError.RATE_LIMITED).replyText("Hello!", Usage.of(12, 3));
 *   Provider openAi = OpenAiPresets.openAi().baseUrl(server.baseUrl()).apiKey("sk-test").build();
 *   ...
 *   MockRequest sent = server.takeRequest();
 * }
 * }</pre>
 *
 * <p><b>Endpoints.</b> OpenAI: {@code POST /v1/chat/completions}, {@code POST /v1/embeddings} and
 * {@code POST /v1/moderations} (OpenAI only: the Azure mock answers it with Azure's 404, as Azure
 * OpenAI serves none).
 * Azure: {@code POST /openai/deployments/{deployment}/chat/completions?api-version=...} (and {@code
 * .../embeddings}), answering with the deployment as the model, and the v1 API {@code POST
 * /openai/v1/chat/completions} (and {@code /openai/v1/embeddings}). Each request to an endpoint
 * takes the next scripted answer; other paths (and Azure deployment URLs without {@code
 * api-version}) get the service's 404 and take none, a body that is not JSON gets OpenAI's 400,
 * and a request with no answer left gets a 500 naming it. The key is not checked.
 *
 * <p><b>Answers</b> follow OpenAI's OpenAPI spec (and Azure's references for Azure): {@code
 * chat.completion} bodies with {@code refusal}, {@code annotations}, {@code logprobs} and {@code
 * usage} with its {@code prompt_tokens_details.cached_tokens} and {@code
 * completion_tokens_details.reasoning_tokens} (cached tokens are part of {@code prompt_tokens},
 * reasoning part of {@code completion_tokens}). Streams are {@code text/event-stream}, chunked, one
 * {@code data: {chunk}\n\n} event per chunk: a role chunk, one chunk per delta (tool calls: a first
 * chunk with id and name, then the arguments in fragments), the finish chunk, and the usage in a
 * last chunk with {@code "choices":[]} when the request asked {@code stream_options.include_usage}
 * (else on the finish chunk, as Mistral and Ollama do), then {@code data: [DONE]}. Azure streams
 * open with Azure's empty-choices {@code prompt_filter_results} chunk and carry {@code
 * content_filter_results} on every choice. Embeddings are JSON arrays of numbers, or, for a request
 * asking {@code encoding_format: "base64"}, each vector's float32 values little-endian and
 * base64-encoded, as the API sends them. Every response carries {@code x-request-id} and {@code
 * x-ratelimit-*} headers (Azure: also {@code apim-request-id}), except the proxy's HTML page.
 *
 * <p><b>Moderations</b> ({@link #replyModeration(int...)}) follow
 * https://platform.openai.com/docs/api-reference/moderations/object: {@code id} ({@code modr-...}),
 * {@code model} (the request's, else {@code omni-moderation-latest}) and per input {@code flagged},
 * all thirteen documented {@code categories}, {@code category_scores} (0.9731 where flagged, 0.0002
 * elsewhere) and {@code category_applied_input_types} ({@code ["text"]}). An input is flagged for
 * {@code harassment} when the script names its index, and for any category whose {@link
 * #flagMarker(String) marker} it contains. The errors and faults below apply to it as to the
 * other endpoints (a cut or malformed body is a cut or malformed moderation answer); an {@code
 * input} that is neither a string nor an array of strings gets OpenAI's 400.
 *
 * <p><b>Errors</b> ({@link MockError}): context length 400 {@code context_length_exceeded};
 * invalid request 400 {@code invalid_type}; content filtered 400 {@code content_filter} (Azure:
 * with {@code innererror.code = ResponsibleAIPolicyViolation}); authentication 401 echoing the key
 * sent, masked ({@code Incorrect API key provided: sk-abc12***...wxyz}; Azure's own 401 message);
 * permission 403; model not found 404 {@code model_not_found} (Azure: {@code DeploymentNotFound});
 * rate limited 429 {@code rate_limit_exceeded} with {@code retry-after: 2} (Azure: also {@code
 * retry-after-ms: 2000}), or the delay {@link #rateLimited(java.time.Duration)} chose; rate
 * limited by a proxy 429 with {@code retry-after: 2} and an {@code invalid_request_error} body;
 * quota
 * exhausted 429 {@code insufficient_quota} without {@code retry-after}; server error 500;
 * unavailable 503; overloaded 503 saying the engine is overloaded.
 *
 * <p><b>Faults</b> ({@link MockFault}): a drop before the headers reads the request, then closes
 * the connection without a byte of answer; a header stall is MockWebServer's 60-second headers
 * delay; a mid-stream stall sends the deltas, then waits 60 s; a drop sends the deltas, then
 * closes the connection without ending the chunked body; a malformed chunk is <code>data: &#123;not
 * json</code> (then the rest of the stream); an in-band error is {@code data: {"error": {...}}}
 * then {@code [DONE]}; an in-band invalid request is Groq's {@code event: error} with {@code
 * invalid_request_error}, {@code tool_use_failed} and {@code status_code: 400}, and the body ends
 * (a unary request: a 400 of it, without {@code status_code}); a truncated stream ends its body cleanly after the deltas, with no finish
 * chunk and no {@code [DONE]}; the HTML page is a proxy's 502 {@code text/html}; the empty body is
 * a 200 with none; the malformed body a 200 {@code application/json} of <code>&#123;"id":
 * 12</code>. On a unary request the mid-stream faults hit the JSON body: half of it, then a stall
 * or a drop; half of it, ending cleanly; <code>&#123;not json</code>; an error object with status
 * 200. An oversized body is a 200 whose JSON string runs on for 1 GiB (on a stream: the deltas,
 * then a {@code data:} line of 1 GiB), an oversized error body the overloaded 503 followed by 1 GiB
 * of spaces; both are chunked and written as the client reads, never held in memory. Stalls and pauses end when the server closes (and, for bodies written piece by piece, when
 * the client hangs up).
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public final class OpenAiMockServer extends ScriptedMockServer<OpenAiMockServer> {

  private OpenAiMockServer(OpenAiResponder.Flavour flavour) {
    super(ScriptedServer.start(
        flavour == OpenAiResponder.Flavour.AZURE ? "AzureOpenAiMockServer" : "OpenAiMockServer",
        new OpenAiResponder(flavour)), flavour == OpenAiResponder.Flavour.AZURE ? "" : "/v1");
  }

  /** Starts a mock of OpenAI; its base URL is {@code http://127.0.0.1:<port>/v1}. */
  public static OpenAiMockServer start() {
    return new OpenAiMockServer(OpenAiResponder.Flavour.OPENAI);
  }

  /**
   * Starts a mock of Azure OpenAI; its base URL is the resource endpoint {@code
   * http://127.0.0.1:<port>}, serving deployment URLs and the v1 API.
   */
  public static OpenAiMockServer startAzure() {
    return new OpenAiMockServer(OpenAiResponder.Flavour.AZURE);
  }

  /**
   * Scripts a moderation answer for the next request: the inputs at {@code flaggedInputs} are
   * flagged for {@code harassment}, and every input containing a {@link #flagMarker(String)
   * marker} for the marker's category (with no index given, only markers flag).
   *
   * @throws IllegalArgumentException when an index is negative
   */
  public OpenAiMockServer replyModeration(int... flaggedInputs) {
    Set<Integer> flagged = new HashSet<>();
    for (int i : flaggedInputs) {
      flagged.add(i);
    }
    server.enqueue(new Scripted.Moderation(flagged));
    return this;
  }

  /**
   * The text that makes the mock flag a moderation input for {@code category}: {@code
   * [[flag:category]]}, anywhere in the input.
   */
  public static String flagMarker(String category) {
    return Scripted.Moderation.marker(category);
  }

  @Override
  protected OpenAiMockServer self() {
    return this;
  }
}
