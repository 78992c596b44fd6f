package dev.llmgateway.it.apibaseline;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.Source;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import dev.llmgateway.it.arch.ModuleRoot;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The classes each published module ships, told by where each class file lies
 * ({@link ModuleRoot#shipping}: the module's {@code target/classes} or jar), never by package
 * alone: llm-gateway-it's test sources plant classes in other modules' packages (such as
 * {@code dev.llmgateway.core.planted}), and those lie in llm-gateway-it's build output.
 *
 * <p>The class path is scanned once per JVM; the result is immutable and thread-safe.
 */
final class ShippedClasses {

  private static final Map<ModuleRoot, List<Class<?>>> BY_MODULE = scan();

  private ShippedClasses() {}

  /**
   * The classes under {@code dev.llmgateway} whose class files lie in {@code module}'s build
   * output, loaded (not initialised) and sorted by name; empty for a module that is not
   * published or ships no class.
   */
  static List<Class<?>> of(ModuleRoot module) {
    return BY_MODULE.getOrDefault(module, List.of());
  }

  /** The published module whose build output holds the class file at {@code location}, if any. */
  static Optional<ModuleRoot> publishedModuleAt(URI location) {
    return ModuleRoot.shipping(location).filter(ApiBaseline.PUBLISHED::contains);
  }

  private static Map<ModuleRoot, List<Class<?>>> scan() {
    Map<ModuleRoot, List<Class<?>>> shipped = new EnumMap<>(ModuleRoot.class);
    ClassFileImporter importer = new ClassFileImporter()
        .withImportOption((Location location) -> publishedModuleAt(location.asURI()).isPresent());
    for (JavaClass javaClass : importer.importPackages("dev.llmgateway")) {
      javaClass.getSource().map(Source::getUri).flatMap(ShippedClasses::publishedModuleAt)
          .ifPresent(module -> shipped.computeIfAbsent(module, any -> new ArrayList<>())
              .add(load(javaClass.getName())));
    }
    shipped.replaceAll((module, classes) ->
        classes.stream().sorted(Comparator.comparing(Class::getName)).toList());
    return Collections.unmodifiableMap(shipped);
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ShippedClasses.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("ArchUnit found " + name + " but it cannot be loaded", e);
    }
  }
}
