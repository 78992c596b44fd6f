package dev.llmgateway.core.limit;

import java.util.Objects;

/**
 * What a call's end gives back to one counter it was admitted by: a window's count corrected by
 * {@code delta} in the bucket it was counted in (a token estimate settled to the actual usage; an
 * attempt that was counted but never made), or a slot released.
 *
 * @param request the request the call was admitted with
 * @param countedAtMillis where it was counted ({@link Acquisition#countedAtMillis(int)}); 0 for a
 *     slot
 * @param delta what to add to the window's count (negative to give back); 0 for a slot
 */
public record Settlement(LimitRequest request, long countedAtMillis, long delta) {
  /** Checks. */
  public Settlement {
    Objects.requireNonNull(request, "request");
  }

  /** Adds {@code delta} to the bucket a window request was counted in. */
  public static Settlement adjust(LimitRequest request, long countedAtMillis, long delta) {
    if (request.isSlot()) {
      throw new IllegalArgumentException("a slot is released, not adjusted");
    }
    return new Settlement(request, countedAtMillis, delta);
  }

  /** Releases a slot request's slot (its lease id's). */
  public static Settlement release(LimitRequest request) {
    if (!request.isSlot()) {
      throw new IllegalArgumentException("only a slot is released");
    }
    return new Settlement(request, 0, 0);
  }
}
