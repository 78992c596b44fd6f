package dev.llmgateway.testing;

import dev.llmgateway.core.Gateway;
import dev.llmgateway.core.GatewayBuilder;
import dev.llmgateway.core.InMemoryUsageSink;
import dev.llmgateway.core.resilience.RetryPolicy;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test a fresh {@link Gateway} over a fresh {@link
 * FakeProvider} (named {@value FakeProvider#DEFAULT_NAME}, the gateway's only and so default
 * provider) and an {@link InMemoryUsageSink} that receives the gateway's usage records.
 *
 * <p>Declare it and take what you need as test (or {@code @BeforeEach}) method parameters:
 *
 * <pre>{@code
 * @ExtendWith(FakeGatewayExtension.class)
 * class CheckoutAssistantTest {
 *   @Test
 *   void answersFromTheModel(Gateway gateway, FakeProvider fake, InMemoryUsageSink usage) {
 *     fake.on("gpt-4o").reply("Hello!");
 *     assertEquals("Hello!", gateway.chat(ChatRequest.of("gpt-4o", "Hi")).text());
 *   }
 * }
 * }</pre>
 *
 * <p>or register it in a field to shape the gateway, and reach the current test's objects through
 * it:
 *
 * <pre>{@code
 * @RegisterExtension
 * static FakeGatewayExtension gw = FakeGatewayExtension.withGateway(
 *     builder -> builder.alias("smart", Route.fallback("fake/a", "fake/b")));
 *
 * @Test
 * void failsOver() {
 *   gw.fake().on("a").fail(new ProviderUnavailableException("down"));
 *   gw.fake().on("b").reply("from b");
 *   assertEquals("from b", gw.gateway().chat(ChatRequest.of("smart", "Hi")).text());
 * }
 * }</pre>
 *
 * <p>After each test it closes the gateway and the fake, and fails the test with an {@link
 * AssertionError} when scripted steps were left unconsumed (see {@link
 * FakeProvider#assertAllConsumed()}), unless the test already failed or called {@link
 * #allowUnconsumed()}.
 *
 * <p>Thread-safe: one instance may serve tests running in parallel. Parameters always resolve to
 * the test's own objects; the accessors {@link #gateway()}, {@link #fake()}, {@link #usage()} and
 * {@link #allowUnconsumed()} find the test running on the calling thread, or the only running one.
 */
public final class FakeGatewayExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(FakeGatewayExtension.class);
  private static final List<Class<?>> RESOLVED =
      List.of(Gateway.class, FakeProvider.class, InMemoryUsageSink.class);

  private final Consumer<GatewayBuilder> gatewayCustomizer;
  private final Consumer<FakeProvider.Builder> fakeCustomizer;
  private final ThreadLocal<TestGateway> current = new ThreadLocal<>();
  private final Set<TestGateway> running = ConcurrentHashMap.newKeySet();

  /** An extension with default settings (what {@code @ExtendWith} creates). */
  public FakeGatewayExtension() {
    this(builder -> {}, builder -> {});
  }

  private FakeGatewayExtension(Consumer<GatewayBuilder> gatewayCustomizer,
      Consumer<FakeProvider.Builder> fakeCustomizer) {
    this.gatewayCustomizer = gatewayCustomizer;
    this.fakeCustomizer = fakeCustomizer;
  }

  /**
   * An extension whose gateways are shaped by the customiser (aliases, interceptors, timeouts,
   * more providers, retries), applied to a builder that already holds the fake and the usage
   * sink, with retries off ({@code RetryPolicy.none()}) so that a scripted failure reaches the test
   * at once.
   */
  public static FakeGatewayExtension withGateway(Consumer<GatewayBuilder> customizer) {
    return new FakeGatewayExtension(Objects.requireNonNull(customizer, "customizer"),
        builder -> {});
  }

  /** This extension with fakes shaped by the customiser (name, capabilities, executor). */
  public FakeGatewayExtension withFake(Consumer<FakeProvider.Builder> customizer) {
    return new FakeGatewayExtension(gatewayCustomizer,
        Objects.requireNonNull(customizer, "customizer"));
  }

  /** The current test's gateway. */
  public Gateway gateway() {
    return current("gateway()").gateway;
  }

  /** The current test's fake provider. */
  public FakeProvider fake() {
    return current("fake()").fake;
  }

  /** The current test's usage records. */
  public InMemoryUsageSink usage() {
    return current("usage()").usage;
  }

  /** Lets the current test end with scripted steps left unconsumed. */
  public void allowUnconsumed() {
    current("allowUnconsumed()").allowUnconsumed = true;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    TestGateway test = of(context);
    current.set(test);
    running.add(test);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestGateway test = context.getStore(NAMESPACE).remove(this, TestGateway.class);
    current.remove();
    if (test == null) {
      return;
    }
    running.remove(test);
    AssertionError leftovers = null;
    if (context.getExecutionException().isEmpty() && !test.allowUnconsumed) {
      try {
        test.fake.assertAllConsumed();
      } catch (AssertionError e) {
        leftovers = e;
      }
    }
    try {
      test.gateway.close();
    } finally {
      test.fake.close();
    }
    if (leftovers != null) {
      throw leftovers;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return RESOLVED.contains(parameter.getParameter().getType())
        && parameter.getDeclaringExecutable() instanceof Method
        && context.getTestMethod().isPresent();
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestGateway test = of(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == Gateway.class) {
      return test.gateway;
    }
    if (type == FakeProvider.class) {
      return test.fake;
    }
    return test.usage;
  }

  private TestGateway of(ExtensionContext context) {
    return context.getStore(NAMESPACE)
        .getOrComputeIfAbsent(this, key -> create(), TestGateway.class);
  }

  private TestGateway create() {
    FakeProvider.Builder fakeBuilder = FakeProvider.builder();
    fakeCustomizer.accept(fakeBuilder);
    FakeProvider fake = fakeBuilder.build();
    try {
      InMemoryUsageSink usage = new InMemoryUsageSink();
      // retries off, so a scripted failure reaches the test at once; a customiser may set them
      GatewayBuilder builder = Gateway.builder().provider(fake).usageSink(usage)
          .retry(RetryPolicy.none());
      gatewayCustomizer.accept(builder);
      return new TestGateway(builder.build(), fake, usage);
    } catch (RuntimeException | Error e) {
      fake.close();
      throw e;
    }
  }

  private TestGateway current(String accessor) {
    TestGateway test = current.get();
    if (test != null) {
      return test;
    }
    List<TestGateway> all = List.copyOf(running);
    if (all.size() == 1) {
      return all.get(0);
    }
    throw new IllegalStateException(all.isEmpty()
        ? accessor + " is only available while a test runs (between beforeEach and afterEach)"
        : accessor + " cannot tell which of " + all.size() + " tests running in parallel is "
            + "meant from this thread; take a Gateway, FakeProvider or InMemoryUsageSink "
            + "parameter instead");
  }

  @Override
  public String toString() {
    return "FakeGatewayExtension[running=" + running.size() + "]";
  }

  /** One test's gateway, fake and usage sink. */
  private static final class TestGateway {
    final Gateway gateway;
    final FakeProvider fake;
    final InMemoryUsageSink usage;
    volatile boolean allowUnconsumed;

    TestGateway(Gateway gateway, FakeProvider fake, InMemoryUsageSink usage) {
      this.gateway = gateway;
      this.fake = fake;
      this.usage = usage;
    }
  }
}
