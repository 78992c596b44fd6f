/** A package with an {@code internal} segment, left out of every baseline. Test-only. */
@NullMarked
package dev.llmgateway.it.apibaseline.shapes.internal;

import org.jspecify.annotations.NullMarked;
