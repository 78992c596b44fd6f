package com.example.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.Handle;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.asm.Type;

/**
 * Every class, method and field that OkHttp, okio, MockWebServer and llm-gateway's own jars use from
 * the libraries whose versions Spring Boot's dependency management decides — Kotlin's standard
 * library, Jackson, SLF4J, JUnit — exists on this module's class path, where Boot chose those
 * versions. The conformance run beside it shows the paths it exercises working; this shows that no
 * other path can fail with a {@link NoSuchMethodError} or {@link NoClassDefFoundError} either, and
 * fails naming the missing member when a version bump on either side breaks that.
 */
class BootClassPathLinksTest {
  /** The libraries Boot 3.5 pins to other versions than llm-gateway and OkHttp are built with. */
  private static final List<String> PINNED_BY_BOOT =
      List.of("kotlin/", "com/fasterxml/jackson/", "org/slf4j/", "org/junit/");

  /** One class of each jar whose references are checked. */
  private static final List<String> USERS = List.of(
      "okhttp3.OkHttpClient", "okio.Buffer", "mockwebserver3.MockWebServer",
      "dev.llmgateway.ChatRequest", "dev.llmgateway.core.Gateway",
      "dev.llmgateway.providers.HttpProvider", "dev.llmgateway.testing.FakeProvider");

  @Test
  void everyReferenceIntoALibraryBootPinsResolves() throws Exception {
    Set<String> references = new TreeSet<>();
    for (String user : USERS) {
      for (byte[] classFile : classFilesBeside(Class.forName(user, false, loader()))) {
        new ClassReader(classFile).accept(new References(references), ClassReader.SKIP_FRAMES);
      }
    }
    Set<String> missing = new TreeSet<>();
    for (String reference : references) {
      if (!resolves(reference)) {
        missing.add(reference);
      }
    }

    assertThat(references).hasSizeGreaterThan(300);   // the check saw the references it is about
    assertThat(missing).as("references that do not resolve on Boot's class path").isEmpty();
  }

  @Test
  void theCheckFindsAMemberThatIsNotThere() {
    assertThat(resolves("kotlin/collections/CollectionsKt.listOf:([Ljava/lang/Object;)Ljava/util/List;"))
        .isTrue();
    assertThat(resolves("kotlin/collections/CollectionsKt.listOfNothing:()Ljava/util/List;"))
        .isFalse();
    assertThat(resolves("kotlin/NoSuchClass")).isFalse();
  }

  /** The class files of the jar (or classes directory) that holds {@code anyClass}. */
  private static List<byte[]> classFilesBeside(Class<?> anyClass)
      throws IOException, URISyntaxException {
    Path location = Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<byte[]> classes = new java.util.ArrayList<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.walk(location)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (isClass(file.toString())) {
            classes.add(Files.readAllBytes(file));
          }
        }
      }
      return classes;
    }
    try (JarFile jar = new JarFile(location.toFile())) {
      for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
        if (isClass(entry.getName())) {
          try (InputStream in = jar.getInputStream(entry)) {
            classes.add(in.readAllBytes());
          }
        }
      }
    }
    return classes;
  }

  private static boolean isClass(String name) {
    return name.endsWith(".class") && !name.endsWith("module-info.class")
        && !name.startsWith("META-INF/");
  }

  private static ClassLoader loader() {
    return BootClassPathLinksTest.class.getClassLoader();
  }

  private static boolean pinned(String internalName) {
    return PINNED_BY_BOOT.stream().anyMatch(internalName::startsWith);
  }

  /**
   * Whether {@code owner}, {@code owner.name:(descriptor)} or {@code owner.name:descriptor} (a
   * field) exists, looking through superclasses and interfaces as the JVM does.
   */
  private static boolean resolves(String reference) {
    int dot = reference.indexOf('.');
    String owner = dot < 0 ? reference : reference.substring(0, dot);
    Class<?> type;
    try {
      type = Class.forName(owner.replace("/", "."), false, loader());
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
    if (dot < 0) {
      return true;
    }
    String name = reference.substring(dot + 1, reference.indexOf(':'));
    String descriptor = reference.substring(reference.indexOf(':') + 1);
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(type));
    Set<Class<?>> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Class<?> c = todo.pop();
      if (!seen.add(c)) {
        continue;
      }
      if (declares(c, name, descriptor)) {
        return true;
      }
      if (c.getSuperclass() != null) {
        todo.add(c.getSuperclass());
      }
      todo.addAll(List.of(c.getInterfaces()));
    }
    return false;
  }

  private static boolean declares(Class<?> c, String name, String descriptor) {
    if (!descriptor.startsWith("(")) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getName().equals(name) && Type.getDescriptor(f.getType()).equals(descriptor)) {
          return true;
        }
      }
      return false;
    }
    if (name.equals("<init>")) {
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (Type.getConstructorDescriptor(k).equals(descriptor)) {
          return true;
        }
      }
      return false;
    }
    for (Method m : c.getDeclaredMethods()) {
      if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(descriptor)) {
        return true;
      }
    }
    return false;
  }

  /** Collects the class, method and field references of a class file into the pinned libraries. */
  private static final class References extends ClassVisitor {
    private final Set<String> into;

    References(Set<String> into) {
      super(Opcodes.ASM9);
      this.into = into;
    }

    void type(String internalName) {
      if (pinned(internalName)) {
        into.add(internalName);
      }
    }

    void member(String owner, String name, String descriptor) {
      if (pinned(owner)) {
        into.add(owner + "." + name + ":" + descriptor);
      }
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName,
        String[] interfaces) {
      if (superName != null) {
        type(superName);
      }
      for (String i : interfaces) {
        type(i);
      }
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
        String[] exceptions) {
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
            boolean isInterface) {
          if (!owner.startsWith("[")) {
            member(owner, name, descriptor);
          }
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
          member(owner, name, descriptor);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
          if (!type.startsWith("[")) {
            type(type);
          }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap,
            Object... arguments) {
          for (Object argument : arguments) {
            if (argument instanceof Handle h) {
              member(h.getOwner(), h.getName(), h.getDesc());
            }
          }
        }
      };
    }
  }
}
