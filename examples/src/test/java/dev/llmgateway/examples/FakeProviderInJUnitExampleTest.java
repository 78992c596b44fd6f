package dev.llmgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.RateLimitedException;
import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.route.Route;
import dev.llmgateway.testing.FakeGatewayExtension;
import dev.llmgateway.testing.FakeProvider;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How to test your own code against a gateway: a fake provider in one line. */
class FakeProviderInJUnitExampleTest {

  @RegisterExtension
  final FakeGatewayExtension gw = FakeGatewayExtension.withGateway(
      builder -> builder.alias("smart", Route.fallback("fake/primary", "fake/backup")));

  @Test
  void myServiceSurvivesARateLimitedPrimary() {
    FakeProvider fake = gw.fake();
    fake.on("primary").fail(new RateLimitedException("slow down", Duration.ofSeconds(1)));
    fake.on("backup").reply("It works.");

    Gateway gateway = gw.gateway();
    String answer = gateway.chat(ChatRequest.of("smart", "Does it work?")).text();

    assertThat(answer).isEqualTo("It works.");
    InMemoryUsageSink usage = gw.usage();
    assertThat(usage.last().attempts()).hasSize(2);
  }
}
