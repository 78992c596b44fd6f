/**
 * The exact-match response cache's settings.
 */
@NullMarked
package dev.llmgateway.core.cache;

import org.jspecify.annotations.NullMarked;
