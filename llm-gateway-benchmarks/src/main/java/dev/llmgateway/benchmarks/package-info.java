/** JMH benchmarks of llm-gateway. Never published. */
@NullMarked
package dev.llmgateway.benchmarks;

import org.jspecify.annotations.NullMarked;
