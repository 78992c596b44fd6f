/**
 * Wire-level mock servers, one per provider format, on real sockets (MockWebServer): scripted
 * answers and the faults real providers show (429 with Retry-After, 5xx, stalls, dropped
 * connections, streams cut midway, malformed chunks), and a record of every request.
 */
@NullMarked
package dev.llmgateway.testing.wire;

import org.jspecify.annotations.NullMarked;
