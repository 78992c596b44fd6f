/**
 * Planted for ArchitectureRulesCatchViolationsTest: test-only classes in a package under
 * {@code core.internal} that no rule names, standing for a step added later, each breaking one rule
 * of {@code dev.llmgateway.it.arch.ArchitectureRules} or, as a clean counterpart, keeping it. Never
 * production code: they live in llm-gateway-it's test sources, so
 * {@code ImportOption.DoNotIncludeTests} keeps them out of ModuleArrowsTest.
 */
@NullMarked
package dev.llmgateway.core.internal.quota.planted;

import org.jspecify.annotations.NullMarked;
