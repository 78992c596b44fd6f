package dev.llmgateway.it.apibaseline.shapes;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/** Every shape of declaration the baseline format spells, for ApiSignaturesTest. Test-only. */
public abstract class Shapes<T extends Comparable<? super T>> extends HiddenBase {
  /** A constant: its type and name are listed, not its value. */
  public static final String CONSTANT = "constant";
  /** Protected in a class others may extend: listed. */
  protected int counter;
  /** Package-private: not listed. */
  int packagePrivate;

  /** Protected constructor: listed. */
  protected Shapes() {}

  /** Package-private constructor: not listed. */
  Shapes(int hidden) {
    counter = hidden;
  }

  /** Type parameters, wildcards and a checked exception. */
  public abstract <R> R map(Function<? super T, ? extends R> mapper) throws IOException;

  /** A generic array and varargs. */
  public final List<T[]> arrays(String... names) {
    return List.of();
  }

  /** Overrides the hidden superclass's method. */
  @Override
  public final String overridden() {
    return "shapes";
  }

  /** A protected static method and a two-dimensional array. */
  protected static int[][] grid() {
    return new int[0][];
  }

  /** Package-private: not listed. */
  void packagePrivateMethod() {}

  /** A sealed interface with an abstract, a default and a static method. */
  public sealed interface Event permits Started, Stopped {
    /** Abstract. */
    String id();

    /** Default. */
    default String label() {
      return id();
    }

    /** Static. */
    static Event started(String id) {
      return new Started(id);
    }
  }

  /** A record: its canonical constructor, accessors and generated methods are listed. */
  public record Started(String id) implements Event {}

  /** A final class: its protected members are out of everyone's reach. */
  public static final class Stopped implements Event {
    @Override
    public String id() {
      return "stopped";
    }

    /** Protected in a final class: not listed. */
    protected void unreachable() {}
  }

  /** An enum: its constants, {@code values()} and {@code valueOf}. */
  public enum Mode {
    /** First. */
    FAST,
    /** Second. */
    SLOW
  }

  /** An annotation type. */
  public @interface Marker {
    /** An element with a default. */
    String value() default "";
  }

  /** An inner class: its constructors list no enclosing instance. */
  public class Inner {
    /** Without a generic signature. */
    public Inner(String name) {}

    /** With a generic signature. */
    public Inner(List<T> items) {}
  }

  /** A protected nested class of a class others may extend: listed. */
  protected static class Nested {}

  /** A package-private nested class: not listed, nor its public method. */
  static class Hidden {
    /** Public in a class nobody outside sees. */
    public void invisible() {}
  }
}
