/**
 * Access control: {@link dev.llmgateway.core.access.AccessPolicy} names callers by org, team and
 * key id and gives each an {@link dev.llmgateway.core.access.AccessRule} over aliases, models,
 * providers and deployments (glob patterns, allow and deny), output tokens and features. Set it
 * with {@code GatewayBuilder.access(policy)}.
 */
@NullMarked
package dev.llmgateway.core.access;

import org.jspecify.annotations.NullMarked;
