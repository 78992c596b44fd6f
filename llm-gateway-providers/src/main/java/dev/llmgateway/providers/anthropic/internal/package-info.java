/** The Anthropic codec, error mapper and stream reader. Not public API. */
@NullMarked
package dev.llmgateway.providers.anthropic.internal;

import org.jspecify.annotations.NullMarked;
