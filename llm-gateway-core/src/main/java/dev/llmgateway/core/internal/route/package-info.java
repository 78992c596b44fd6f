/**
 * Steps: select (the walk from alias to candidate list, before the cache) and plan (strategy order
 * and capability filter, after it), over the route tree compiled at build.
 */
@NullMarked
package dev.llmgateway.core.internal.route;

import org.jspecify.annotations.NullMarked;
