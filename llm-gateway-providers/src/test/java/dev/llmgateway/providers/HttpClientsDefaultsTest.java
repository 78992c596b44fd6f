package dev.llmgateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The default HTTP client's timeouts match the gateway's defaults: a connect timeout as the
 * official SDKs have, no OkHttp call timeout (the gateway enforces attempt and total deadlines on
 * its own timers), and a read timeout equal to the gateway's default idle and total limits, as a
 * backstop for a transport called without a gateway. No re-send after a connection failure.
 */
@Timeout(30)
class HttpClientsDefaultsTest {

  @Test
  void theDefaultClientsTimeoutsMatchTheGatewaysDefaults() {
    OkHttpClient client = HttpClients.defaults();
    assertThat(client.connectTimeoutMillis()).isEqualTo(10_000);
    assertThat(client.callTimeoutMillis()).isZero();
    assertThat(client.readTimeoutMillis()).isEqualTo(10 * 60 * 1000);
    assertThat(client.retryOnConnectionFailure()).isFalse();
    assertThat(client.dispatcher().getMaxRequestsPerHost())
        .isEqualTo(HttpClients.MAX_REQUESTS_PER_HOST);
  }
}
