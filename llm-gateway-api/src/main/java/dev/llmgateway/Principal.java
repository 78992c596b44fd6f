package dev.llmgateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * An authenticated caller: where it belongs (org, team, project), who it is (user), which key or
 * token identified it, what it may do (scopes) and free attributes.
 *
 * <p>{@link #toString()} never prints the end user's id (it says {@code user=<redacted>}) nor
 * the attributes' values (they may hold an e-mail or a name the authenticator copied from a
 * token): only their names.
 *
 * @param orgId the organisation, or null
 * @param teamId the team, or null
 * @param projectId the project, or null
 * @param userId the end user, or null (sent to providers only hashed)
 * @param keyId the id (never the secret) of the key or token that identified the caller, or null
 * @param scopes what the caller may do
 * @param attributes free attributes set by the authenticator or host application
 */
public record Principal(
    @Nullable String orgId,
    @Nullable String teamId,
    @Nullable String projectId,
    @Nullable String userId,
    @Nullable String keyId,
    Set<String> scopes,
    Map<String, String> attributes)
    implements Caller {

  /** The caller of a gateway that configured none: no org, team or user. */
  public static final Principal ANONYMOUS =
      new Principal(null, null, null, null, null, Set.of(), Map.of());

  /** Copies. */
  public Principal {
    scopes = Set.copyOf(scopes);
    attributes = Map.copyOf(attributes);
  }

  /**
   * The principal without its end user's id or its attributes' values: {@code
   * Principal[org=acme, team=support, user=<redacted>, keyId=k-1, scopes=[chat],
   * attributes=[plan]]}, naming only the parts that are set.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Principal[");
    append(sb, "org", orgId);
    append(sb, "team", teamId);
    append(sb, "project", projectId);
    append(sb, "user", userId == null ? null : "<redacted>");
    append(sb, "keyId", keyId);
    if (!scopes.isEmpty()) {
      append(sb, "scopes", new TreeSet<>(scopes).toString());
    }
    if (!attributes.isEmpty()) {
      append(sb, "attributes", new TreeSet<>(attributes.keySet()).toString());
    }
    return sb.append(']').toString();
  }

  private static void append(StringBuilder sb, String name, @Nullable String value) {
    if (value != null) {
      if (sb.charAt(sb.length() - 1) != '[') {
        sb.append(", ");
      }
      sb.append(name).append('=').append(value);
    }
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A principal for one user of one team. */
  public static Principal of(String teamId, String userId) {
    return builder().team(teamId).user(userId).build();
  }

  /** Builds a {@link Principal}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String orgId;
    private @Nullable String teamId;
    private @Nullable String projectId;
    private @Nullable String userId;
    private @Nullable String keyId;
    private Set<String> scopes = Set.of();
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private Builder() {}

    /** Sets the organisation. */
    public Builder org(@Nullable String orgId) {
      this.orgId = orgId;
      return this;
    }

    /** Sets the team. */
    public Builder team(@Nullable String teamId) {
      this.teamId = teamId;
      return this;
    }

    /** Sets the project. */
    public Builder project(@Nullable String projectId) {
      this.projectId = projectId;
      return this;
    }

    /** Sets the end user. */
    public Builder user(@Nullable String userId) {
      this.userId = userId;
      return this;
    }

    /** Sets the id of the identifying key (never the secret). */
    public Builder keyId(@Nullable String keyId) {
      this.keyId = keyId;
      return this;
    }

    /** Sets the scopes. */
    public Builder scopes(String... scopes) {
      this.scopes = Set.of(scopes);
      return this;
    }

    /** Adds an attribute. */
    public Builder attribute(String key, String value) {
      attributes.put(key, value);
      return this;
    }

    /** Builds the principal. */
    public Principal build() {
      return new Principal(orgId, teamId, projectId, userId, keyId, scopes, attributes);
    }
  }
}
