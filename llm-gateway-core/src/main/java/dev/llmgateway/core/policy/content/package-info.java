/**
 * Content filters: categories backed by word lists and patterns, checked on input and output, incrementally over a sliding window on streams.
 */
@NullMarked
package dev.llmgateway.core.policy.content;

import org.jspecify.annotations.NullMarked;
