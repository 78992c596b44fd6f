/**
 * The public API baseline: each published module's public signatures, rendered by
 * {@link dev.llmgateway.it.apibaseline.ApiSignatures} from the classes that module ships and
 * compared by {@link dev.llmgateway.it.apibaseline.ApiBaselineTest} with the checked-in
 * {@code <module>/api/<module>.api} (OkHttp's {@code okhttp.api} habit), so every public change
 * shows in review.
 */
@NullMarked
package dev.llmgateway.it.apibaseline;

import org.jspecify.annotations.NullMarked;
