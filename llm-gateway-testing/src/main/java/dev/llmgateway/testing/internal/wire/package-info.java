/**
 * Implementation of the wire-level mock servers: the scripted, format-neutral server core on
 * MockWebServer, the piece-by-piece response writer that paces, stalls, drops and notices the
 * client hanging up, and each format's bodies. Not public API: it may change in any release.
 */
@NullMarked
package dev.llmgateway.testing.internal.wire;

import org.jspecify.annotations.NullMarked;
