package dev.llmgateway.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatEvent;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Deployment;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A provider's identity is validated, and a provider that tells none is known by its name. */
@Timeout(10)
class ProviderIdentityTest {

  @ParameterizedTest(name = "vendor ''{0}'', host ''{1}'', port {2}")
  @CsvSource(value = {"'',,-1", "openai,,443", "openai,api.openai.com,-1",
      "openai,api.openai.com,65536", "openai,'',443"}, nullValues = "")
  void refusesAnIdentityThatNamesNoVendorOrAPortWithoutAHost(String vendor, String host,
      int port) {
    assertThatThrownBy(() -> new ProviderIdentity(vendor == null ? "" : vendor, host, port))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aProviderThatTellsNoIdentityIsKnownByItsConfiguredName() {
    Provider custom = new Provider() {
      @Override
      public String name() {
        return "in-house";
      }

      @Override
      public ChatResponse chat(ChatRequest request, AttemptContext attempt) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Flow.Publisher<ChatEvent> stream(ChatRequest request, AttemptContext attempt) {
        throw new UnsupportedOperationException();
      }
    };
    assertThat(custom.identity()).isEqualTo(ProviderIdentity.of("in-house"));
    assertThat(new AttemptContext("c", new Deployment("p", "m"), 1, AttemptContext.NO_DEADLINE)
        .provider()).isNull();
  }
}
