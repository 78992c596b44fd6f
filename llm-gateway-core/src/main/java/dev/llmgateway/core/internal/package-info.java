/** Implementation of the gateway. Not public API: it may change in any release. */
@NullMarked
package dev.llmgateway.core.internal;

import org.jspecify.annotations.NullMarked;
