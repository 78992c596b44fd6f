/**
 * Step: access, after authentication and before routing. Refuses what the caller's rules forbid
 * of the request (an alias, a model named directly, output tokens, features) and leaves a {@link
 * dev.llmgateway.core.internal.call.AccessFilter} for the plan step, which takes the deployments
 * the rules deny out of the plan.
 */
@NullMarked
package dev.llmgateway.core.internal.access;

import org.jspecify.annotations.NullMarked;
