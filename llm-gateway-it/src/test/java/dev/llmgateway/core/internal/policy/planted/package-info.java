/**
 * Planted for ArchitectureRulesCatchViolationsTest: test-only classes in core's (planned) policy
 * step package, each breaking one rule of {@code dev.llmgateway.it.arch.ArchitectureRules} or, as a
 * clean counterpart, keeping it. Never production code: they live in llm-gateway-it's test sources,
 * so {@code ImportOption.DoNotIncludeTests} keeps them out of ModuleArrowsTest.
 */
@NullMarked
package dev.llmgateway.core.internal.policy.planted;

import org.jspecify.annotations.NullMarked;
