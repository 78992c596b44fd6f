/**
 * What the gateway knows of each deployment's health: breakers, latency statistics, resolved
 * per-deployment settings. Read by route and execute; imports no step.
 */
@NullMarked
package dev.llmgateway.core.internal.health;

import org.jspecify.annotations.NullMarked;
