package dev.llmgateway.core.policy.pii;

import org.jspecify.annotations.Nullable;

/**
 * A kind of personal or secret data, named in upper case ({@code EMAIL}, {@code IBAN}); the name is
 * what placeholders ({@code <EMAIL_1>}), verdicts and logs show. A value class rather than an enum
 * so that a {@link PiiDetector} can add kinds of its own ({@code PiiType.of("EMPLOYEE_ID")}).
 *
 * <p>Two instances are equal when their names are. Immutable and thread-safe.
 */
public final class PiiType {

  /** An e-mail address. */
  public static final PiiType EMAIL = new PiiType("EMAIL");
  /** A phone number, national or international. */
  public static final PiiType PHONE = new PiiType("PHONE");
  /** A payment card number (primary account number). */
  public static final PiiType CREDIT_CARD = new PiiType("CREDIT_CARD");
  /** An international bank account number. */
  public static final PiiType IBAN = new PiiType("IBAN");
  /** A US social security number. */
  public static final PiiType US_SSN = new PiiType("US_SSN");
  /** An IPv4 or IPv6 address. */
  public static final PiiType IP_ADDRESS = new PiiType("IP_ADDRESS");
  /** An API key, access token, JWT, private key block or other high-entropy credential. */
  public static final PiiType SECRET = new PiiType("SECRET");

  private static final int MAX_NAME = 32;

  private final String name;

  private PiiType(String name) {
    this.name = name;
  }

  /**
   * The type named {@code name}: one of the constants when the name is theirs, else a new type.
   *
   * @param name upper-case letters, digits and underscores, starting with a letter, at most 32
   *     characters
   * @return the type
   * @throws IllegalArgumentException when the name is not of that form
   */
  public static PiiType of(String name) {
    if (!validName(name)) {
      throw new IllegalArgumentException("a PII type name is [A-Z][A-Z0-9_]{0,31}; got "
          + (name.length() > MAX_NAME ? "a name of " + name.length() + " characters"
              : "'" + name + "'"));
    }
    for (PiiType builtIn : PiiTypes.BUILT_IN) {
      if (builtIn.name.equals(name)) {
        return builtIn;
      }
    }
    return new PiiType(name);
  }

  private static boolean validName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME) {
      return false;
    }
    char first = name.charAt(0);
    if (first < 'A' || first > 'Z') {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_') {
        return false;
      }
    }
    return true;
  }

  /**
   * The name, e.g. {@code EMAIL}.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof PiiType type && type.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  /** The name. */
  @Override
  public String toString() {
    return name;
  }
}
