package dev.llmgateway.it.apibaseline;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.GenericDeclaration;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Renders the public API of a set of classes as the text of a {@code .api} baseline file.
 *
 * <p>One block per type, blocks sorted by name and separated by a blank line:
 * <pre>
 * public final class dev.llmgateway.ChatRequest implements dev.llmgateway.GatewayRequest
 *   public static dev.llmgateway.ChatRequest.Builder builder(java.lang.String)
 *   public java.util.List&lt;dev.llmgateway.Message&gt; messages()
 *
 * public static final class dev.llmgateway.ChatRequest.Builder
 *   public dev.llmgateway.ChatRequest.Builder stop(java.lang.String...)
 * </pre>
 * A block's first line declares the type, flush left: modifiers, kind, canonical name, type
 * parameters, supertypes and, for a sealed type, its permitted subtypes. Each further line,
 * indented by two spaces, is a field, then a constructor, then a method, sorted by name:
 * modifiers, type parameters, fully qualified generic types with canonical names, parameter
 * types without names ({@code ...} for varargs), {@code throws}. Interface methods say
 * {@code abstract}, {@code default} or {@code static}. Modifiers a type's kind implies are left
 * out: an interface's {@code abstract}, a record's {@code final}, a nested enum's or record's
 * {@code static}, {@code final} on the methods of a final type. Annotations, parameter names,
 * constant values and javadoc are not part of it.
 *
 * <p>What counts: public types, and protected nested types, outside any package with an
 * {@code internal} segment, whose enclosing types count too; their public members, and their
 * protected members unless the type is final (nobody outside its package can reach those); no
 * synthetic or bridge members. Members a listed type inherits from a supertype that is not
 * listed itself (package-private, or in an {@code internal} package) are callable through the
 * listed type, so they are listed in its block too.
 *
 * <p>Types are spelled here rather than by the JDK's {@code toString}s, so the text is the same
 * on every JDK. Stateless and thread-safe.
 */
final class ApiSignatures {

  private ApiSignatures() {}

  /** The baseline text for {@code classes}; empty when none of them is public API. */
  static String render(Collection<Class<?>> classes) {
    return classes.stream()
        .filter(ApiSignatures::isListed)
        .sorted(Comparator.comparing(ApiSignatures::name))
        .map(ApiSignatures::block)
        .collect(Collectors.joining("\n"));
  }

  /** Whether {@code packageName} is outside every {@code internal} package. */
  static boolean isPublishedPackage(String packageName) {
    return !Arrays.asList(packageName.split("\\.")).contains("internal");
  }

  /** Whether {@code type} gets a block: public API in a published package. */
  static boolean isListed(Class<?> type) {
    if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()
        || !isPublishedPackage(type.getPackageName())) {
      return false;
    }
    @Nullable Class<?> enclosing = type.getDeclaringClass();
    return enclosing == null
        ? Modifier.isPublic(type.getModifiers())
        : isListed(enclosing) && isReachable(type.getModifiers(), enclosing);
  }

  /** Whether a member with {@code modifiers} of a listed type is reachable from other packages. */
  private static boolean isReachable(int modifiers, Class<?> declaringType) {
    return Modifier.isPublic(modifiers)
        || (Modifier.isProtected(modifiers) && !Modifier.isFinal(declaringType.getModifiers()));
  }

  private static String block(Class<?> type) {
    StringBuilder block = new StringBuilder(header(type)).append('\n');
    members(type).forEach(member -> block.append("  ").append(member).append('\n'));
    return block.toString();
  }

  private static String header(Class<?> type) {
    int modifiers = type.getModifiers();
    String kind = type.isAnnotation() ? "@interface"
        : type.isInterface() ? "interface"
        : type.isEnum() ? "enum"
        : type.isRecord() ? "record"
        : "class";
    boolean plainClass = kind.equals("class");
    StringJoiner header = new StringJoiner(" ");
    header.add(visibility(modifiers));
    if (plainClass && Modifier.isStatic(modifiers)) {
      header.add("static");
    }
    if (plainClass && Modifier.isAbstract(modifiers)) {
      header.add("abstract");
    }
    if (plainClass && Modifier.isFinal(modifiers)) {
      header.add("final");
    }
    if (type.isSealed()) {
      header.add("sealed");
    }
    header.add(kind).add(name(type) + typeParameters(type));
    @Nullable Type superclass = type.getGenericSuperclass();
    if (plainClass && superclass != null && superclass != Object.class) {
      header.add("extends").add(typeName(superclass));
    }
    List<String> interfaces = Arrays.stream(type.getGenericInterfaces())
        .filter(superinterface -> !type.isAnnotation())
        .map(ApiSignatures::typeName)
        .toList();
    if (!interfaces.isEmpty()) {
      header.add(type.isInterface() ? "extends" : "implements").add(String.join(", ", interfaces));
    }
    if (type.isSealed()) {
      header.add("permits").add(Arrays.stream(type.getPermittedSubclasses())
          .map(ApiSignatures::name).sorted().collect(Collectors.joining(", ")));
    }
    return header.toString();
  }

  /**
   * The member lines of {@code type}'s block: what it declares, and what it inherits from
   * supertypes that are not listed themselves (a member it declares hides or overrides theirs);
   * fields, then constructors, then methods.
   */
  private static List<String> members(Class<?> type) {
    List<Class<?>> declaring = new ArrayList<>();
    declaring.add(type);
    unlistedSupertypes(type, declaring);
    List<Member> members = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Class<?> declarer : declaring) {
      for (Field field : declarer.getDeclaredFields()) {
        if (!field.isSynthetic() && isReachable(field.getModifiers(), type)
            && seen.add(field.getName())) {
          members.add(new Member(0, field.getName(), field(field)));
        }
      }
      for (Method method : declarer.getDeclaredMethods()) {
        // An interface's static methods are not inherited; every other member is.
        boolean callableThroughType = declarer == type || !declarer.isInterface()
            || !Modifier.isStatic(method.getModifiers());
        if (!method.isSynthetic() && !method.isBridge() && callableThroughType
            && isReachable(method.getModifiers(), type)
            && seen.add(method.getName() + Arrays.toString(method.getParameterTypes()))) {
          members.add(new Member(2, method.getName(), method(method, type)));
        }
      }
    }
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      if (!constructor.isSynthetic() && isReachable(constructor.getModifiers(), type)) {
        members.add(new Member(1, "", constructor(constructor)));
      }
    }
    return members.stream().sorted().map(Member::line).distinct().toList();
  }

  /**
   * Adds the supertypes of {@code type}, transitively, that are not listed themselves: nearest
   * first, superclasses before interfaces, so the declaration that wins in Java is met first.
   */
  private static void unlistedSupertypes(Class<?> type, List<Class<?>> found) {
    List<Class<?>> supertypes = new ArrayList<>();
    if (type.getSuperclass() != null) {
      supertypes.add(type.getSuperclass());
    }
    supertypes.addAll(Arrays.asList(type.getInterfaces()));
    for (Class<?> supertype : supertypes) {
      if (!isListed(supertype) && !supertype.getPackageName().startsWith("java.")
          && !found.contains(supertype)) {
        found.add(supertype);
        unlistedSupertypes(supertype, found);
      }
    }
  }

  private static String field(Field field) {
    int modifiers = field.getModifiers();
    StringJoiner line = new StringJoiner(" ");
    line.add(visibility(modifiers));
    if (Modifier.isStatic(modifiers)) {
      line.add("static");
    }
    if (Modifier.isFinal(modifiers)) {
      line.add("final");
    }
    return line.add(typeName(field.getGenericType())).add(field.getName()).toString();
  }

  private static String constructor(Constructor<?> constructor) {
    StringJoiner line = new StringJoiner(" ");
    line.add(visibility(constructor.getModifiers()));
    addTypeParameters(line, constructor);
    Type[] parameters = constructor.getGenericParameterTypes();
    Class<?> type = constructor.getDeclaringClass();
    boolean inner = type.getDeclaringClass() != null && !Modifier.isStatic(type.getModifiers());
    if (inner && parameters.length == constructor.getParameterCount()) {
      // Without a generic signature, an inner class's constructor lists the enclosing instance.
      parameters = Arrays.copyOfRange(parameters, 1, parameters.length);
    }
    line.add(type.getSimpleName() + parameters(constructor, parameters));
    return line + exceptions(constructor);
  }

  /** A method's line in {@code type}'s block; in a final type, {@code final} goes unsaid. */
  private static String method(Method method, Class<?> type) {
    int modifiers = method.getModifiers();
    StringJoiner line = new StringJoiner(" ");
    line.add(visibility(modifiers));
    if (Modifier.isStatic(modifiers)) {
      line.add("static");
    } else if (Modifier.isAbstract(modifiers)) {
      line.add("abstract");
    } else if (method.getDeclaringClass().isInterface()) {
      line.add("default");
    }
    if (Modifier.isFinal(modifiers) && !Modifier.isFinal(type.getModifiers())) {
      line.add("final");
    }
    addTypeParameters(line, method);
    line.add(typeName(method.getGenericReturnType()))
        .add(method.getName() + parameters(method, method.getGenericParameterTypes()));
    return line + exceptions(method);
  }

  private static String parameters(Executable executable, Type[] parameters) {
    StringJoiner list = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < parameters.length; i++) {
      String name = typeName(parameters[i]);
      boolean varargs = executable.isVarArgs() && i == parameters.length - 1;
      list.add(varargs ? name.substring(0, name.length() - 2) + "..." : name);
    }
    return list.toString();
  }

  private static String exceptions(Executable executable) {
    Type[] exceptions = executable.getGenericExceptionTypes();
    return exceptions.length == 0 ? ""
        : " throws " + Arrays.stream(exceptions).map(ApiSignatures::typeName)
            .collect(Collectors.joining(", "));
  }

  private static void addTypeParameters(StringJoiner line, GenericDeclaration declaration) {
    String typeParameters = typeParameters(declaration);
    if (!typeParameters.isEmpty()) {
      line.add(typeParameters);
    }
  }

  /** {@code <T extends java.lang.Comparable<T>, U>}, or empty. */
  private static String typeParameters(GenericDeclaration declaration) {
    TypeVariable<?>[] variables = declaration.getTypeParameters();
    if (variables.length == 0) {
      return "";
    }
    return Arrays.stream(variables)
        .map(variable -> {
          List<Type> bounds = Arrays.stream(variable.getBounds())
              .filter(bound -> bound != Object.class).toList();
          return bounds.isEmpty() ? variable.getName()
              : variable.getName() + " extends "
                  + bounds.stream().map(ApiSignatures::typeName).collect(Collectors.joining(" & "));
        })
        .collect(Collectors.joining(", ", "<", ">"));
  }

  /** A type as Java source would spell it, fully qualified with canonical names. */
  static String typeName(Type type) {
    if (type instanceof Class<?> raw) {
      return raw.isArray() ? typeName(raw.getComponentType()) + "[]" : name(raw);
    }
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type owner = parameterized.getOwnerType();
      String rawName = owner instanceof ParameterizedType
          ? typeName(owner) + "." + raw.getSimpleName()
          : name(raw);
      return Arrays.stream(parameterized.getActualTypeArguments())
          .map(ApiSignatures::typeName)
          .collect(Collectors.joining(", ", rawName + "<", ">"));
    }
    if (type instanceof GenericArrayType array) {
      return typeName(array.getGenericComponentType()) + "[]";
    }
    if (type instanceof WildcardType wildcard) {
      if (wildcard.getLowerBounds().length > 0) {
        return "? super " + typeName(wildcard.getLowerBounds()[0]);
      }
      Type[] upper = wildcard.getUpperBounds();
      return upper.length == 0 || upper[0] == Object.class ? "?"
          : "? extends " + typeName(upper[0]);
    }
    if (type instanceof TypeVariable<?> variable) {
      return variable.getName();
    }
    throw new IllegalArgumentException("Unknown kind of type: " + type);
  }

  /** The canonical name ({@code dev.llmgateway.Caller.ApiKey}), else the binary name. */
  private static String name(Class<?> type) {
    String canonical = type.getCanonicalName();
    return canonical != null ? canonical : type.getName();
  }

  private static String visibility(int modifiers) {
    return Modifier.isPublic(modifiers) ? "public" : "protected";
  }

  /** One member line with what it sorts by: its kind (fields, constructors, methods), then name. */
  private record Member(int kind, String name, String line) implements Comparable<Member> {
    private static final Comparator<Member> ORDER = Comparator.comparingInt(Member::kind)
        .thenComparing(Member::name).thenComparing(Member::line);

    @Override
    public int compareTo(Member other) {
      return ORDER.compare(this, other);
    }
  }
}
