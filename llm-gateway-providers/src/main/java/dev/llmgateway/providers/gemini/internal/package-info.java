/** The Gemini codec, error mapper and stream reader. Not public API. */
@NullMarked
package dev.llmgateway.providers.gemini.internal;

import org.jspecify.annotations.NullMarked;
