/** The OpenAI codec, error mapper and stream reader. Not public API. */
@NullMarked
package dev.llmgateway.providers.openai.internal;

import org.jspecify.annotations.NullMarked;
