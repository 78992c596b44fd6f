/**
 * Planted for ArchitectureRulesCatchViolationsTest: test-only classes in the examples' package,
 * which no published module owns, each breaking one rule of
 * {@code dev.llmgateway.it.arch.ArchitectureRules} or, as a clean counterpart, keeping it. Never
 * production code: they live in llm-gateway-it's test sources, so
 * {@code ImportOption.DoNotIncludeTests} keeps them out of ModuleArrowsTest.
 */
@NullMarked
package dev.llmgateway.examples.planted;

import org.jspecify.annotations.NullMarked;
