/** Runnable examples, one per capability, offline by default. */
@NullMarked
package dev.llmgateway.examples;

import org.jspecify.annotations.NullMarked;
