package dev.llmgateway.core.policy.pii;

import java.util.List;

/** The built-in types in their tie-break priority (first wins a tie in length). */
final class PiiTypes {

  /**
   * The built-in types, most specific first: a secret or a checksummed number beats an e-mail,
   * an address or a phone number of the same length.
   */
  static final List<PiiType> BUILT_IN = List.of(PiiType.SECRET, PiiType.CREDIT_CARD, PiiType.IBAN,
      PiiType.US_SSN, PiiType.EMAIL, PiiType.IP_ADDRESS, PiiType.PHONE);

  private PiiTypes() {}

  /** The tie-break rank of {@code type}: built-ins by {@link #BUILT_IN}, others after them. */
  static int priority(PiiType type) {
    int index = BUILT_IN.indexOf(type);
    return index < 0 ? BUILT_IN.size() : index;
  }
}
