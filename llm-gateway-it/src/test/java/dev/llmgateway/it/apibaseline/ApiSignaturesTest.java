package dev.llmgateway.it.apibaseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.it.apibaseline.shapes.Shapes;
import dev.llmgateway.it.apibaseline.shapes.internal.InternalShape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code .api} format, on declarations of every shape ({@link Shapes}). */
@Timeout(10)
class ApiSignaturesTest {

  @Test
  void rendersEveryShapeOfDeclaration() throws ClassNotFoundException {
    List<Class<?>> classes = new ArrayList<>(List.of(Shapes.class.getDeclaredClasses()));
    classes.add(Shapes.class);
    classes.add(Class.forName("dev.llmgateway.it.apibaseline.shapes.HiddenBase"));
    classes.add(InternalShape.class);

    String rendered =
        ApiSignatures.render(classes).replace(Shapes.class.getPackageName() + ".", "");

    assertThat(rendered).isEqualTo("""
        public abstract class Shapes<T extends java.lang.Comparable<? super T>> extends HiddenBase
          public static final java.lang.String CONSTANT
          protected int counter
          protected Shapes()
          public final java.util.List<T[]> arrays(java.lang.String...)
          protected static int[][] grid()
          public java.lang.String inherited()
          public static int inheritedStatic()
          public abstract <R> R map(java.util.function.Function<? super T, ? extends R>) \
        throws java.io.IOException
          public final java.lang.String overridden()

        public sealed interface Shapes.Event permits Shapes.Started, Shapes.Stopped
          public abstract java.lang.String id()
          public default java.lang.String label()
          public static Shapes.Event started(java.lang.String)

        public class Shapes.Inner
          public Inner(java.lang.String)
          public Inner(java.util.List<T>)

        public @interface Shapes.Marker
          public abstract java.lang.String value()

        public enum Shapes.Mode
          public static final Shapes.Mode FAST
          public static final Shapes.Mode SLOW
          public static Shapes.Mode valueOf(java.lang.String)
          public static Shapes.Mode[] values()

        protected static class Shapes.Nested
          protected Nested()

        public record Shapes.Started implements Shapes.Event
          public Started(java.lang.String)
          public boolean equals(java.lang.Object)
          public int hashCode()
          public java.lang.String id()
          public java.lang.String toString()

        public static final class Shapes.Stopped implements Shapes.Event
          public Stopped()
          public java.lang.String id()
        """);
  }

  @Test
  void noPublicTypeRendersNothing() {
    assertThat(ApiSignatures.render(List.of(InternalShape.class))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev.llmgateway.internal", "dev.llmgateway.core.internal.sse",
      "dev.llmgateway.providers.openai.internal"})
  void packagesWithAnInternalSegmentAreNotPublished(String packageName) {
    assertThat(ApiSignatures.isPublishedPackage(packageName)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev.llmgateway", "dev.llmgateway.spi", "dev.llmgateway.core.internals",
      "dev.llmgateway.testing.wire"})
  void otherPackagesArePublished(String packageName) {
    assertThat(ApiSignatures.isPublishedPackage(packageName)).isTrue();
  }
}
