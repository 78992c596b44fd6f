package dev.llmgateway.core.auth;

import dev.llmgateway.Principal;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ApiKeys#create} makes a key for: the {@link Principal} the key stands for (org, team,
 * project, user, scopes, attributes; its key id is chosen by {@code ApiKeys}) and how long the key
 * lives. Immutable.
 *
 * @param principal who the key stands for; its {@code keyId} must be null
 * @param lifetime how long the key is valid from its creation (on the {@code ApiKeys}' clock), or
 *     null for no expiry; a key made by rotating this one gets the same lifetime from its own
 *     creation
 */
public record KeySpec(Principal principal, @Nullable Duration lifetime) {

  /**
   * Validates.
   *
   * @throws IllegalArgumentException when the principal has a key id or the lifetime is not
   *     positive
   */
  public KeySpec {
    Objects.requireNonNull(principal, "principal");
    if (principal.keyId() != null) {
      throw new IllegalArgumentException("the principal of a new key must have no keyId (it has '"
          + principal.keyId() + "'): ApiKeys gives each key its own id");
    }
    if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
      throw new IllegalArgumentException("a key's lifetime must be positive, was " + lifetime);
    }
  }

  /** A key for {@code principal} that never expires (until revoked or rotated). */
  public static KeySpec of(Principal principal) {
    return new KeySpec(principal, null);
  }

  /** This spec with a key valid for {@code lifetime} from its creation. */
  public KeySpec expiringAfter(Duration lifetime) {
    return new KeySpec(principal, Objects.requireNonNull(lifetime, "lifetime"));
  }
}
