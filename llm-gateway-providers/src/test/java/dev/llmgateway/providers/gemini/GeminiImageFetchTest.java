package dev.llmgateway.providers.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Deployment;
import dev.llmgateway.InvalidRequestException;
import dev.llmgateway.Message;
import dev.llmgateway.spi.AttemptContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code fetchImageUrls(true)} fetches only from public addresses, follows no redirect. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GeminiImageFetchTest {
  /** Public addresses and loopback, where the tests' servers listen. */
  static final ImageFetchAddresses LOOPBACK_TOO =
      a -> a.isLoopbackAddress() ? null : ImageFetchAddresses.whyNotPublic(a);
  private static final String OK = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}],"
      + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}";
  private static final byte[] PNG = Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgA"
      + "AAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

  private final MockWebServer server = new MockWebServer();
  private final MockWebServer elsewhere = new MockWebServer();
  /** Calls started and connections attempted through the provider's client. */
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger connects = new AtomicInteger();
  private OkHttpClient client;

  @BeforeEach
  void start() throws Exception {
    server.start();
    elsewhere.start();
    client = new OkHttpClient.Builder().eventListener(new EventListener() {
      @Override
      public void callStart(Call call) {
        calls.incrementAndGet();
      }

      @Override
      public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
        connects.incrementAndGet();
      }
    }).build();
  }

  @AfterEach
  void stop() {
    server.close();
    elsewhere.close();
  }

  private GeminiProvider provider(ImageFetchAddresses addresses) {
    return GeminiProvider.builder().baseUrl(server.url("/v1beta").toString()).apiKey("k")
        .httpClient(client).fetchImageUrls(true).imageAddresses(addresses).build();
  }

  private static Throwable chat(GeminiProvider provider, String imageUrl) {
    return catchThrowable(() -> provider.chat(ChatRequest.builder("gemini-2.5-flash")
        .message(Message.user(ContentPart.imageUrl(imageUrl))).build(),
        AttemptContext.standalone(new Deployment("gemini", "gemini-2.5-flash"))));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://127.0.0.1:{port}/cat.png?sig=SECRET | 127.0.0.1    | a loopback address",
      "http://localhost:{port}/cat.png?sig=SECRET | localhost    | a loopback address",
      "http://[::1]:{port}/cat.png?sig=SECRET     | ::1          | a loopback address",
      "http://169.254.169.254/latest/meta-data/   | 169.254.169.254 | a link-local address",
      "https://10.1.2.3/cat.png?sig=SECRET        | 10.1.2.3     | a private address",
      "http://172.16.0.9/cat.png                  | 172.16.0.9   | a private address",
      "http://192.168.1.1/cat.png                 | 192.168.1.1  | a private address",
      "http://100.64.0.1/cat.png                  | 100.64.0.1   | a shared (carrier-grade NAT) address",
      "http://0.0.0.0:{port}/cat.png              | 0.0.0.0      | an unspecified address",
      "http://[fd00::1]/cat.png                   | fd00::1      | a private address",
      "http://[fe80::1]/cat.png                   | fe80::1      | a link-local address",
      "http://224.0.0.1/cat.png                   | 224.0.0.1    | a multicast address",
      "http://[::ffff:127.0.0.1]:{port}/cat.png   | 127.0.0.1    | a loopback address",
      "http://[64:ff9b::a9fe:a9fe]/cat.png        | 64:ff9b::a9fe:a9fe | a link-local address"})
  void byDefaultANonPublicHostIsRefusedBeforeAnyConnection(String url, String host,
      String why) {
    try (GeminiProvider provider = provider(ImageFetchAddresses.PUBLIC_ONLY)) {
      Throwable thrown = chat(provider, url.replace("{port}", String.valueOf(server.getPort())));
      assertThat(thrown).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("the image host " + host + " was refused")
          .hasMessageContaining(why)
          .hasMessageNotContaining("SECRET");
    }
    assertThat(calls).as("no call started, not even to Gemini").hasValue(0);
    assertThat(connects).hasValue(0);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aRedirectIsRefusedAndNotFollowed() {
    server.enqueue(new MockResponse.Builder().code(302)
        .addHeader("Location", elsewhere.url("/metadata").toString()).build());
    Throwable thrown;
    try (GeminiProvider provider = provider(LOOPBACK_TOO)) {
      thrown = chat(provider, server.url("/cat.png?sig=SECRET").toString());
    }
    assertThat(thrown).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("was refused: it redirects (HTTP 302)")
        .hasMessageNotContaining("SECRET");
    assertThat(server.getRequestCount()).as("the fetch only, Gemini never called").isEqualTo(1);
    assertThat(elsewhere.getRequestCount()).isZero();
  }

  @Test
  void aPermittedHostIsFetchedAndSentInline() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("content-type", "image/png")
        .body(new Buffer().write(PNG)).build());
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("content-type", "application/json").body(OK).build());
    try (GeminiProvider provider = provider(LOOPBACK_TOO)) {
      assertThat(chat(provider, server.url("/cat.png").toString())).isNull();
    }
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/cat.png");
    assertThat(server.takeRequest().getBody().utf8())
        .contains(Base64.getEncoder().encodeToString(PNG));
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "169.255.0.1",
      "2606:4700:4700::1111", "2a00:1450:4001:82a::200e", "64:ff9b::808:808", "2002:808:808::1"})
  void publicAddressesPass(String address) throws Exception {
    assertThat(ImageFetchAddresses.whyNotPublic(InetAddress.getByName(address))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.1.2.3", "127.8.9.10", "172.31.255.255", "100.127.0.1",
      "192.0.0.8", "198.18.0.1", "240.0.0.1", "255.255.255.255", "::", "::127.0.0.1",
      "fc00::1", "fec0::1", "ff02::1", "2002:a00:1::1", "::ffff:10.0.0.1"})
  void nonPublicAddressesAreRefused(String address) throws Exception {
    assertThat(ImageFetchAddresses.whyNotPublic(InetAddress.getByName(address))).isNotNull();
  }
}
