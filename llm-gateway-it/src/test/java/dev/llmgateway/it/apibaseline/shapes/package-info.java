/**
 * Declarations of every shape the {@code .api} format spells, for ApiSignaturesTest. Test-only.
 */
@NullMarked
package dev.llmgateway.it.apibaseline.shapes;

import org.jspecify.annotations.NullMarked;
