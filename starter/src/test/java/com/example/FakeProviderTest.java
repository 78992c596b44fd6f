package com.example;

// tag::fake[]
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.testing.FakeGatewayExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FakeProviderTest {
  @RegisterExtension
  final FakeGatewayExtension gw = FakeGatewayExtension.withGateway(
      b -> b.alias("smart", Route.fallback("fake/primary", "fake/backup")));

  @Test
  void survivesARateLimitedPrimary() {
    gw.fake().on("primary").fail(new RateLimitedException("slow down", Duration.ofSeconds(1)));
    gw.fake().on("backup").reply("It works.");
    assertEquals("It works.", gw.gateway().chat(ChatRequest.of("smart", "Does it work?")).text());
  }
}
// end::fake[]
