package dev.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.Caller;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.core.resilience.DeploymentPolicy;
import dev.llmgateway.core.resilience.RetryPolicy;
import dev.llmgateway.core.route.Route;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(30)
class GatewayBuilderTest {

  static Stream<Arguments> misconfigurations() {
    return Stream.of(
        bad("no providers", b -> {}, IllegalStateException.class, "at least one provider"),
        bad("duplicate provider names",
            b -> b.provider(new StubProvider("twin")).provider(new StubProvider("twin")),
            IllegalStateException.class, "'twin'"),
        bad("provider name with a slash", b -> b.provider(new StubProvider("a/b")),
            IllegalStateException.class, "'a/b'"),
        bad("blank provider name", b -> b.provider(new StubProvider(" ")),
            IllegalStateException.class, "' '"),
        bad("alias pointing at an unknown provider",
            b -> b.provider(new StubProvider("openai")).alias("smart", Route.to("nope/gpt-4o")),
            IllegalStateException.class, "'nope/gpt-4o'"),
        bad("alias defined twice",
            b -> b.provider(new StubProvider("p")).alias("smart", Route.to("p/a"))
                .alias("smart", Route.to("p/b")),
            IllegalStateException.class, "'smart'"),
        bad("alias named like a provider",
            b -> b.provider(new StubProvider("p")).alias("p", Route.to("p/a")),
            IllegalStateException.class, "'p'"),
        bad("alias name with a slash", b -> b.alias("a/b", Route.to("p/a")),
            IllegalArgumentException.class, "'a/b'"),
        bad("unknown default provider",
            b -> b.provider(new StubProvider("p")).defaultProvider("q"),
            IllegalStateException.class, "'q'"),
        bad("negative attempt timeout", b -> b.attemptTimeout(Duration.ofSeconds(-1)),
            IllegalArgumentException.class, "PT-1S"),
        bad("zero total timeout", b -> b.totalTimeout(Duration.ZERO),
            IllegalArgumentException.class, "PT0S"),
        bad("attempt timeout longer than the total timeout",
            b -> b.provider(new StubProvider("p")).attemptTimeout(Duration.ofSeconds(10))
                .totalTimeout(Duration.ofSeconds(5)),
            IllegalStateException.class, "PT10S"),
        bad("settings for a deployment of an unknown provider",
            b -> b.provider(new StubProvider("p"))
                .deployment("q/m", DeploymentPolicy.builder().retry(RetryPolicy.none()).build()),
            IllegalStateException.class, "'q/m'"),
        bad("content-filter fallback at an unknown provider",
            b -> b.provider(new StubProvider("p"))
                .alias("safe", Route.to("p/a").onContentFiltered("q/m")),
            IllegalStateException.class, "'q/m'"),
        bad("zero idle timeout", b -> b.idleTimeout(Duration.ZERO),
            IllegalArgumentException.class, "idleTimeout"),
        bad("negative first-token timeout", b -> b.firstTokenTimeout(Duration.ofMillis(-5)),
            IllegalArgumentException.class, "firstTokenTimeout"),
        bad("a deployment without a provider part",
            b -> b.deployment("gpt-4o", DeploymentPolicy.builder().build()),
            IllegalArgumentException.class, "gpt-4o"),
        bad("credential as default caller without an authenticator",
            b -> b.provider(new StubProvider("p")).defaultCaller(Caller.apiKey("k-123")),
            IllegalStateException.class, "ApiKey"));
  }

  private static Arguments bad(String name, Consumer<GatewayBuilder> config,
      Class<? extends RuntimeException> type, String namedValue) {
    return Arguments.of(name, config, type, namedValue);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("misconfigurations")
  void buildRejectsMisconfigurationNamingTheValue(String name, Consumer<GatewayBuilder> config,
      Class<? extends RuntimeException> type, String namedValue) {
    assertThatThrownBy(() -> {
      GatewayBuilder builder = Gateway.builder();
      config.accept(builder);
      builder.build().close();
    }).isInstanceOf(type).hasMessageContaining(namedValue);
  }

  @Test
  void attemptTimeoutConflictQuotesBothValues() {
    assertThatThrownBy(() -> Gateway.builder().provider(new StubProvider("p"))
        .attemptTimeout(Duration.ofSeconds(10)).totalTimeout(Duration.ofSeconds(5)).build())
        .hasMessageContaining("PT10S").hasMessageContaining("PT5S");
  }

  @Test
  void builderIsReusableAndBuildCopiesItsState() {
    GatewayBuilder builder = Gateway.builder().provider(new StubProvider("p"));
    try (Gateway first = builder.build()) {
      builder.alias("later", Route.to("p/x"));
      assertThat(first.toString()).doesNotContain("later");
    }
  }

  @Test
  void aSingleValueSettingSetTwiceKeepsTheLastValue() {
    try (Gateway gateway = Gateway.builder().provider(new StubProvider("p"))
        .attemptTimeout(Duration.ofSeconds(1)).attemptTimeout(Duration.ofSeconds(2)).build()) {
      assertThat(gateway.toString()).contains("attemptTimeout=PT2S").doesNotContain("PT1S");
    }
  }

  @Test
  void newBuilderCarriesEverySettingAndChangesOnlyWhatItIsTold() {
    StubProvider p = new StubProvider("p");
    p.replyToAll(r -> "from " + r.model());
    InMemoryUsageSink usage = new InMemoryUsageSink();
    try (Gateway original = Gateway.builder().provider(p).usageSink(usage)
        .alias("smart", Route.to("p/a")).attemptTimeout(Duration.ofSeconds(1)).build()) {
      Gateway variant = original.newBuilder().attemptTimeout(Duration.ofSeconds(5)).build();

      assertThat(variant.chat(ChatRequest.of("smart", "Hi")).text()).isEqualTo("from a");
      assertThat(usage.records()).hasSize(1);
      assertThat(variant.toString()).contains("attemptTimeout=PT5S");
      assertThat(original.toString()).contains("attemptTimeout=PT1S");
    }
  }

  @Test
  void newBuilderSharesTheExecutorAndClosingTheVariantLeavesTheOriginalWorking() throws Exception {
    // the provider answers with the name of the thread that called it: the executor's, for an
    // async call (a function chained on the future may run on the test's thread instead)
    StubProvider p = new StubProvider("p").replyToAll(r -> Thread.currentThread().getName());
    try (Gateway original = Gateway.builder().provider(p).build()) {
      Gateway variant = original.newBuilder().build();
      String variantThread = variant.chatAsync(ChatRequest.of("m", "Hi"))
          .get(10, TimeUnit.SECONDS).text();
      variant.close();

      assertThat(variantThread).startsWith("llm-gateway-");
      assertThat(original.chatAsync(ChatRequest.of("m", "Hi")).get(10, TimeUnit.SECONDS).text())
          .startsWith("llm-gateway-");
    }
  }

  @Test
  void newBuilderReplacesAnInheritedAliasOrProviderButRefusesTwoNewOnes() {
    StubProvider p = new StubProvider("p");
    p.replyToAll(r -> "from " + r.model());
    try (Gateway original = Gateway.builder().provider(p).alias("smart", Route.to("p/a"))
        .build()) {
      StubProvider q = new StubProvider("p");
      q.replyToAll(r -> "replaced " + r.model());
      try (Gateway variant = original.newBuilder().provider(q)
          .alias("smart", Route.to("p/b")).build()) {
        assertThat(variant.chat(ChatRequest.of("smart", "Hi")).text()).isEqualTo("replaced b");
      }
      assertThat(original.chat(ChatRequest.of("smart", "Hi")).text()).isEqualTo("from a");
      assertThatThrownBy(() -> original.newBuilder().alias("smart", Route.to("p/b"))
          .alias("smart", Route.to("p/c")).build())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("'smart'");
    }
  }

  @Test
  void aGatewayThatIsNotTheBuiltInOneCannotDeriveABuilder() {
    Gateway fake = new Gateway() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ChatResponse chat(ChatRequest request, Caller caller) {
        throw new UnsupportedOperationException();
      }

      @Override
      public java.util.concurrent.CompletableFuture<ChatResponse> chatAsync(
          ChatRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public java.util.concurrent.CompletableFuture<ChatResponse> chatAsync(ChatRequest request,
          Caller caller) {
        throw new UnsupportedOperationException();
      }

      @Override
      public dev.llmgateway.ChatStream stream(ChatRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public dev.llmgateway.ChatStream stream(ChatRequest request, Caller caller) {
        throw new UnsupportedOperationException();
      }

      @Override
      public dev.llmgateway.EmbeddingResponse embed(dev.llmgateway.EmbeddingRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public dev.llmgateway.EmbeddingResponse embed(dev.llmgateway.EmbeddingRequest request,
          Caller caller) {
        throw new UnsupportedOperationException();
      }

      @Override
      public java.util.Map<dev.llmgateway.Deployment,
          dev.llmgateway.core.resilience.DeploymentHealth> health() {
        return java.util.Map.of();
      }

      @Override
      public boolean feedback(String callId, double score) {
        return false;
      }

      @Override
      public java.util.List<dev.llmgateway.core.route.VariantStats> variants(String alias) {
        return java.util.List.of();
      }

      @Override
      public void close() {}
    };
    assertThatThrownBy(fake::newBuilder).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("Gateway.builder()");
  }
}
