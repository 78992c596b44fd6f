package dev.llmgateway.providers.internal;

import dev.llmgateway.Deployment;
import dev.llmgateway.ErrorDetails;
import org.jspecify.annotations.Nullable;

/**
 * A transport's last {@link ErrorDetails#of(Deployment)}, made again only for another deployment:
 * not a record per call for the one model a transport mostly serves. Thread-safe without a lock:
 * the details are immutable, and a lost write only costs a new one.
 */
public final class LastDetails {
  private volatile @Nullable ErrorDetails last;

  /** The details of {@code deployment}: the last ones when they name it. */
  public ErrorDetails of(Deployment deployment) {
    ErrorDetails d = last;
    if (d != null && deployment.model().equals(d.model())
        && deployment.provider().equals(d.provider())) {
      return d;
    }
    d = ErrorDetails.of(deployment);
    last = d;
    return d;
  }
}
