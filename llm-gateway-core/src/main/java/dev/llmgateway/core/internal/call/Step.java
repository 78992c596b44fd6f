package dev.llmgateway.core.internal.call;

import dev.llmgateway.spi.Interceptor;

/**
 * A built-in step of the chain that promises to use the {@link Interceptor.Chain} it is given only
 * on the thread that called it and only until its {@code intercept} returns (it keeps no
 * reference to the chain, hands it to no other thread, and calls {@code proceed} at most once at
 * a time). For such steps {@link RealChain} advances one chain object in place instead of making
 * a new one per step; every interceptor that is not a {@code Step} (a user's) gets a chain of its
 * own, as before.
 */
public interface Step extends Interceptor {
}
