package dev.llmgateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The default HTTP client's timeouts: a connect timeout as the official SDKs have, and no call,
 * read or write timeout (the gateway enforces attempt, total, first-token and idle limits on its
 * own timers and cancels the call; okio's socket timeouts would take its JVM-wide AsyncTimeout
 * lock on every socket read and write). No re-send after a connection failure.
 */
@Timeout(30)
class HttpClientsDefaultsTest {

  @Test
  void theDefaultClientHasAConnectTimeoutAndLeavesTheRestToTheGateway() {
    OkHttpClient client = HttpClients.defaults();
    assertThat(client.connectTimeoutMillis()).isEqualTo(10_000);
    assertThat(client.callTimeoutMillis()).isZero();
    assertThat(client.readTimeoutMillis()).isZero();
    assertThat(client.writeTimeoutMillis()).isZero();
    assertThat(client.retryOnConnectionFailure()).isFalse();
    assertThat(client.dispatcher().getMaxRequestsPerHost())
        .isEqualTo(HttpClients.MAX_REQUESTS_PER_HOST);
  }
}
