/**
 * Step: authenticate the caller's credential into a principal.
 */
@NullMarked
package dev.llmgateway.core.internal.auth;

import org.jspecify.annotations.NullMarked;
