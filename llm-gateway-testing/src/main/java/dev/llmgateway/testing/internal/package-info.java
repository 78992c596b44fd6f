/**
 * Implementation of the test doubles. Not public API: it may change in any release.
 */
@NullMarked
package dev.llmgateway.testing.internal;

import org.jspecify.annotations.NullMarked;
