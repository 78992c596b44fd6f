/**
 * The usage report's implementation: bounded line reading, record parsing, aggregation, the
 * variant pick, and the table and chart model both renderers share. Not API.
 */
@NullMarked
package dev.llmgateway.report.internal;

import org.jspecify.annotations.NullMarked;
