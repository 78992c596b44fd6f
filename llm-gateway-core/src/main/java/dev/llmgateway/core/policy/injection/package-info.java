/**
 * Prompt-injection scanning of user content and tool results: heuristics with a score and a threshold, and a classifier SPI for texts the heuristics find borderline.
 */
@NullMarked
package dev.llmgateway.core.policy.injection;

import org.jspecify.annotations.NullMarked;
