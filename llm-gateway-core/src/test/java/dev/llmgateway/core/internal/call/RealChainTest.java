package dev.llmgateway.core.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallKind;
import dev.llmgateway.CallResult;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Principal;
import dev.llmgateway.spi.AttemptContext;
import dev.llmgateway.spi.Interceptor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chain advanced in place for built-in {@link Step}s: steps share one chain object, each still
 * reads its own position's request after the steps after it rewrote theirs (when they return and
 * when they throw), and an interceptor that is not a step (a user's) gets a chain of its own that
 * it may keep and proceed on again later, from another thread, reaching the steps after it with
 * the request it passes.
 */
@Timeout(30)
class RealChainTest {
  private static final ChatRequest ORIGINAL = ChatRequest.of("original", "Hi");

  private final List<String> seen = new ArrayList<>();
  private final List<Interceptor.Chain> chains = new ArrayList<>();

  private static Call call() {
    return new Call("id-1", CallKind.CHAT, Principal.ANONYMOUS, ORIGINAL, Instant.EPOCH, 0,
        AttemptContext.NO_DEADLINE, new EndUsers(new byte[16]));
  }

  /** A step that renames the request's model, proceeds, then reads its own request again. */
  private Step renaming(String name, String model) {
    return chain -> {
      chains.add(chain);
      String mine = chain.request().model();
      seen.add(name + " got " + mine);
      try {
        return chain.proceed(((ChatRequest) chain.request()).withModel(model));
      } finally {
        seen.add(name + " still has " + chain.request().model());
        assertThat(chain.request().model()).isEqualTo(mine);
      }
    };
  }

  private Step answering() {
    return chain -> {
      chains.add(chain);
      seen.add("end got " + chain.request().model());
      return ChatResponse.builder().text("answer from " + chain.request().model()).build();
    };
  }

  @Test
  void stepsShareOneChainAndEachKeepsItsOwnRequest() {
    Interceptor[] steps = {renaming("a", "m1"), renaming("b", "m2"), answering()};

    CallResult result = new RealChain(steps, 0, call(), ORIGINAL, null).proceed(ORIGINAL);

    assertThat(((ChatResponse) result).text()).isEqualTo("answer from m2");
    assertThat(seen).containsExactly("a got original", "b got m1", "end got m2",
        "b still has m1", "a still has original");
    assertThat(chains).hasSize(3);
    assertThat(chains.get(1)).isSameAs(chains.get(0));
    assertThat(chains.get(2)).isSameAs(chains.get(0));
  }

  @Test
  void aStepKeepsItsOwnRequestWhenALaterStepThrows() {
    Step failing = chain -> {
      throw new IllegalStateException("boom at " + chain.request().model());
    };
    Interceptor[] steps = {renaming("a", "m1"), renaming("b", "m2"), failing};

    assertThatThrownBy(() -> new RealChain(steps, 0, call(), ORIGINAL, null).proceed(ORIGINAL))
        .hasMessage("boom at m2");
    assertThat(seen).containsExactly("a got original", "b got m1", "b still has m1",
        "a still has original");
  }

  @Test
  void aUserInterceptorGetsAChainOfItsOwnThatItMayUseLaterFromAnotherThread() throws Exception {
    List<Interceptor.Chain> kept = new ArrayList<>();
    Interceptor user = chain -> {
      kept.add(chain);
      return chain.proceed(((ChatRequest) chain.request()).withModel("user"));
    };
    Interceptor[] steps = {renaming("a", "m1"), user, renaming("b", "m2"), answering()};

    CallResult first = new RealChain(steps, 0, call(), ORIGINAL, null).proceed(ORIGINAL);

    assertThat(((ChatResponse) first).text()).isEqualTo("answer from m2");
    Interceptor.Chain own = kept.get(0);
    assertThat(own).isNotSameAs(chains.get(0));
    assertThat(chains.get(1)).as("the steps after the user's share a new chain")
        .isNotSameAs(chains.get(0)).isNotSameAs(own).isSameAs(chains.get(2));
    assertThat(own.request().model()).isEqualTo("m1");

    seen.clear();
    CallResult again = CompletableFuture.supplyAsync(
        () -> own.proceed(ORIGINAL.withModel("later"))).get(10, TimeUnit.SECONDS);

    assertThat(((ChatResponse) again).text()).isEqualTo("answer from m2");
    assertThat(seen).containsExactly("b got later", "end got m2", "b still has later");
    assertThat(own.request().model()).isEqualTo("m1");
  }
}
