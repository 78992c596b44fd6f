/** End-to-end tests: the real gateway over the real transports over wire-level mock servers. */
@NullMarked
package dev.llmgateway.it.e2e;

import org.jspecify.annotations.NullMarked;
