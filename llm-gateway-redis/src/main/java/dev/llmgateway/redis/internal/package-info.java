/** The Redis stores' internals: scripts, their runner, key layout. Not for use outside the module. */
@NullMarked
package dev.llmgateway.redis.internal;

import org.jspecify.annotations.NullMarked;
