/**
 * Steps: select (the walk from alias to candidate list, before the cache) and plan (strategy order
 * and capability filter, after it), over the route tree compiled at build.
 *
 * <p>Build: {@link dev.llmgateway.core.internal.route.RouteCompiler} compiles the aliases into the
 * {@link dev.llmgateway.core.internal.route.Routing route tree} (its node types nested in it).
 * Per call: {@link dev.llmgateway.core.internal.route.RouteWalk} walks the tree to a {@link
 * dev.llmgateway.core.internal.route.Selection} (the select step), {@link
 * dev.llmgateway.core.internal.route.Planner} orders and filters its candidates into the call's
 * plan (the plan step); {@link dev.llmgateway.core.internal.route.RoutingCall} is the call as
 * rules, classifiers and routers see it. {@link dev.llmgateway.core.internal.route.Strategies} are
 * the built-in routers, {@link dev.llmgateway.core.internal.route.Experiments} the A/B figures.
 */
@NullMarked
package dev.llmgateway.core.internal.route;

import org.jspecify.annotations.NullMarked;
