package dev.llmgateway.core.limit;

import dev.llmgateway.Deployment;
import dev.llmgateway.Principal;
import org.jspecify.annotations.Nullable;

/**
 * Whose calls a rate limit or a budget counts together: all of them, an organisation's, a team's,
 * a project's, an end user's, an API key's (the {@link Principal}'s ids), or a deployment's.
 */
public enum Scope {
  /** Every call of the gateway: one counter. */
  GLOBAL("global"),
  /** Each organisation ({@link Principal#orgId()}) its own. */
  ORG("org"),
  /** Each team ({@link Principal#teamId()}) its own. */
  TEAM("team"),
  /** Each project ({@link Principal#projectId()}) its own. */
  PROJECT("project"),
  /** Each end user ({@link Principal#userId()}) its own. */
  USER("user"),
  /** Each key or token ({@link Principal#keyId()}) its own. */
  KEY("key"),
  /** Each deployment ({@code provider/model}) its own: counted per attempt, not per call. */
  DEPLOYMENT("deployment");

  private final String label;

  Scope(String label) {
    this.label = label;
  }

  /** The scope's name in keys, messages and records: {@code team}, {@code org}, ... */
  public String label() {
    return label;
  }

  /**
   * The id this scope counts a call under: the principal's org, team, project, user or key id,
   * {@code "*"} for {@link #GLOBAL}; null when the principal has none (the limit does not apply)
   * and for {@link #DEPLOYMENT} (counted per attempt, see {@link #idOf(Deployment)}).
   */
  public @Nullable String idOf(@Nullable Principal principal) {
    if (this == GLOBAL) {
      return "*";
    }
    if (principal == null) {
      return null;
    }
    return switch (this) {
      case ORG -> principal.orgId();
      case TEAM -> principal.teamId();
      case PROJECT -> principal.projectId();
      case USER -> principal.userId();
      case KEY -> principal.keyId();
      default -> null;
    };
  }

  /** The id a {@link #DEPLOYMENT} limit counts an attempt at {@code deployment} under. */
  public static String idOf(Deployment deployment) {
    return deployment.toString();
  }
}
