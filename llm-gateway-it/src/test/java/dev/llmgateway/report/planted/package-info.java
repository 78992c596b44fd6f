/**
 * Planted violation for ArchitectureRulesCatchViolationsTest: test-only classes in the usage
 * report's package root, one breaking {@code REPORT_KNOWS_NO_GATEWAY_CODE} and one keeping it.
 * Never production code: they live in llm-gateway-it's test sources, so
 * {@code ImportOption.DoNotIncludeTests} keeps them out of ModuleArrowsTest.
 */
@NullMarked
package dev.llmgateway.report.planted;

import org.jspecify.annotations.NullMarked;
